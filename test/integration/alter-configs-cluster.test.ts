// A topic config altered through one broker of a ZooKeeper-mode cluster reaches every broker, as
// Kafka's config change notifications carry it: /config/topics/<t> and a sequential
// /config/changes/config_change_ node, and every broker's log takes the new value.
import { Apis, ErrorCode } from '../../protocol';
import { waitFor } from '../helpers/wait';
import { useZkCluster } from '../helpers/zk-cluster-harness';

const h = useZkCluster('alter-configs', { 'zookeeper.session.timeout.ms': 6000 });

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
}, 90_000);
