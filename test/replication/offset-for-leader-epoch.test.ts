// OffsetForLeaderEpoch and the leader's side of a follower's Fetch, at the protocol level against a
// standalone broker process (broker 0, the only replica of its partitions, so a fetch naming
// replica 0 takes the follower path).

import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { connectClient } from '../helpers/test-client';

let broker: BrokerProcess;
let client: KafkaConnection;

beforeAll(async () => {
  broker = await startBroker();
  client = await connectClient(broker.port);
  const created = await client.request(Apis.CreateTopics, 7, { topics: [{ name: 'epochs', numPartitions: 1, replicationFactor: 1 }], timeoutMs: 5000 });
  expect(created.topics[0].errorCode).toBe(ErrorCode.NONE);
  for (const n of [3, 4]) {
    const records = buildBatch(Array.from({ length: n }, (_, i) => ({ key: null, value: Buffer.from(`v${i}`) })));
    const res = await client.request(Apis.Produce, 9, { acks: -1, timeoutMs: 5000, topicData: [{ name: 'epochs', partitionData: [{ index: 0, records }] }] });
    expect(res.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);
  }
});

afterAll(async () => {
  client.close();
  await cleanup(broker);
});

function offsetForLeaderEpoch(version: number, partitions: { partition: number; currentLeaderEpoch?: number; leaderEpoch: number }[], topic = 'epochs') {
  return client.request(Apis.OffsetForLeaderEpoch, version, { replicaId: -1, topics: [{ topic, partitions }] });
}

test('the end of an epoch comes from the leader epoch cache', async () => {
  const res = await offsetForLeaderEpoch(4, [
    { partition: 0, currentLeaderEpoch: 0, leaderEpoch: 0 },
    { partition: 0, leaderEpoch: 5 },
    { partition: 0, leaderEpoch: -1 },
  ]);
  expect(res.topics[0].partitions).toEqual([
    { errorCode: ErrorCode.NONE, partition: 0, leaderEpoch: 0, endOffset: 7n },
    { errorCode: ErrorCode.NONE, partition: 0, leaderEpoch: -1, endOffset: -1n },
    { errorCode: ErrorCode.NONE, partition: 0, leaderEpoch: -1, endOffset: -1n },
  ]);
  const v0 = await offsetForLeaderEpoch(0, [{ partition: 0, leaderEpoch: 0 }]);
  expect(v0.topics[0].partitions[0]).toMatchObject({ errorCode: ErrorCode.NONE, endOffset: 7n });
});

test('current leader epochs are fenced, unknown partitions refused', async () => {
  const res = await offsetForLeaderEpoch(4, [
    { partition: 0, currentLeaderEpoch: 1, leaderEpoch: 0 },
    { partition: 1, leaderEpoch: 0 },
  ]);
  expect(res.topics[0].partitions.map((p) => p.errorCode)).toEqual([ErrorCode.UNKNOWN_LEADER_EPOCH, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
  const unknown = await offsetForLeaderEpoch(4, [{ partition: 0, leaderEpoch: 0 }], 'no-such-topic');
  expect(unknown.topics[0].partitions[0].errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
});

function replicaFetch(replicaId: number, fetchOffset: bigint, lastFetchedEpoch: number) {
  return client.request(Apis.Fetch, 12, {
    replicaId,
    maxWaitMs: 0,
    minBytes: 0,
    topics: [{ topic: 'epochs', partitions: [{ partition: 0, currentLeaderEpoch: 0, fetchOffset, lastFetchedEpoch, partitionMaxBytes: 1 << 20 }] }],
  });
}

test('a follower whose last epoch the leader does not continue gets a diverging epoch, no records', async () => {
  const diverged = (await replicaFetch(0, 9n, 0)).responses[0].partitions[0];
  expect(diverged).toMatchObject({ errorCode: ErrorCode.NONE, divergingEpoch: { epoch: 0, endOffset: 7n }, highWatermark: 7n });
  expect(diverged.records?.length ?? 0).toBe(0);
  const following = (await replicaFetch(0, 3n, 0)).responses[0].partitions[0];
  expect(following).toMatchObject({ errorCode: ErrorCode.NONE, divergingEpoch: { epoch: -1, endOffset: -1n } });
  expect(following.records!.length).toBeGreaterThan(0);
});

test('a fetch from a broker that is no replica of the partition is refused', async () => {
  const res = await replicaFetch(7, 0n, -1);
  expect(res.responses[0].partitions[0].errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
});
