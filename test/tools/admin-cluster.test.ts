// The admin tools on a three-broker ZooKeeper-mode cluster, where partitions can be under-replicated,
// leaderless, at their minimum ISR, and led by other than their preferred replica: kafka-topics.sh's
// reports and kafka-leader-election.sh, compared with what Kafka 3.9's tools print for that state.

import { runTool } from '../helpers/run-tool';
import { waitFor } from '../helpers/wait';
import { useZkCluster } from '../helpers/zk-cluster-harness';

const h = useZkCluster('admin-tools', { 'replica.lag.time.max.ms': 1500, 'replica.fetch.backoff.ms': 100, 'auto.leader.rebalance.enable': 'false' });

const ELR = '\tElr: N/A\tLastKnownElr: N/A';

test('reports while a broker is down, then a preferred leader election once it is back', async () => {
  await h.startCluster();
  await h.createTopic('moved', [[2, 1, 3]], { 'min.insync.replicas': '2' });
  await h.createTopic('solo', [[2]]);
  const bootstrap = h.brokers.get(1)!.bootstrap;
  const topics = (...args: string[]) => runTool('kafka-topics', ['--bootstrap-server', bootstrap, ...args]);
  const elect = (...args: string[]) => runTool('kafka-leader-election', ['--bootstrap-server', bootstrap, '--election-type', 'preferred', ...args]);

  const old = h.brokers.get(2)!;
  expect(await old.stop()).toBe(0);
  await waitFor(async () => (await h.isrOf('moved')) === '1,3' && (await h.state('solo', 0))?.leader === -1, 'broker 2 to leave the ISR and lose its leadership');
  // Kafka lists the ISR in the order the partition state holds it.
  const movedIsr = (await h.state('moved', 0))!.isr.join(',');
  const soloIsr = (await h.state('solo', 0))!.isr.join(',');
  const movedLine = `\tTopic: moved\tPartition: 0\tLeader: 1\tReplicas: 2,1,3\tIsr: ${movedIsr}${ELR}\n`;
  const soloLine = `\tTopic: solo\tPartition: 0\tLeader: none\tReplicas: 2\tIsr: ${soloIsr}${ELR}\n`;

  expect((await topics('--describe', '--topic', 'moved', '--under-replicated-partitions')).stdout).toBe(movedLine);
  expect((await topics('--describe', '--topic', 'moved', '--at-min-isr-partitions')).stdout).toBe(movedLine);
  expect((await topics('--describe', '--topic', 'moved', '--under-min-isr-partitions')).stdout).toBe('');
  expect((await topics('--describe', '--topic', 'moved', '--unavailable-partitions')).stdout).toBe('');
  expect((await topics('--describe', '--topic', 'solo', '--unavailable-partitions')).stdout).toBe(soloLine);
  expect((await topics('--describe', '--topic', 'solo', '--under-min-isr-partitions')).stdout).toBe(soloLine);

  const early = await elect('--topic', 'moved', '--partition', '0');
  expect(early.code).toBe(1);
  expect(early.stdout).toMatch(/^Error completing leader election \(PREFERRED\) for partition: moved-0: org\.apache\.kafka\.common\.errors\.PreferredLeaderNotAvailableException: .+\n$/);
  expect(early.stderr).toBe('1 replica(s) could not be elected\n');

  await h.broker(2, {}, old.logDir);
  await waitFor(async () => (await h.isrOf('moved')) === '1,2,3', 'broker 2 to rejoin the ISR');
  expect(await elect('--topic', 'moved', '--partition', '0')).toEqual({ stdout: 'Successfully completed leader election (PREFERRED) for partitions moved-0\n', stderr: '', code: 0 });
  expect((await h.state('moved', 0))!.leader).toBe(2);
  expect(await elect('--topic', 'moved', '--partition', '0')).toEqual({ stdout: 'Valid replica already elected for partitions moved-0\n', stderr: '', code: 0 });

  const dirs = await runTool('kafka-log-dirs', ['--bootstrap-server', bootstrap, '--describe', '--topic-list', 'moved']);
  expect(dirs.stdout.split('\n')[1]).toBe('Received log directory information from brokers 1,2,3');
  const versions = await runTool('kafka-broker-api-versions', ['--bootstrap-server', bootstrap]);
  expect(versions.stdout.split('\n').filter((l) => l.includes(' -> (')).map((l) => l.replace(/^127\.0\.0\.1:\d+ /, ''))).toEqual(
    [1, 2, 3].map((id) => `(id: ${id} rack: null) -> (`),
  );
}, 180_000);
