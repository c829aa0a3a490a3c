// The tables kafka-consumer-groups.sh prints, in Kafka 3.9's layouts: Java's "%-Ns" columns whose
// widths come from the data, "-" for a missing value, and each table opened by a blank line.

import { TopicPartition } from '../../client/topic-partition';
import { GroupListing } from './group-admin';

export const MISSING = '-';

/** Java's "%-Ns". */
const left = (s: string, width: number): string => s.padEnd(width);

export interface PartitionRow {
  group: string;
  topic?: string;
  partition?: number;
  offset?: bigint;
  logEndOffset?: bigint;
  lag?: bigint;
  consumerId?: string;
  host?: string;
  clientId?: string;
}

const show = (v: string | number | bigint | undefined): string => (v === undefined ? MISSING : String(v));

/** The offsets view of one group: "\nGROUP TOPIC PARTITION ..." then a line per partition and a line end. */
export function formatOffsets(rows: readonly PartitionRow[]): string {
  let group = 15;
  let topic = 15;
  let consumer = 15;
  let host = 15;
  for (const r of rows) {
    group = Math.max(group, r.group.length);
    topic = Math.max(topic, show(r.topic).length);
    consumer = Math.max(consumer, show(r.consumerId).length);
    host = Math.max(host, show(r.host).length);
  }
  const line = (c: string[]) =>
    `\n${left(c[0], group)} ${left(c[1], topic)} ${left(c[2], 10)} ${left(c[3], 15)} ${left(c[4], 15)} ${left(c[5], 15)} ${left(c[6], consumer)} ${left(c[7], host)} ${c[8]}`;
  let out = line(['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID']);
  for (const r of rows) {
    out += line([r.group, show(r.topic), show(r.partition), show(r.offset), show(r.logEndOffset), show(r.lag), show(r.consumerId), show(r.host), show(r.clientId)]);
  }
  return `${out}\n`;
}

export interface MemberRow {
  group: string;
  consumerId: string;
  groupInstanceId: string;
  host: string;
  clientId: string;
  assignment: TopicPartition[];
}

/** The members view of one group; with verbose, each member's partitions by topic ("(0,1), (2)"). */
export function formatMembers(rows: readonly MemberRow[], verbose: boolean): string {
  let group = 15;
  let consumer = 15;
  let instance = 17;
  let host = 15;
  let client = 15;
  let withInstance = false;
  for (const r of rows) {
    group = Math.max(group, r.group.length);
    consumer = Math.max(consumer, r.consumerId.length);
    instance = Math.max(instance, r.groupInstanceId.length);
    host = Math.max(host, r.host.length);
    client = Math.max(client, r.clientId.length);
    withInstance ||= r.groupInstanceId !== '';
  }
  const line = (g: string, c: string, i: string, h: string, cl: string, n: string) =>
    withInstance
      ? `${left(g, group)} ${left(c, consumer)} ${left(i, instance)} ${left(h, host)} ${left(cl, client)} ${left(n, 15)} `
      : `${left(g, group)} ${left(c, consumer)} ${left(h, host)} ${left(cl, client)} ${left(n, 15)} `;
  let out = `\n${line('GROUP', 'CONSUMER-ID', 'GROUP-INSTANCE-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS')}${verbose ? 'ASSIGNMENT' : ''}\n`;
  for (const r of rows) {
    out += line(r.group, r.consumerId, r.groupInstanceId, r.host, r.clientId, String(r.assignment.length));
    if (verbose) out += assignmentText(r.assignment);
    out += '\n';
  }
  return out;
}

/** Kafka 3.9's ASSIGNMENT cell: per topic, its partitions sorted as text in parentheses; the topics' cells sorted. */
function assignmentText(assignment: readonly TopicPartition[]): string {
  if (assignment.length === 0) return MISSING;
  const byTopic = new Map<string, string[]>();
  for (const tp of assignment) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), String(tp.partition)]);
  return [...byTopic.values()]
    .map((ps) => `(${[...ps].sort().join(',')})`)
    .sort()
    .join(', ');
}

export interface StateRow {
  group: string;
  coordinator: string;
  assignmentStrategy: string;
  state: string;
  members: number;
}

/** The state view of one group: the first column as wide as the coordinator's (at least 25). */
export function formatState(s: StateRow): string {
  const width = Math.max(25, s.coordinator.length);
  const line = (c: string[]) => `\n${left(c[0], width)} ${left(c[1], 25)} ${left(c[2], 20)} ${left(c[3], 15)} ${c[4]}`;
  return `${line(['GROUP', 'COORDINATOR (ID)', 'ASSIGNMENT-STRATEGY', 'STATE', '#MEMBERS'])}${line([s.group, s.coordinator, s.assignmentStrategy, s.state, String(s.members)])}\n`;
}

/** --list with --state: GROUP as wide as the longest id (at least 15) plus 10, STATE 20 wide. */
export function formatGroupListing(groups: readonly GroupListing[]): string {
  const width = Math.max(15, ...groups.map((g) => g.groupId.length)) + 10;
  const line = (g: string, s: string) => `${left(g, width)} ${left(s, 20)}\n`;
  return line('GROUP', 'STATE') + groups.map((g) => line(g.groupId, g.state)).join('');
}

export interface ResetRow {
  group: string;
  tp: TopicPartition;
  offset: bigint;
}

/** The reset plan: a blank line, the header, a line per partition; nothing when no group was planned. */
export function formatResetPlan(groups: number, rows: readonly ResetRow[]): string {
  const line = (c: string[]) => `${left(c[0], 30)} ${left(c[1], 30)} ${left(c[2], 10)} ${left(c[3], 15)}\n`;
  if (groups === 0) return '';
  return `\n${line(['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET'])}${rows.map((r) => line([r.group, r.tp.topic, String(r.tp.partition), String(r.offset)])).join('')}`;
}

/** The reset plan as CSV: "topic,partition,offset" for one --group, with the group first otherwise. */
export function formatResetCsv(rows: readonly ResetRow[], withGroup: boolean): string {
  return rows.map((r) => `${withGroup ? `${r.group},` : ''}${r.tp.topic},${r.tp.partition},${r.offset}\n`).join('');
}

/** --delete-offsets' table: a blank line, TOPIC PARTITION STATUS, a line per partition. */
export function formatDeleteOffsets(rows: readonly { topic: string; partition: number; status: string }[]): string {
  const line = (c: string[]) => `${left(c[0], 30)} ${left(c[1], 15)} ${left(c[2], 15)}\n`;
  return `\n${line(['TOPIC', 'PARTITION', 'STATUS'])}${rows.map((r) => line([r.topic, r.partition >= 0 ? String(r.partition) : 'Not Provided', r.status])).join('')}`;
}
