// DeleteRecords in-process: each partition answered with the low watermark the replication layer
// reaches, or its own error; unknown topics and partitions led elsewhere fail before anything moves.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import deleteRecords from '../../src/handlers/21-delete-records';
import { TestBroker, addTopic, call, testBroker, topicInfo } from './fake-context';

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
  addTopic(b.metadata, b.logs, topicInfo('t', 2));
  addTopic(b.metadata, b.logs, topicInfo('elsewhere', 1, {}, { leader: 2, replicas: [2] }));
});
afterEach(() => b.close());

const send = (topics: { name: string; partitions: { partitionIndex: number; offset: bigint }[] }[]) =>
  call<typeof Apis.DeleteRecords>(deleteRecords, b.ctx(2), { topics, timeoutMs: 3000 });

test('each partition gets its low watermark or its error', async () => {
  b.replication.deleteRecordsAnswer = (offset) => {
    if (offset > 100) throw new KafkaError(ErrorCode.OFFSET_OUT_OF_RANGE, 'past the high watermark');
    return offset;
  };
  const res = await send([
    { name: 't', partitions: [{ partitionIndex: 0, offset: 5n }, { partitionIndex: 1, offset: 500n }] },
    { name: 'missing', partitions: [{ partitionIndex: 0, offset: 1n }] },
    { name: 'elsewhere', partitions: [{ partitionIndex: 0, offset: 1n }] },
  ]);
  expect(res!.topics).toEqual([
    { name: 't', partitions: [{ partitionIndex: 0, lowWatermark: 5n, errorCode: ErrorCode.NONE }, { partitionIndex: 1, lowWatermark: -1n, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE }] },
    { name: 'missing', partitions: [{ partitionIndex: 0, lowWatermark: -1n, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }] },
    { name: 'elsewhere', partitions: [{ partitionIndex: 0, lowWatermark: -1n, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER }] },
  ]);
  expect(b.replication.calls).toEqual(['delete records of t-0 before 5 within 3000', 'delete records of t-1 before 500 within 3000']);
});
