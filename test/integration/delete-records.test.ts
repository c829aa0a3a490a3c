// DeleteRecords on a three-broker ZooKeeper-mode cluster: the leader moves its log start and answers
// once every replica's fetch reported the same log start, so the low watermark it gives is the
// cluster's; kafkajs's deleteTopicRecords reads the same; a compact-only topic refuses it.
import { Kafka, logLevel } from 'kafkajs';
import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import { useZkCluster } from '../helpers/zk-cluster-harness';

const h = useZkCluster('delete-records', { 'zookeeper.session.timeout.ms': 6000 });

const tenRecords = () => buildBatch(Array.from({ length: 10 }, (_, i) => ({ key: null, value: Buffer.from(`r${i}`) })));

test('the low watermark is answered once every replica moved its log start; the log start is the earliest offset after', async () => {
  await h.startCluster();
  await h.createTopic('trimmed', [[1, 2, 3]]);
  await h.createTopic('compacted', [[1, 2, 3]], { 'cleanup.policy': 'compact' });
  const one = await h.client(1);
  const produced = await one.request(Apis.Produce, 9, { acks: -1, timeoutMs: 10_000, topicData: [{ name: 'trimmed', partitionData: [{ index: 0, records: tenRecords() }] }] });
  expect(produced.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);

  const res = await one.request(Apis.DeleteRecords, 2, {
    topics: [
      { name: 'trimmed', partitions: [{ partitionIndex: 0, offset: 4n }] },
      { name: 'compacted', partitions: [{ partitionIndex: 0, offset: 0n }] },
    ],
    timeoutMs: 30_000,
  });
  expect(res.topics.map((t) => [t.name, t.partitions[0].errorCode, t.partitions[0].lowWatermark])).toEqual([
    ['trimmed', ErrorCode.NONE, 4n],
    ['compacted', ErrorCode.POLICY_VIOLATION, -1n],
  ]);

  const brokers = [...h.brokers.values()].map((b) => b.bootstrap);
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    // kafkajs finds the leaders from metadata it must have loaded first.
    expect((await admin.fetchTopicOffsets('trimmed'))[0]).toMatchObject({ low: '4', high: '10' });
    await admin.deleteTopicRecords({ topic: 'trimmed', partitions: [{ partition: 0, offset: '7' }] });
    const offsets = await admin.fetchTopicOffsets('trimmed');
    expect(offsets[0]).toMatchObject({ low: '7', high: '10' });
  } finally {
    await admin.disconnect();
  }
}, 120_000);
