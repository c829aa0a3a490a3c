// CreatePartitions on a three-broker ZooKeeper-mode cluster: the controller adds the partitions to
// the topic znode, they get leaders and states, and each new partition takes writes at its leader;
// another broker answers NOT_CONTROLLER.
import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import { useZkCluster } from '../helpers/zk-cluster-harness';

const h = useZkCluster('create-partitions', { 'zookeeper.session.timeout.ms': 6000 });

test('a topic grown through the controller has led, writable new partitions; other brokers refuse', async () => {
  await h.startCluster();
  await h.createTopic('grown', [[1, 2]]);
  const two = await h.client(2);
  const refused = await two.request(Apis.CreatePartitions, 3, { topics: [{ name: 'grown', count: 3, assignments: null }], timeoutMs: 10_000, validateOnly: false });
  expect(refused.results[0].errorCode).toBe(ErrorCode.NOT_CONTROLLER);

  const res = await (await h.client(1)).request(Apis.CreatePartitions, 3, { topics: [{ name: 'grown', count: 3, assignments: null }], timeoutMs: 10_000, validateOnly: false });
  expect(res.results[0]).toMatchObject({ name: 'grown', errorCode: ErrorCode.NONE });
  const assignment = JSON.parse((await h.admin.getData('/brokers/topics/grown'))!.data!.toString());
  expect(Object.keys(assignment.partitions)).toEqual(['0', '1', '2']);
  for (const p of [1, 2]) {
    const state = await h.state('grown', p);
    expect(assignment.partitions[String(p)]).toContain(state!.leader);
    const produced = await (await h.client(state!.leader)).request(Apis.Produce, 9, {
      acks: -1,
      timeoutMs: 10_000,
      topicData: [{ name: 'grown', partitionData: [{ index: p, records: buildBatch([{ key: null, value: Buffer.from(`p${p}`) }]) }] }],
    });
    expect(produced.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);
  }
}, 120_000);
