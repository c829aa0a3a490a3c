// kafka-reassign-partitions.sh --verify and --cancel: the state of each reassignment and log-dir move in
// Kafka's words, and the clearing of every throttle once nothing is moving any more.
import { ClusterClient } from '../../client/cluster-client';
import { ParsedOptions } from '../command-line';
import { alterConfigs, alterReassignments, clusterNodes, describeReplicaLogDirs, listReassignments, replicaAssignments, replicaKey, replicaText } from './reassign-admin';
import { BROKER_THROTTLES, Out, TOPIC_THROTTLES, errorLines, executeMoves, readFile } from './reassign-common';
import { PartitionTarget, ReassignError, ReplicaLogDir, TerseError, compareReplicas, compareTopicPartitions, parseReassignment } from './reassignment-json';
import { tpName } from '../../client/topic-partition';

type MoveState =
  | { kind: 'missing-replica' }
  | { kind: 'missing-log-dir' }
  | { kind: 'active'; current: string; future: string }
  | { kind: 'cancelled'; current: string }
  | { kind: 'completed' };

/** findLogDirMoveStates. */
async function logDirMoveStates(client: ClusterClient, targets: ReplicaLogDir[]): Promise<Map<ReplicaLogDir, MoveState>> {
  const infos = await describeReplicaLogDirs(client, targets);
  const states = new Map<ReplicaLogDir, MoveState>();
  for (const t of targets) {
    const info = infos.get(replicaKey(t));
    if (info === undefined) states.set(t, { kind: 'missing-replica' });
    else if (info.current === null) states.set(t, { kind: 'missing-log-dir' });
    else if (info.future === null) states.set(t, info.current === t.logDir ? { kind: 'completed' } : { kind: 'cancelled', current: info.current });
    else states.set(t, { kind: 'active', current: info.current, future: info.future });
  }
  return states;
}

function moveStatesText(states: Map<ReplicaLogDir, MoveState>): string {
  return [...states]
    .sort(([a], [b]) => compareReplicas(a, b))
    .map(([r, s]) => {
      const tp = `${r.topic}-${r.partition}`;
      switch (s.kind) {
        case 'missing-log-dir':
          return `Partition ${tp} is not found in any live log dir on broker ${r.broker}. There is likely an offline log directory on the broker.`;
        case 'missing-replica':
          return `Partition ${tp} cannot be found in any live log directory on broker ${r.broker}.`;
        case 'active':
          return s.future === r.logDir
            ? `Reassignment of replica ${replicaText(r)} is still in progress.`
            : `Partition ${tp} on broker ${r.broker} is being moved to log dir ${s.future} instead of ${r.logDir}.`;
        case 'cancelled':
          return `Partition ${tp} on broker ${r.broker} is not being moved from log dir ${s.current} to ${r.logDir}.`;
        default:
          return `Reassignment of replica ${replicaText(r)} completed successfully.`;
      }
    })
    .join('\n');
}

/** clearAllThrottles: every broker of the cluster and of the targets, every target topic. */
async function clearAllThrottles(client: ClusterClient, targets: PartitionTarget[], out: Out): Promise<void> {
  const brokers = new Set((await clusterNodes(client)).map((n) => n.nodeId));
  for (const t of targets) for (const b of t.replicas) brokers.add(b);
  const sortedBrokers = [...brokers].sort((a, b) => a - b);
  out(`Clearing broker-level throttles on broker${sortedBrokers.length === 1 ? '' : 's'} ${sortedBrokers.join(',')}\n`);
  await alterConfigs(client, sortedBrokers.map((b) => ({ resourceType: 'broker', name: String(b), delete: BROKER_THROTTLES })));
  const topics = [...new Set(targets.map((t) => t.topic))].sort();
  out(`Clearing topic-level throttles on topic${topics.length === 1 ? '' : 's'} ${topics.join(',')}\n`);
  await alterConfigs(client, topics.map((name) => ({ resourceType: 'topic', name, delete: TOPIC_THROTTLES })));
}

export async function verify(client: ClusterClient, options: ParsedOptions, out: Out): Promise<void> {
  const data = parseReassignment(readFile(options.required('reassignment-json-file')));
  const ongoing = await listReassignments(client);
  const described = await replicaAssignments(
    client,
    data.partitions.filter((p) => !ongoing.some((o) => tpName(o) === tpName(p))).map((p) => p.topic),
  ).catch((err: unknown) => {
    if (err instanceof ReassignError && err.message.includes('UnknownTopicOrPartitionException')) return [];
    throw err;
  });
  const lines = ['Status of partition reassignment:'];
  for (const target of [...data.partitions].sort(compareTopicPartitions)) {
    if (ongoing.some((o) => tpName(o) === tpName(target))) {
      lines.push(`Reassignment of partition ${tpName(target)} is still in progress.`);
      continue;
    }
    const current = described.find((d) => tpName(d) === tpName(target))?.replicas ?? [];
    lines.push(
      current.join(',') === target.replicas.join(',')
        ? `Reassignment of partition ${tpName(target)} is completed.`
        : `There is no active reassignment of partition ${tpName(target)}, but replica set is ${current.join(',')} rather than ${target.replicas.join(',')}.`,
    );
  }
  out(`${lines.join('\n')}\n`);
  const moves = await logDirMoveStates(client, data.logDirs);
  out(`${moveStatesText(moves)}\n`);
  const movesOngoing = [...moves.values()].some((s) => s.kind !== 'completed');
  if (ongoing.length === 0 && !movesOngoing && !options.has('preserve-throttles')) await clearAllThrottles(client, data.partitions, out);
}

export async function cancel(client: ClusterClient, options: ParsedOptions, out: Out): Promise<void> {
  const data = parseReassignment(readFile(options.required('reassignment-json-file')));
  const active = (await listReassignments(client, data.partitions)).filter((r) => r.addingReplicas.length === 0 || r.removingReplicas.length > 0);
  if (active.length > 0) {
    const errors = await alterReassignments(client, active.map((r) => ({ topic: r.topic, partition: r.partition, replicas: null })));
    if (errors.size > 0) {
      throw new TerseError(`Error cancelling partition reassignment${errors.size === 1 ? '' : 's'} for:\n${errorLines(errors)}`);
    }
    out(`Successfully cancelled partition reassignment${active.length === 1 ? '' : 's'} for: ${[...active].sort(compareTopicPartitions).map(tpName).join(',')}\n`);
  } else {
    out('None of the specified partition reassignments are active.\n');
  }
  const moving = [...(await logDirMoveStates(client, data.logDirs))].flatMap(([r, s]) => (s.kind === 'active' ? [{ ...r, logDir: s.current }] : []));
  // Kafka prints this one without a line break.
  if (moving.length === 0) out('None of the specified partition moves are active.');
  else await executeMoves(client, moving, options.int('timeout')!, out);
  if (!options.has('preserve-throttles')) await clearAllThrottles(client, data.partitions, out);
}
