// Two brokers never share a log dir: a second broker pointed at a dir a running broker holds stops
// at startup naming the dir, and a broker killed -9 leaves no lock that blocks its restart.
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';

let first: BrokerProcess | undefined;
let again: BrokerProcess | undefined;
afterEach(async () => {
  await again?.kill();
  await cleanup(first);
  first = again = undefined;
});

test('a second broker on a locked dir refuses to start; a killed broker restarts on its dir', async () => {
  first = await startBroker({ waitForStarted: true });
  const dataDir = `${first.logDir}/data`;
  await expect(startBroker({ logDir: first.logDir, props: { 'broker.id': 1 } })).rejects.toThrow(
    `Failed to acquire lock on file .lock in ${dataDir}. A Kafka instance in another process or thread is using this directory.`,
  );
  await first.kill();
  again = await startBroker({ logDir: first.logDir, waitForStarted: true });
  expect(again.output()).toMatch(/started/);
}, 60_000);
