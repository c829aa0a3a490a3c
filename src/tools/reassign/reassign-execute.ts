// kafka-reassign-partitions.sh --execute: prints the current assignment (for rollback), sets the
// throttles Kafka derives from the moves, starts the reassignments, then any log-dir moves.
import { ClusterClient } from '../../client/cluster-client';
import { ParsedOptions } from '../command-line';
import { TopicPartition, tpName } from '../../client/topic-partition';
import { OngoingReassignment, alterConfigs, alterReassignments, clusterNodes, listReassignments, replicaAssignments } from './reassign-admin';
import { BROKER_THROTTLES, Out, TOPIC_THROTTLES, errorLines, executeMoves, readFile } from './reassign-common';
import {
  PartitionTarget,
  ReassignError,
  TerseError,
  compareTopicPartitions,
  formatReassignment,
  parseReassignment,
  validateForExecute,
} from './reassignment-json';

const CANNOT_EXECUTE =
  'Cannot execute because there is an existing partition assignment.  Use --additional to override this and create a new partition assignment in addition to the existing one. The --additional flag can also be used to change the throttle by resubmitting the current reassignment.';
const RUN_VERIFY_WARNING = 'Warning: You must run --verify periodically, until the reassignment completes, to ensure the throttle is removed.';

/** Kafka's PartitionMove: the brokers a partition copies from (sources) and to (destinations). */
interface PartitionMove {
  tp: TopicPartition;
  sources: Set<number>;
  destinations: Set<number>;
}

/** calculateProposedMoveMap: ongoing reassignments, then the proposed ones (keeping an ongoing one's sources). */
function moveMap(ongoing: OngoingReassignment[], proposed: PartitionTarget[], current: PartitionTarget[]): Map<string, PartitionMove> {
  const moves = new Map<string, PartitionMove>();
  for (const r of ongoing) {
    moves.set(tpName(r), { tp: r, sources: new Set(r.replicas.filter((b) => !r.addingReplicas.includes(b))), destinations: new Set(r.addingReplicas) });
  }
  for (const p of proposed) {
    const sources = moves.get(tpName(p))?.sources ?? new Set(current.find((c) => tpName(c) === tpName(p))?.replicas ?? []);
    moves.set(tpName(p), { tp: p, sources, destinations: new Set(p.replicas.filter((b) => !sources.has(b))) });
  }
  return moves;
}

/** The topic throttle lists ("partition:broker", sorted as strings like Kafka's TreeSet) and the brokers involved. */
async function throttleReassignment(client: ClusterClient, moves: Map<string, PartitionMove>, rate: number, out: Out): Promise<void> {
  const byTopic = new Map<string, { leaders: Set<string>; followers: Set<string> }>();
  const brokers = new Set<number>();
  for (const { tp, sources, destinations } of moves.values()) {
    const t = byTopic.get(tp.topic) ?? { leaders: new Set(), followers: new Set() };
    for (const s of sources) t.leaders.add(`${tp.partition}:${s}`);
    for (const d of destinations) if (!sources.has(d)) t.followers.add(`${tp.partition}:${d}`);
    byTopic.set(tp.topic, t);
    for (const b of [...sources, ...destinations]) brokers.add(b);
  }
  const list = (s: Set<string>) => [...s].sort().join(',');
  await alterConfigs(
    client,
    [...byTopic].map(([name, t]) => ({ resourceType: 'topic', name, set: { [TOPIC_THROTTLES[0]]: list(t.leaders), [TOPIC_THROTTLES[1]]: list(t.followers) } })),
  );
  await alterConfigs(
    client,
    [...brokers].sort((a, b) => a - b).map((b) => ({ resourceType: 'broker', name: String(b), set: { [BROKER_THROTTLES[0]]: String(rate), [BROKER_THROTTLES[1]]: String(rate) } })),
  );
  out(`The inter-broker throttle limit was set to ${rate} B/s\n`);
}

export async function execute(client: ClusterClient, options: ParsedOptions, out: Out): Promise<void> {
  const data = parseReassignment(readFile(options.required('reassignment-json-file')));
  validateForExecute(data);
  const ongoing = await listReassignments(client);
  if (!options.has('additional') && ongoing.length > 0) throw new TerseError(CANNOT_EXECUTE);
  const known = new Set((await clusterNodes(client)).map((n) => n.nodeId));
  const unknown = [...new Set(data.partitions.flatMap((p) => p.replicas))].sort((a, b) => a - b).find((b) => !known.has(b));
  if (unknown !== undefined) throw new ReassignError(`Unknown broker id ${unknown}`);
  const current = (await replicaAssignments(client, data.partitions.map((p) => p.topic))).filter((c) => data.partitions.some((p) => tpName(p) === tpName(c)));
  const missing = data.partitions.filter((p) => !current.some((c) => tpName(c) === tpName(p)));
  if (missing.length > 0) {
    throw new ReassignError(`org.apache.kafka.common.errors.UnknownTopicOrPartitionException: Unable to find partition: ${missing.map(tpName).join(', ')}`);
  }
  out(`Current partition replica assignment\n\n${formatReassignment(current)}\n\nSave this to use as the --reassignment-json-file option during rollback\n`);

  const throttle = options.int('throttle')!;
  const logDirThrottle = options.int('replica-alter-log-dirs-throttle')!;
  if (throttle >= 0 || logDirThrottle >= 0) {
    out(`${RUN_VERIFY_WARNING}\n`);
    if (throttle >= 0) await throttleReassignment(client, moveMap(ongoing, data.partitions, current), throttle, out);
    if (logDirThrottle >= 0) {
      const brokers = [...new Set(data.logDirs.map((d) => d.broker))];
      await alterConfigs(client, brokers.map((b) => ({ resourceType: 'broker', name: String(b), set: { [BROKER_THROTTLES[2]]: String(logDirThrottle) } })));
      out(`The replica-alter-dir throttle limit was set to ${logDirThrottle} B/s\n`);
    }
  }

  const errors = await alterReassignments(client, data.partitions);
  if (errors.size > 0) {
    throw new TerseError(`Error reassigning partition(s):\n${errorLines(errors)}`);
  }
  const names = [...data.partitions].sort(compareTopicPartitions).map(tpName);
  out(`Successfully started partition reassignment${names.length === 1 ? '' : 's'} for ${names.join(',')}\n`);
  if (data.logDirs.length > 0) await executeMoves(client, data.logDirs, options.int('timeout')!, out);
}
