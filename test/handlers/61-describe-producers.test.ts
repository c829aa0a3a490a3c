// DescribeProducers in-process: the producer state of the partitions this broker holds a replica of,
// and the per-partition errors for illegal, unknown or elsewhere-held partitions. The log's producer state is
// a recorded fake here.

import { Apis, ErrorCode } from '../../protocol';
import describeProducers from '../../src/handlers/61-describe-producers';
import { TestBroker, addTopic, call, testBroker, topicInfo } from './fake-context';

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
  addTopic(b.metadata, b.logs, topicInfo('t', 2));
  addTopic(b.metadata, b.logs, topicInfo('elsewhere', 1, {}, { leader: 2, replicas: [2] }));
  addTopic(b.metadata, b.logs, topicInfo('followed', 1, {}, { leader: 2, replicas: [2, 1] }));
});
afterEach(() => b.close());

const send = (topics: { name: string; partitionIndexes: number[] }[]) => call<typeof Apis.DescribeProducers>(describeProducers, b.ctx(0), { topics });

test('lists the active producers of a led partition, with the open transaction start or -1', async () => {
  jest.spyOn(b.logs.get('t', 0)!, 'activeProducers').mockReturnValue([
    { producerId: 5n, producerEpoch: 1, lastSequence: 9, lastTimestamp: 1_700_000_000_000, coordinatorEpoch: 3, currentTxnStartOffset: 42 },
    { producerId: 6n, producerEpoch: 0, lastSequence: 0, lastTimestamp: 1_700_000_000_001, coordinatorEpoch: -1, currentTxnStartOffset: -1 },
  ]);
  const res = await send([{ name: 't', partitionIndexes: [0, 1] }]);
  expect(res).toEqual({
    throttleTimeMs: 0,
    topics: [
      {
        name: 't',
        partitions: [
          {
            partitionIndex: 0,
            errorCode: ErrorCode.NONE,
            errorMessage: null,
            activeProducers: [
              { producerId: 5n, producerEpoch: 1, lastSequence: 9, lastTimestamp: 1_700_000_000_000n, coordinatorEpoch: 3, currentTxnStartOffset: 42n },
              { producerId: 6n, producerEpoch: 0, lastSequence: 0, lastTimestamp: 1_700_000_000_001n, coordinatorEpoch: -1, currentTxnStartOffset: -1n },
            ],
          },
          { partitionIndex: 1, errorCode: ErrorCode.NONE, errorMessage: null, activeProducers: [] },
        ],
      },
    ],
  });
});

test('a follower answers from its own replica, as Kafka does', async () => {
  jest.spyOn(b.logs.get('followed', 0)!, 'activeProducers').mockReturnValue([
    { producerId: 8n, producerEpoch: 2, lastSequence: 4, lastTimestamp: 1_700_000_000_000, coordinatorEpoch: -1, currentTxnStartOffset: -1 },
  ]);
  const res = await send([{ name: 'followed', partitionIndexes: [0] }]);
  expect(res!.topics[0].partitions[0]).toMatchObject({ errorCode: ErrorCode.NONE, activeProducers: [{ producerId: 8n, lastSequence: 4 }] });
});

test('each partition fails alone: illegal name, unknown topic or partition, no replica here', async () => {
  const res = await send([
    { name: 'bad name!', partitionIndexes: [0] },
    { name: 'missing', partitionIndexes: [0, 1] },
    { name: 't', partitionIndexes: [7] },
    { name: 'elsewhere', partitionIndexes: [0] },
  ]);
  const errors = res!.topics.map((t) => [t.name, t.partitions.map((p) => [p.partitionIndex, p.errorCode, p.errorMessage !== null])]);
  expect(errors).toEqual([
    ['bad name!', [[0, ErrorCode.INVALID_TOPIC_EXCEPTION, true]]],
    ['missing', [[0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, true], [1, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, true]]],
    ['t', [[7, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, false]]],
    ['elsewhere', [[0, ErrorCode.NOT_LEADER_OR_FOLLOWER, false]]],
  ]);
});
