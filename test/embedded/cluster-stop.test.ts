// Stopping a whole embedded cluster: brokers stop one at a time, the controller last and without a
// controlled shutdown (nobody is left to take its partitions), so no broker waits out retries.

import { startKafka } from '../../src/embedded/start-kafka';

test('a three-broker cluster stops cleanly without failed controlled shutdowns', async () => {
  const lines: string[] = [];
  const cluster = await startKafka({ brokers: 3, log: (line) => lines.push(line) });
  await cluster.admin.createTopic('stopping', { partitions: 3 });
  await cluster.admin.produce('stopping', [{ value: 'x' }]);
  await cluster.stop();
  expect(lines.filter((l) => /shut down completed/.test(l))).toHaveLength(3);
  expect(lines.filter((l) => /Retrying controlled shutdown|unclean shutdown/.test(l))).toEqual([]);
  expect(lines.filter((l) => /Controlled shutdown request returned successfully/.test(l))).toHaveLength(2);
});
