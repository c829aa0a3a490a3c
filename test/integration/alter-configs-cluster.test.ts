// A topic config altered through one broker of a ZooKeeper-mode cluster reaches every broker, as
// Kafka's config change notifications carry it: /config/topics/<t> and a sequential
// /config/changes/config_change_ node, and every broker's log takes the new value.
import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import { waitFor } from '../helpers/wait';
import { useZkCluster } from '../helpers/zk-cluster-harness';

const h = useZkCluster('alter-configs', { 'zookeeper.session.timeout.ms': 6000 });

// Broker 2 checks that the topic exists in ZooKeeper, not only in its view, which may not have the
// topic created through broker 1 yet (it answered UNKNOWN_TOPIC_OR_PARTITION when it lagged).
test('IncrementalAlterConfigs through broker 2 is seen by broker 3 and written as Kafka writes it', async () => {
  await h.startCluster();
  await h.createTopic('configured', [[1, 2, 3]]);
  const res = await (await h.client(2)).request(Apis.IncrementalAlterConfigs, 1, {
    resources: [{ resourceType: 2, resourceName: 'configured', configs: [{ name: 'retention.ms', configOperation: 0, value: '3600000' }] }],
    validateOnly: false,
  });
  expect(res.responses[0]).toMatchObject({ errorCode: ErrorCode.NONE, resourceName: 'configured' });

  const stored = await h.admin.getData('/config/topics/configured');
  expect(JSON.parse(stored!.data!.toString())).toEqual({ version: 1, config: { 'retention.ms': '3600000' } });
  const changes = (await h.admin.getChildren('/config/changes')) ?? [];
  const notes = await Promise.all(changes.map(async (c) => JSON.parse((await h.admin.getData(`/config/changes/${c}`))!.data!.toString())));
  expect(notes).toContainEqual({ version: 2, entity_path: 'topics/configured' });

  const three = await h.client(3);
  await waitFor(async () => {
    const described = await three.request(Apis.DescribeConfigs, 4, { resources: [{ resourceType: 2, resourceName: 'configured', configurationKeys: ['retention.ms'] }] });
    return described.results[0].configs[0]?.value === '3600000';
  }, 'broker 3 to describe the new retention.ms');

  // A topic that is nowhere, asked of ZooKeeper too: UNKNOWN_TOPIC_OR_PARTITION with Kafka's message.
  const unknown = await three.request(Apis.IncrementalAlterConfigs, 1, {
    resources: [{ resourceType: 2, resourceName: 'nowhere', configs: [{ name: 'retention.ms', configOperation: 0, value: '1' }] }],
    validateOnly: false,
  });
  expect(unknown.responses[0]).toMatchObject({ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: "The topic 'nowhere' does not exist." });
}, 90_000);

// Kafka's DynamicBrokerConfig in ZooKeeper mode: the cluster-wide default goes to
// /config/brokers/<default>, one broker's own configs to /config/brokers/<id>, each with a change
// notification; every broker applies the default, only broker 3 its own.
test('a dynamic broker default altered through broker 1 takes effect on every broker; a per-broker value only on its broker', async () => {
  await h.startCluster();
  await h.createTopic('sized', [[2, 3]]);
  const one = await h.client(1);
  const res = await one.request(Apis.IncrementalAlterConfigs, 1, {
    resources: [{ resourceType: 4, resourceName: '', configs: [{ name: 'message.max.bytes', configOperation: 0, value: '1024' }] }],
    validateOnly: false,
  });
  expect(res.responses[0]).toMatchObject({ errorCode: ErrorCode.NONE, resourceName: '' });
  expect(JSON.parse((await h.admin.getData('/config/brokers/<default>'))!.data!.toString())).toEqual({ version: 1, config: { 'message.max.bytes': '1024' } });
  const changes = (await h.admin.getChildren('/config/changes')) ?? [];
  const notes = await Promise.all(changes.map(async (c) => JSON.parse((await h.admin.getData(`/config/changes/${c}`))!.data!.toString())));
  expect(notes).toContainEqual({ version: 2, entity_path: 'brokers/<default>' });

  const big = buildBatch([{ key: null, value: Buffer.alloc(2000, 7) }]);
  const leader = (await h.state('sized', 0))!.leader;
  const viaLeader = await h.client(leader);
  await waitFor(async () => {
    const produced = await viaLeader.request(Apis.Produce, 9, { acks: -1, timeoutMs: 10_000, topicData: [{ name: 'sized', partitionData: [{ index: 0, records: big }] }] });
    return produced.responses[0].partitionResponses[0].errorCode === ErrorCode.MESSAGE_TOO_LARGE;
  }, `broker ${leader} to refuse a batch over the new message.max.bytes`);

  const three = await h.client(3);
  const own = await three.request(Apis.AlterConfigs, 2, { resources: [{ resourceType: 4, resourceName: '3', configs: [{ name: 'log.retention.ms', value: '120000' }] }], validateOnly: false });
  expect(own.responses[0].errorCode).toBe(ErrorCode.NONE);
  expect(JSON.parse((await h.admin.getData('/config/brokers/3'))!.data!.toString())).toEqual({ version: 1, config: { 'log.retention.ms': '120000' } });
  const describe = async (id: number) =>
    (await (await h.client(id)).request(Apis.DescribeConfigs, 4, { resources: [{ resourceType: 4, resourceName: String(id), configurationKeys: ['log.retention.ms', 'message.max.bytes'] }], includeSynonyms: false, includeDocumentation: false }))
      .results[0].configs.map((c) => [c.name, c.value, c.configSource]);
  await waitFor(async () => JSON.stringify(await describe(2)) === JSON.stringify([['log.retention.ms', null, 5], ['message.max.bytes', '1024', 3]]), 'broker 2 to report the dynamic default');
  expect(await describe(3)).toEqual([['log.retention.ms', '120000', 2], ['message.max.bytes', '1024', 3]]);
  const elsewhere = await one.request(Apis.AlterConfigs, 2, { resources: [{ resourceType: 4, resourceName: '3', configs: [] }], validateOnly: true });
  expect(elsewhere.responses[0]).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Unexpected broker id, expected 1, but received 3' });
}, 120_000);
