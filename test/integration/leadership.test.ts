// Leadership moves the ZooKeeper-mode controller makes on purpose: three kafka-ts broker processes
// against a real ZooKeeper, one chroot per test: an /admin/preferred_replica_election request (a
// znode a test writes) brings leadership back to the preferred replica. (Controlled shutdown,
// ElectLeaders, the controller's own rebalance and unclean election run in-process:
// test/embedded/leadership.test.ts.)

import { waitFor } from '../helpers/wait';
import { useZkCluster } from '../helpers/zk-cluster-harness';

const h = useZkCluster('leadership', { 'replica.lag.time.max.ms': 1500, 'replica.fetch.backoff.ms': 100, 'auto.leader.rebalance.enable': 'false' });
const { brokers, startCluster, broker, createTopic, state, isrOf } = h;

test('a /admin/preferred_replica_election request moves leadership back, then goes away', async () => {
  await startCluster();
  await createTopic('requested', [[2, 1, 3], [1, 2, 3]]);
  const old = brokers.get(2)!;
  expect(await old.stop()).toBe(0);
  await broker(2, {}, old.logDir);
  await waitFor(async () => (await isrOf('requested')) === '1,2,3', 'broker 2 to rejoin the ISR');
  expect((await state('requested', 0))!.leader).toBe(1);

  const request = { version: 1, partitions: [{ topic: 'requested', partition: 0 }, { topic: 'requested', partition: 1 }] };
  await h.admin.create('/admin/preferred_replica_election', Buffer.from(JSON.stringify(request)), 'persistent');
  await waitFor(async () => (await h.admin.exists('/admin/preferred_replica_election')) === null, 'the request to be removed');
  expect((await state('requested', 0))!.leader).toBe(2);
  expect((await state('requested', 1))!.leader).toBe(1);
}, 120_000);
