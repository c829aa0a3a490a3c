// WriteTxnMarkers in-process: one marker append per partition with the partition's leader epoch,
// acks=-1 waits, per-partition errors, errors grouped by producer, and the group coordinator told
// about markers on __consumer_offsets partitions. The logs' marker appends are recorded fakes here.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import writeTxnMarkers from '../../src/handlers/27-write-txn-markers';
import type { AppendInfo, EndTxnMarker, PartitionLog } from '../../src/log/partition-log';
import { TestBroker, addTopic, call, fakeGroups, testBroker, topicInfo } from './fake-context';

type MarkerBody = { producerId: bigint; producerEpoch: number; transactionResult: boolean; coordinatorEpoch: number; topics: { name: string; partitionIndexes: number[] }[] };

let b: TestBroker;
let appended: string[];
let completed: [bigint, number, number[], boolean][];
beforeEach(async () => {
  b = await testBroker();
  appended = [];
  completed = [];
  addTopic(b.metadata, b.logs, topicInfo('t', 2, {}, { leaderEpoch: 4 }));
  addTopic(b.metadata, b.logs, topicInfo('__consumer_offsets', 3));
  addTopic(b.metadata, b.logs, topicInfo('elsewhere', 1, {}, { leader: 2 }));
  b.services.groups = fakeGroups({
    completeTransaction: async (producerId, producerEpoch, partitions, commit) => void completed.push([producerId, producerEpoch, partitions, commit]),
  });
  for (const [topic, count] of [['t', 2], ['__consumer_offsets', 3]] as const) {
    for (let p = 0; p < count; p++) recordMarkers(b.logs.get(topic, p)!);
  }
});
afterEach(() => b.close());

/** The log takes markers as one-record batches at its end, recording what it was given. */
function recordMarkers(log: PartitionLog, error?: KafkaError): void {
  let next = 10;
  jest.spyOn(log, 'appendEndTxnMarker').mockImplementation((m: EndTxnMarker, opts): AppendInfo => {
    if (error) throw error;
    appended.push(`${log.topic}-${log.partition} pid ${m.producerId} epoch ${m.producerEpoch} coordinator epoch ${m.coordinatorEpoch} ${m.commit ? 'COMMIT' : 'ABORT'} leader epoch ${opts.leaderEpoch}`);
    const offset = next++;
    return { firstOffset: offset, lastOffset: offset, logAppendTime: -1, maxTimestamp: opts.now, offsetOfMaxTimestamp: offset, logStartOffset: 0, recordCount: 1, batchCount: 1, sizeInBytes: 78, duplicate: false };
  });
}

const marker = (topics: MarkerBody['topics'], extra: Partial<MarkerBody> = {}): MarkerBody => ({
  producerId: 1000n,
  producerEpoch: 2,
  transactionResult: true,
  coordinatorEpoch: 7,
  topics,
  ...extra,
});
const send = (markers: MarkerBody[], version = 1) => call<typeof Apis.WriteTxnMarkers>(writeTxnMarkers, b.ctx(version), { markers });
const errorsOf = (res: Awaited<ReturnType<typeof send>>) =>
  res!.markers.map((m) => [m.producerId, m.topics.map((t) => [t.name, t.partitions.map((p) => [p.partitionIndex, p.errorCode])])]);

test('appends the marker to each partition with its leader epoch and answers once the ISR has it', async () => {
  for (const version of [0, 1]) {
    appended = [];
    b.replication.calls.length = 0;
    const res = await send([marker([{ name: 't', partitionIndexes: [0, 1] }], { transactionResult: version === 0 })], version);
    expect(errorsOf(res)).toEqual([[1000n, [['t', [[0, ErrorCode.NONE], [1, ErrorCode.NONE]]]]]]);
    const result = version === 0 ? 'COMMIT' : 'ABORT';
    expect(appended).toEqual([
      `t-0 pid 1000 epoch 2 coordinator epoch 7 ${result} leader epoch 4`,
      `t-1 pid 1000 epoch 2 coordinator epoch 7 ${result} leader epoch 4`,
    ]);
    const end = version === 0 ? 11 : 12;
    expect(b.replication.calls).toEqual(['check t-0', `wait t-0 ${end}`, 'check t-1', `wait t-1 ${end}`]);
  }
  expect(completed).toEqual([]);
});

test('each partition fails alone: unknown, led elsewhere, fenced by the log, too few replicas, not replicated in time', async () => {
  recordMarkers(b.logs.get('t', 1)!, new KafkaError(ErrorCode.TRANSACTION_COORDINATOR_FENCED, 'fenced'));
  const res = await send([marker([{ name: 't', partitionIndexes: [0, 1, 5] }, { name: 'elsewhere', partitionIndexes: [0] }, { name: 'missing', partitionIndexes: [0] }])]);
  expect(errorsOf(res)).toEqual([
    [
      1000n,
      [
        ['t', [[0, ErrorCode.NONE], [1, ErrorCode.TRANSACTION_COORDINATOR_FENCED], [5, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]]],
        ['elsewhere', [[0, ErrorCode.NOT_LEADER_OR_FOLLOWER]]],
        ['missing', [[0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]]],
      ],
    ],
  ]);
  b.replication.notEnoughReplicas = true;
  expect(errorsOf(await send([marker([{ name: 't', partitionIndexes: [0] }])]))[0][1]).toEqual([['t', [[0, ErrorCode.NOT_ENOUGH_REPLICAS]]]]);
  b.replication.notEnoughReplicas = false;
  b.replication.replicationError = new KafkaError(ErrorCode.REQUEST_TIMED_OUT, 'timed out');
  expect(errorsOf(await send([marker([{ name: 't', partitionIndexes: [0] }])]))[0][1]).toEqual([['t', [[0, ErrorCode.REQUEST_TIMED_OUT]]]]);
});

test('markers of several producers are answered per producer; one producer twice is merged', async () => {
  const res = await send([
    marker([{ name: 't', partitionIndexes: [0] }]),
    marker([{ name: 't', partitionIndexes: [1] }], { producerId: 2000n }),
    marker([{ name: 't', partitionIndexes: [1] }]),
  ]);
  expect(errorsOf(res)).toEqual([
    [1000n, [['t', [[0, ErrorCode.NONE], [1, ErrorCode.NONE]]]]],
    [2000n, [['t', [[1, ErrorCode.NONE]]]]],
  ]);
  expect(appended).toHaveLength(3);
});

test('markers written to __consumer_offsets complete the transaction in the group coordinator before the answer', async () => {
  recordMarkers(b.logs.get('__consumer_offsets', 1)!, new KafkaError(ErrorCode.INVALID_PRODUCER_EPOCH, 'old epoch'));
  const res = await send([marker([{ name: '__consumer_offsets', partitionIndexes: [0, 1, 2] }, { name: 't', partitionIndexes: [0] }], { transactionResult: false })]);
  expect(errorsOf(res)[0][1]).toEqual([
    ['__consumer_offsets', [[0, ErrorCode.NONE], [1, ErrorCode.INVALID_PRODUCER_EPOCH], [2, ErrorCode.NONE]]],
    ['t', [[0, ErrorCode.NONE]]],
  ]);
  expect(completed).toEqual([[1000n, 2, [0, 2], false]]);
});

test('a failure to complete the transaction in the group coordinator is UNKNOWN_SERVER_ERROR on those partitions', async () => {
  b.services.groups = fakeGroups({
    completeTransaction: async () => {
      throw new Error('boom');
    },
  });
  const res = await send([marker([{ name: '__consumer_offsets', partitionIndexes: [0] }, { name: 't', partitionIndexes: [0] }])]);
  expect(errorsOf(res)[0][1]).toEqual([
    ['__consumer_offsets', [[0, ErrorCode.UNKNOWN_SERVER_ERROR]]],
    ['t', [[0, ErrorCode.NONE]]],
  ]);
  expect(b.log.lines.some((l) => l.level === 'ERROR' && l.message.includes('producer 1000'))).toBe(true);
});

test('no markers: an empty answer', async () => {
  expect((await send([]))!.markers).toEqual([]);
});
