// ListOffsets from a replica (replica_id other than -1, as a follower's fetcher sends it): latest is
// the log end, records past the high watermark included, as Kafka answers a request with no
// isolation level; a client still gets the high watermark.

import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import listOffsets from '../../src/handlers/02-list-offsets';
import { TestBroker, addTopic, appendToLog, call, testBroker, topicInfo } from './fake-context';

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
  addTopic(b.metadata, b.logs, topicInfo('t', 1));
});
afterEach(() => b.close());

const latest = async (replicaId: number) =>
  (await call<typeof Apis.ListOffsets>(listOffsets, b.ctx(7), {
    replicaId,
    isolationLevel: 0,
    topics: [{ name: 't', partitions: [{ partitionIndex: 0, timestamp: -1n, currentLeaderEpoch: -1 }] }],
  }))!.topics[0].partitions[0];

test('latest is the log end for a replica and the high watermark for a client', async () => {
  const log = b.logs.get('t', 0)!;
  appendToLog(log, buildBatch([{ key: null, value: Buffer.from('committed') }]));
  appendToLog(log, buildBatch([{ key: null, value: Buffer.from('a') }, { key: null, value: Buffer.from('b') }]), { commit: false });
  expect(log.highWatermark).toBe(1);
  expect(await latest(-1)).toMatchObject({ errorCode: ErrorCode.NONE, offset: 1n });
  expect(await latest(1)).toMatchObject({ errorCode: ErrorCode.NONE, offset: 3n });
});
