// Finalized features on a three-broker ZooKeeper-mode cluster: the controller creates /feature in
// Kafka's format, every broker reports its epoch in ApiVersions, UpdateFeatures is refused as a 3.9
// ZooKeeper-mode cluster refuses it (NOT_CONTROLLER elsewhere, unsupported features at the
// controller), and when /feature changes every broker follows its watch, down to a new controller
// re-enabling a disabled node.
import { Apis, ErrorCode } from '../../protocol';
import { SAFE_DOWNGRADE, UPGRADE } from '../../src/cluster/features';
import { useZkCluster } from '../helpers/zk-cluster-harness';
import { waitFor } from '../helpers/wait';

const h = useZkCluster('features', { 'zookeeper.session.timeout.ms': 6000 });

async function epochs(ids: number[]): Promise<bigint[]> {
  const out: bigint[] = [];
  for (const id of ids) {
    const res = await (await h.client(id)).request(Apis.ApiVersions, 3, { clientSoftwareName: 'test', clientSoftwareVersion: '1' });
    expect(res.supportedFeatures).toEqual([]);
    expect(res.finalizedFeatures).toEqual([]);
    out.push(res.finalizedFeaturesEpoch);
  }
  return out;
}

const featureNode = async () => {
  const node = await h.admin.getData('/feature');
  return { json: JSON.parse(node!.data!.toString()), version: node!.stat.version };
};

test('/feature is written in Kafka\'s format, refused updates leave it alone, and every broker follows it', async () => {
  await h.startCluster();
  expect(await featureNode()).toEqual({ json: { features: {}, version: 2, status: 1 }, version: 0 });
  await waitFor(async () => (await epochs([1, 2, 3])).every((e) => e === 0n), 'every broker to report epoch 0');

  const update = (id: number, feature: string, maxVersionLevel: number, upgradeType: number) =>
    h.client(id).then((c) => c.request(Apis.UpdateFeatures, 1, { timeoutMs: 10_000, featureUpdates: [{ feature, maxVersionLevel, upgradeType }], validateOnly: false }));
  expect(await update(2, 'metadata.version', 21, UPGRADE)).toMatchObject({ errorCode: ErrorCode.NOT_CONTROLLER, results: [] });
  expect((await update(1, 'metadata.version', 21, UPGRADE)).results).toEqual([
    { feature: 'metadata.version', errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Could not apply finalized feature update because the provided feature is not supported.' },
  ]);
  expect((await update(1, 'metadata.version', 0, SAFE_DOWNGRADE)).results).toEqual([
    { feature: 'metadata.version', errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Can not delete non-existing finalized feature.' },
  ]);
  expect((await featureNode()).version).toBe(0);

  // Disabled (as a pre-2.7 controller leaves it): no finalized features anywhere.
  await h.admin.setData('/feature', Buffer.from('{"features":{},"version":1,"status":0}'), -1);
  await waitFor(async () => (await epochs([1, 2, 3])).every((e) => e === -1n), 'every broker to drop the disabled features');
  // A new controller enables it again, in version 2, and the others follow.
  await h.brokers.get(1)!.stop();
  await waitFor(async () => [2, 3].includes(await h.controllerId()), 'another controller');
  await waitFor(async () => (await featureNode()).json.status === 1, 'the new controller to enable /feature');
  expect(await featureNode()).toEqual({ json: { features: {}, version: 2, status: 1 }, version: 2 });
  await waitFor(async () => (await epochs([2, 3])).every((e) => e === 2n), 'brokers 2 and 3 to report epoch 2');
}, 120_000);
