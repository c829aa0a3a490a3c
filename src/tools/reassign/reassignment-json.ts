// The JSON files of kafka-reassign-partitions.sh, read and written as Kafka 3.9 does: the reassignment
// ({"version":1,"partitions":[{"topic","partition","replicas","log_dirs"}]}, log_dirs optional, "any" for
// no particular directory) and the topics to move ({"version":1,"topics":[{"topic":"foo"}]}). Output is
// Jackson's compact form with partitions in topic, then partition order.

import { TopicPartition, tpName } from '../../client/topic-partition';

export const ANY_LOG_DIR = 'any';

export interface PartitionTarget extends TopicPartition {
  replicas: number[];
}

/** A replica to move to a log dir (only those whose log_dirs entry is not "any"). */
export interface ReplicaLogDir extends TopicPartition {
  broker: number;
  logDir: string;
}

export interface ReassignmentData {
  partitions: PartitionTarget[];
  logDirs: ReplicaLogDir[];
}

/** A failure Kafka reports as an exception message ("Error: ..." on stdout). */
export class ReassignError extends Error {}

/** A failure Kafka reports as a TerseException: the message alone on stdout. */
export class TerseError extends Error {}


export function compareTopicPartitions(a: TopicPartition, b: TopicPartition): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;
}

export function compareReplicas(a: TopicPartition & { broker: number }, b: TopicPartition & { broker: number }): number {
  return a.broker - b.broker || compareTopicPartitions(a, b);
}

function parseJson(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ReassignError((err as Error).message);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ReassignError('Expected JSON object');
  return value as Record<string, unknown>;
}

function field<T>(obj: Record<string, unknown>, name: string, check: (v: unknown) => v is T, what: string): T {
  if (!(name in obj)) throw new ReassignError(`No such field exists: \`${name}\``);
  const v = obj[name];
  if (!check(v)) throw new ReassignError(`Expected ${what} value, received ${JSON.stringify(v)}`);
  return v;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isIntList = (v: unknown): v is number[] => Array.isArray(v) && v.every(isInt);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isObjectList = (v: unknown): v is Record<string, unknown>[] => Array.isArray(v) && v.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x));

function checkVersion(obj: Record<string, unknown>): void {
  const version = 'version' in obj ? field(obj, 'version', isInt, 'Int') : 1;
  if (version !== 1) throw new ReassignError(`Not supported version field value ${version}`);
}

/** parsePartitionReassignmentData: duplicates are kept, for the checks of --execute. */
export function parseReassignment(text: string): ReassignmentData {
  const obj = parseJson(text);
  checkVersion(obj);
  const partitions: PartitionTarget[] = [];
  const logDirs: ReplicaLogDir[] = [];
  for (const p of 'partitions' in obj ? field(obj, 'partitions', isObjectList, 'array') : []) {
    const topic = field(p, 'topic', isString, 'String');
    const partition = field(p, 'partition', isInt, 'Int');
    const replicas = field(p, 'replicas', isIntList, 'array of Int');
    const dirs = 'log_dirs' in p ? field(p, 'log_dirs', isStringList, 'array of String') : replicas.map(() => ANY_LOG_DIR);
    if (dirs.length !== replicas.length) {
      throw new ReassignError(
        `Size of replicas list [${replicas.join(', ')}] is different from size of log dirs list [${dirs.join(', ')}] for partition ${topic}-${partition}`,
      );
    }
    partitions.push({ topic, partition, replicas });
    dirs.forEach((logDir, i) => {
      if (logDir !== ANY_LOG_DIR) logDirs.push({ topic, partition, broker: replicas[i], logDir });
    });
  }
  return { partitions, logDirs };
}

/** parseTopicsData: the topics of a --topics-to-move-json-file. */
export function parseTopicsToMove(text: string): string[] {
  const obj = parseJson(text);
  checkVersion(obj);
  return ('topics' in obj ? field(obj, 'topics', isObjectList, 'array') : []).map((t) => field(t, 'topic', isString, 'String'));
}

/** formatAsReassignmentJson. */
export function formatReassignment(partitions: readonly PartitionTarget[], logDirs: readonly ReplicaLogDir[] = []): string {
  const sorted = [...partitions].sort(compareTopicPartitions);
  const dirOf = (tp: TopicPartition, broker: number) =>
    logDirs.find((d) => d.topic === tp.topic && d.partition === tp.partition && d.broker === broker)?.logDir ?? ANY_LOG_DIR;
  return JSON.stringify({
    version: 1,
    partitions: sorted.map((p) => ({ topic: p.topic, partition: p.partition, replicas: p.replicas, log_dirs: p.replicas.map((r) => dirOf(p, r)) })),
  });
}

/** ToolsUtils.duplicates, in first-seen order. */
export function duplicates<T>(items: readonly T[], key: (t: T) => string = String): T[] {
  const seen = new Set<string>();
  const dup = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) dup.set(k, item);
    seen.add(k);
  }
  return [...dup.values()];
}

/** parseExecuteAssignmentArgs' checks. */
export function validateForExecute(data: ReassignmentData): void {
  if (data.partitions.length === 0) throw new ReassignError('Partition reassignment list cannot be empty');
  if (data.partitions.some((p) => p.replicas.length === 0)) throw new ReassignError('Partition replica list cannot be empty');
  const dupParts = duplicates(data.partitions, tpName);
  if (dupParts.length > 0) throw new ReassignError(`Partition reassignment contains duplicate topic partitions: ${dupParts.map(tpName).join(',')}`);
  const dupReplicas = data.partitions
    .map((p) => ({ p, dups: duplicates(p.replicas) }))
    .filter((x) => x.dups.length > 0)
    .map((x) => `${tpName(x.p)} contains multiple entries for ${x.dups.join(',')}`);
  if (dupReplicas.length > 0) throw new ReassignError(`Partition replica lists may not contain duplicate entries: ${dupReplicas.join('. ')}`);
}
