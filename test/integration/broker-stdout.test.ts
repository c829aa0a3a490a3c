// A broker whose stdout goes away (the reader of its pipe exits) keeps serving and drops its log
// lines, as log4j does, instead of spinning: each failed write used to raise an uncaught exception
// whose own log line failed again.
import { readFileSync } from 'node:fs';
import { Apis, ErrorCode } from '../../protocol';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { connectClient } from '../helpers/test-client';
import { waitFor } from '../helpers/wait';

let broker: BrokerProcess | undefined;
afterEach(() => cleanup(broker));

/** Write system calls the process has made (Linux /proc). */
const writeCalls = (pid: number): number => Number(/syscw: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))![1]);

test('with its stdout closed, a broker logs nothing, keeps answering and stays idle', async () => {
  broker = await startBroker();
  broker.closeStdout();
  const client = await connectClient(broker.port);
  try {
    // Log lines (topic creation) now hit the closed pipe.
    const created = await client.request(Apis.CreateTopics, 7, { topics: [{ name: 'logged', numPartitions: 3, replicationFactor: 1, configs: [] }], timeoutMs: 5000 });
    expect(created.topics[0].errorCode).toBe(ErrorCode.NONE);
    const versions = await client.request(Apis.ApiVersions, 3, { clientSoftwareName: 'test', clientSoftwareVersion: '1' });
    expect(versions.errorCode).toBe(ErrorCode.NONE);
    // A spinning broker makes thousands of failed writes per round trip, forever; an idle one
    // settles to a handful once the work behind its startup and the topic creation is done.
    const pid = broker.pid;
    await waitFor(async () => {
      const before = writeCalls(pid);
      const meta = await client.request(Apis.Metadata, 12, { topics: [{ name: 'logged' }] });
      expect(meta.topics[0].partitions.length).toBe(3);
      return writeCalls(pid) - before < 50;
    }, 'the broker to make only a handful of writes per request', 5000);
  } finally {
    client.close();
  }
});
