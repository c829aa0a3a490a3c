// A broker whose stdout goes away (the reader of its pipe exits) keeps serving and drops its log
// lines, as log4j does, instead of spinning: each failed write used to raise an uncaught exception
// whose own log line failed again.
import { readFileSync } from 'node:fs';
import { Apis, ErrorCode } from '../../protocol';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { connectClient } from '../helpers/test-client';

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
    const before = writeCalls(broker.pid);
    const versions = await client.request(Apis.ApiVersions, 3, { clientSoftwareName: 'test', clientSoftwareVersion: '1' });
    expect(versions.errorCode).toBe(ErrorCode.NONE);
    const meta = await client.request(Apis.Metadata, 12, { topics: [{ name: 'logged' }] });
    expect(meta.topics[0].partitions.length).toBe(3);
    // A spinning broker makes thousands of failed writes in this time; an idle one a handful.
    expect(writeCalls(broker.pid) - before).toBeLessThan(200);
  } finally {
    client.close();
  }
});
