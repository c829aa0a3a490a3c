// kafka-reassign-partitions.sh, after Kafka 3.9's ReassignPartitionsCommand: --generate proposes an
// assignment (AdminUtils' placement), --execute starts reassignments and log-dir moves (with optional
// throttles), --verify reports their progress and clears the throttles once done, --cancel stops them,
// --list shows those under way. Messages and JSON are Kafka's; like Kafka, failures go to stdout.
import { readFileSync } from 'node:fs';
import { ClusterClient } from '../../client/cluster-client';
import { assignReplicas } from '../../cluster/replica-assignment';
import { OptionSpec, ParsedOptions, ToolCommand, UsageError } from '../command-line';
import { COMMAND_CONFIG, connectCluster } from '../cluster-options';
import {
  OngoingReassignment,
  alterConfigs,
  alterReassignments,
  alterReplicaLogDirs,
  clusterNodes,
  describeReplicaLogDirs,
  listReassignments,
  replicaAssignments,
  replicaKey,
  replicaText,
} from './reassign-admin';
import {
  PartitionTarget,
  ReassignError,
  ReplicaLogDir,
  TerseError,
  TopicPartition,
  compareReplicas,
  compareTopicPartitions,
  duplicates,
  formatReassignment,
  parseReassignment,
  parseTopicsToMove,
  tpName,
  validateForExecute,
} from './reassignment-json';

const ACTIONS = ['generate', 'execute', 'verify', 'cancel', 'list'] as const;
type Action = (typeof ACTIONS)[number];

const BROKER_THROTTLES = ['leader.replication.throttled.rate', 'follower.replication.throttled.rate', 'replica.alter.log.dirs.io.max.bytes.per.second'];
const TOPIC_THROTTLES = ['leader.replication.throttled.replicas', 'follower.replication.throttled.replicas'];

const CANNOT_EXECUTE =
  'Cannot execute because there is an existing partition assignment.  Use --additional to override this and create a new partition assignment in addition to the existing one. The --additional flag can also be used to change the throttle by resubmitting the current reassignment.';
const RUN_VERIFY_WARNING = 'Warning: You must run --verify periodically, until the reassignment completes, to ensure the throttle is removed.';
const MOVE_RETRY_MS = 100;

const OPTIONS: OptionSpec[] = [
  {
    name: 'verify',
    description:
      'Verify if the reassignment completed as specified by the --reassignment-json-file option. If there is a throttle engaged for the replicas specified, and the rebalance has completed, the throttle will be removed',
  },
  { name: 'generate', description: 'Generate a candidate partition reassignment configuration. Note that this only generates a candidate assignment, it does not execute it.' },
  { name: 'execute', description: 'Kick off the reassignment as specified by the --reassignment-json-file option.' },
  { name: 'cancel', description: 'Cancel an active reassignment.' },
  { name: 'list', description: 'List all active partition reassignments.' },
  { name: 'bootstrap-server', arg: 'String: Server(s) to use for bootstrapping', description: 'REQUIRED: the server(s) to use for bootstrapping.' },
  { ...COMMAND_CONFIG, arg: 'String: Admin client property file' },
  {
    name: 'reassignment-json-file',
    arg: 'String: manual assignment json file path',
    description:
      'The JSON file with the partition reassignment configurationThe format to use is - \n{"partitions":\n\t[{"topic": "foo",\n\t  "partition": 1,\n\t  "replicas": [1,2,3],\n\t  "log_dirs": ["dir1","dir2","dir3"] }],\n"version":1\n}\nNote that "log_dirs" is optional. When it is specified, its length must equal the length of the replicas list. The value in this list can be either "any" or the absolution path of the log directory on the broker. If absolute log directory path is specified, the replica will be moved to the specified log directory on the broker.',
  },
  {
    name: 'topics-to-move-json-file',
    arg: 'String: topics to reassign json file path',
    description:
      'Generate a reassignment configuration to move the partitions of the specified topics to the list of brokers specified by the --broker-list option. The format to use is - \n{"topics":\n\t[{"topic": "foo"},{"topic": "foo1"}],\n"version":1\n}',
  },
  {
    name: 'broker-list',
    arg: 'String: brokerlist',
    description: 'The list of brokers to which the partitions need to be reassigned in the form "0,1,2". This is required if --topics-to-move-json-file is used to generate reassignment configuration',
  },
  { name: 'disable-rack-aware', description: 'Disable rack aware replica assignment' },
  {
    name: 'throttle',
    arg: 'Long: throttle',
    description:
      'The movement of partitions between brokers will be throttled to this value (bytes/sec). This option can be included with --execute when a reassignment is started, and it can be altered by resubmitting the current reassignment along with the --additional flag. The throttle rate should be at least 1 KB/s.',
    defaultValue: '-1',
  },
  {
    name: 'replica-alter-log-dirs-throttle',
    arg: 'Long: replicaAlterLogDirsThrottle',
    description:
      'The movement of replicas between log directories on the same broker will be throttled to this value (bytes/sec). This option can be included with --execute when a reassignment is started, and it can be altered by resubmitting the current reassignment along with the --additional flag. The throttle rate should be at least 1 KB/s.',
    defaultValue: '-1',
  },
  { name: 'timeout', arg: 'Long: timeout', description: 'The maximum time in ms to wait for log directory replica assignment to begin.', defaultValue: '10000' },
  { name: 'additional', description: 'Execute this reassignment in addition to any other ongoing ones. This option can also be used to change the throttle of an ongoing reassignment.' },
  { name: 'preserve-throttles', description: 'Do not modify broker or topic throttles.' },
];

export const command = new ToolCommand('This tool helps to move topic partitions between replicas.', OPTIONS);

const REQUIRED: Record<Action, string[]> = {
  verify: ['reassignment-json-file'],
  generate: ['topics-to-move-json-file', 'broker-list'],
  execute: ['reassignment-json-file'],
  cancel: ['reassignment-json-file'],
  list: [],
};

const PERMITTED: Record<Action, string[]> = {
  verify: ['bootstrap-server', 'command-config', 'preserve-throttles'],
  generate: ['bootstrap-server', 'broker-list', 'command-config', 'disable-rack-aware'],
  execute: ['additional', 'bootstrap-server', 'command-config', 'throttle', 'replica-alter-log-dirs-throttle', 'timeout'],
  cancel: ['bootstrap-server', 'command-config', 'preserve-throttles', 'timeout'],
  list: ['bootstrap-server', 'command-config'],
};

/** validateAndParseArgs: exactly one action, its required options, and no option it does not take. */
export function validateArgs(options: ParsedOptions, given: readonly string[]): Action {
  const actions = ACTIONS.filter((a) => options.has(a));
  if (actions.length !== 1) throw new UsageError(`Command must include exactly one action: ${ACTIONS.map((a) => `--${a}`).join(', ')}`);
  const action = actions[0];
  options.required('bootstrap-server');
  for (const name of REQUIRED[action]) options.required(name);
  for (const name of given) {
    if (name !== action && !REQUIRED[action].includes(name) && !PERMITTED[action].includes(name)) {
      throw new UsageError(`Option "[${name}]" can't be used with action "[${action}]"`);
    }
  }
  return action;
}

/** The long options on the command line, in order (jopt-simple's OptionSet.specs()). */
function givenOptions(argv: readonly string[]): string[] {
  const names = argv.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0]);
  return [...new Set(names)];
}

type Out = (text: string) => void;

function readFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new ReassignError(path);
  }
}

async function generate(client: ClusterClient, options: ParsedOptions, out: Out): Promise<void> {
  const brokerText = options.required('broker-list');
  const brokers = brokerText.split(',').map((b) => {
    if (!/^[-+]?\d+$/.test(b)) throw new ReassignError(`For input string: "${b}"`);
    return Number(b);
  });
  const dupBrokers = duplicates(brokers);
  if (dupBrokers.length > 0) throw new ReassignError(`Broker list contains duplicate entries: [${dupBrokers.join(', ')}]`);
  const topics = parseTopicsToMove(readFile(options.required('topics-to-move-json-file')));
  const dupTopics = duplicates(topics);
  if (dupTopics.length > 0) throw new ReassignError(`List of topics to reassign contains duplicate entries: [${dupTopics.join(', ')}]`);

  const current = await replicaAssignments(client, topics);
  const rackAware = !options.has('disable-rack-aware');
  const nodes = (await clusterNodes(client)).filter((n) => brokers.includes(n.nodeId));
  const metadata = nodes.map((n) => ({ id: n.nodeId, rack: rackAware ? n.rack : null }));
  const rackless = metadata.filter((m) => m.rack === null).length;
  if (rackAware && rackless !== 0 && rackless !== metadata.length) {
    throw new ReassignError('Not all brokers have rack information. Add --disable-rack-aware in command line to make replica assignment without rack information.');
  }
  const proposed: PartitionTarget[] = [];
  for (const topic of new Set(current.map((p) => p.topic))) {
    const partitions = current.filter((p) => p.topic === topic);
    assignReplicas(metadata, partitions.length, partitions[0].replicas.length).forEach((replicas, partition) => proposed.push({ topic, partition, replicas }));
  }
  out(`Current partition replica assignment\n${formatReassignment(current)}\n\n`);
  out(`Proposed partition reassignment configuration\n${formatReassignment(proposed)}\n`);
}

/** calculateProposedMoveMap: per partition, the brokers copying from (sources) and to (destinations). */
function moveMap(ongoing: OngoingReassignment[], proposed: PartitionTarget[], current: PartitionTarget[]): Map<string, { tp: TopicPartition; sources: Set<number>; destinations: Set<number> }> {
  const moves = new Map<string, { tp: TopicPartition; sources: Set<number>; destinations: Set<number> }>();
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
async function throttleReassignment(client: ClusterClient, moves: ReturnType<typeof moveMap>, rate: number, out: Out): Promise<void> {
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

/** executeMoves: AlterReplicaLogDirs until every move has started (a replica still arriving on its broker is retried). */
async function executeMoves(client: ClusterClient, moves: ReplicaLogDir[], timeoutMs: number, out: Out): Promise<void> {
  const started = Date.now();
  let pending = [...moves];
  for (;;) {
    const done = await alterReplicaLogDirs(client, pending);
    for (const m of [...done].sort(compareReplicas)) out(`Successfully started moving log directory to ${m.logDir} for replica ${m.topic}-${m.partition} with broker ${m.broker} \n`);
    pending = pending.filter((p) => !done.includes(p));
    if (pending.length === 0) return;
    if (Date.now() >= started + timeoutMs) {
      throw new TerseError(`Timed out before log directory move${pending.length === 1 ? '' : 's'} could be started for: ${[...pending].sort(compareReplicas).map(replicaText).join(',')}`);
    }
    await new Promise((r) => setTimeout(r, MOVE_RETRY_MS));
  }
}

async function execute(client: ClusterClient, options: ParsedOptions, out: Out): Promise<void> {
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
    const lines = [...errors].sort(([a], [b]) => compareTopicPartitions(parseTp(a), parseTp(b))).map(([tp, message]) => `${tp}: ${message}`);
    throw new TerseError(`Error reassigning partition(s):\n${lines.join('\n')}`);
  }
  const names = [...data.partitions].sort(compareTopicPartitions).map(tpName);
  out(`Successfully started partition reassignment${names.length === 1 ? '' : 's'} for ${names.join(',')}\n`);
  if (data.logDirs.length > 0) await executeMoves(client, data.logDirs, options.int('timeout')!, out);
}

function parseTp(name: string): TopicPartition {
  const at = name.lastIndexOf('-');
  return { topic: name.slice(0, at), partition: Number(name.slice(at + 1)) };
}

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

async function verify(client: ClusterClient, options: ParsedOptions, out: Out): Promise<void> {
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

async function cancel(client: ClusterClient, options: ParsedOptions, out: Out): Promise<void> {
  const data = parseReassignment(readFile(options.required('reassignment-json-file')));
  const active = (await listReassignments(client, data.partitions)).filter((r) => r.addingReplicas.length === 0 || r.removingReplicas.length > 0);
  if (active.length > 0) {
    const errors = await alterReassignments(client, active.map((r) => ({ topic: r.topic, partition: r.partition, replicas: null })));
    if (errors.size > 0) {
      const lines = [...errors].sort(([a], [b]) => compareTopicPartitions(parseTp(a), parseTp(b))).map(([tp, message]) => `${tp}: ${message}`);
      throw new TerseError(`Error cancelling partition reassignment${errors.size === 1 ? '' : 's'} for:\n${lines.join('\n')}`);
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

async function list(client: ClusterClient, out: Out): Promise<void> {
  const ongoing = (await listReassignments(client)).sort(compareTopicPartitions);
  if (ongoing.length === 0) {
    out('No partition reassignments found.\n');
    return;
  }
  const lines = ongoing.map(
    (r) =>
      `${tpName(r)}: replicas: ${r.replicas.join(',')}.` +
      (r.addingReplicas.length > 0 ? ` adding: ${r.addingReplicas.join(',')}.` : '') +
      (r.removingReplicas.length > 0 ? ` removing: ${r.removingReplicas.join(',')}.` : ''),
  );
  out(`Current partition reassignments:\n${lines.join('\n')}\n`);
}

/** Runs the validated action; failures are printed on stdout as Kafka prints them. Returns the exit code. */
export async function runReassign(options: ParsedOptions, argv: readonly string[], out: Out): Promise<number> {
  const action = validateArgs(options, givenOptions(argv));
  let client: ClusterClient | undefined;
  try {
    client = await connectCluster(options, 'reassign-partitions-tool');
    if (action === 'generate') await generate(client, options, out);
    else if (action === 'execute') await execute(client, options, out);
    else if (action === 'verify') await verify(client, options, out);
    else if (action === 'cancel') await cancel(client, options, out);
    else await list(client, out);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    out(err instanceof TerseError ? `${err.message}\n` : `Error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    client?.close();
  }
}

export async function main(options: ParsedOptions): Promise<number> {
  return runReassign(options, process.argv.slice(2), (t) => process.stdout.write(t));
}
