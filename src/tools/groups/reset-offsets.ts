// --reset-offsets' plan, as Kafka's ConsumerGroupCommand computes it: the partitions in scope
// (--topic t / t:0,1 / --all-topics / --from-file) and each one's new offset for the chosen
// scenario, clamped into [log start, log end] where Kafka clamps it.

import { readFileSync } from 'node:fs';
import { ParsedOptions, ToolError, UsageError } from '../command-line';
import { TopicPartition, tpName } from '../../client/topic-partition';
import { EARLIEST, GroupAdmin, LATEST, tpKey } from './group-admin';
import { topicPartitionOrder } from '../java-order';

export const RESET_SCENARIOS = ['to-offset', 'shift-by', 'to-datetime', 'by-duration', 'to-earliest', 'to-latest', 'to-current', 'from-file'];

export interface PlannedOffset {
  tp: TopicPartition;
  offset: bigint;
}

/** "t" or "t:0,1,2" arguments into partitions; bare topics are looked up. */
export async function partitionsOfTopicArgs(admin: GroupAdmin, args: readonly string[]): Promise<TopicPartition[]> {
  const specified: TopicPartition[] = [];
  const bare: string[] = [];
  for (const arg of args) {
    if (!arg.includes(':')) {
      bare.push(arg);
      continue;
    }
    const parts = arg.split(':');
    if (parts.length !== 2) throw new UsageError(`Invalid topic arg '${arg}', expected topic name and partitions`);
    for (const p of parts[1].split(',')) {
      if (!/^-?\d+$/.test(p)) throw new UsageError(`Invalid partition '${p}' specified in topic arg '${arg}''`);
      specified.push({ topic: parts[0], partition: Number(p) });
    }
  }
  return [...specified, ...(await admin.partitionsOf(bare))];
}

/** Java's Utils.getDateTime: 'YYYY-MM-DDTHH:mm:SS.sss' with an optional zone (Z, ±hh:mm, ±hhmm), local time without one. */
export function parseDateTime(text: string): bigint {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) throw new ToolError(`Unparseable date: "${text}"`);
  const [y, mo, d, h, mi, s, ms] = m.slice(1, 8).map(Number);
  const zone = m[8];
  if (zone === undefined) return BigInt(new Date(y, mo - 1, d, h, mi, s, ms).getTime());
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const digits = zone.replace(':', '');
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  return BigInt(Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMinutes * 60_000);
}

/** Java's Duration.parse ("PnDTnHnMn.nS", optionally negative) in milliseconds. */
export function parseDuration(text: string): number {
  const m = /^([-+]?)P(?:([-+]?\d+)D)?(?:T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?\d+(?:\.\d{0,9})?)S)?)?$/i.exec(text);
  if (!m || (m[2] ?? m[3] ?? m[4] ?? m[5]) === undefined || /T$/i.test(text)) throw new ToolError(`Text cannot be parsed to a Duration: ${text}`);
  const n = (v: string | undefined) => (v === undefined ? 0 : Number(v));
  const ms = n(m[2]) * 86_400_000 + n(m[3]) * 3_600_000 + n(m[4]) * 60_000 + Math.round(n(m[5]) * 1000);
  return m[1] === '-' ? -ms : ms;
}

/** The reset plan of a --from-file CSV: by group, "topic,partition,offset" lines for one --group, else "group,topic,partition,offset". */
export function readResetFile(path: string, singleGroup: string | undefined): Map<string, PlannedOffset[]> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ToolError(`java.io.IOException: ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const threeColumns = lines.length > 0 && lines[0].split(',').length === 3;
  const plan = new Map<string, PlannedOffset[]>();
  for (const line of lines) {
    const cells = line.split(',').map((c) => c.trim());
    const [group, topic, partition, offset] = singleGroup !== undefined && threeColumns ? [singleGroup, ...cells] : cells;
    if (group === undefined || topic === undefined || !/^\d+$/.test(partition ?? '') || !/^-?\d+$/.test(offset ?? '')) throw new ToolError(`Invalid line in ${path}: ${line}`);
    plan.set(group, [...(plan.get(group) ?? []), { tp: { topic, partition: Number(partition) }, offset: BigInt(offset) }]);
  }
  return plan;
}

/** Plans the new offsets of one group's partitions for the scenario the options choose. */
export async function planOffsets(
  admin: GroupAdmin,
  options: ParsedOptions,
  groupId: string,
  partitions: readonly TopicPartition[],
  filePlan: Map<string, PlannedOffset[]> | undefined,
  warn: (line: string) => void,
  out: (text: string) => void,
): Promise<PlannedOffset[]> {
  const fromOffsets = (offsets: Map<string, bigint>, what: string) =>
    partitions.map((tp) => {
      const offset = offsets.get(tpKey(tp));
      if (offset === undefined || offset < 0n) throw new UsageError(`Error getting ${what} of topic partition: ${tpName(tp)}`);
      return { tp, offset };
    });
  const byTimestamp = async (timestamp: bigint) => {
    const found = await admin.listOffsets(partitions, timestamp);
    const empty = topicPartitionOrder(partitions.filter((tp) => (found.get(tpKey(tp)) ?? -1n) < 0n));
    for (const tp of empty) out(`\nWarn: Partition ${tp.partition} from topic ${tp.topic} is empty. Falling back to latest known offset.\n`);
    const latest = await admin.listOffsets(empty, LATEST);
    for (const [k, v] of latest) found.set(k, v);
    return fromOffsets(found, 'offset by timestamp');
  };

  if (options.has('to-offset')) {
    const target = BigInt(options.required('to-offset'));
    return clamp(admin, partitions.map((tp) => ({ tp, offset: target })), warn);
  }
  if (options.has('to-earliest')) return fromOffsets(await admin.listOffsets(partitions, EARLIEST), 'starting offset');
  if (options.has('to-latest')) return fromOffsets(await admin.listOffsets(partitions, LATEST), 'ending offset');
  if (options.has('shift-by')) {
    const shift = BigInt(options.required('shift-by'));
    const committed = await admin.committedOffsets(groupId);
    const requested = partitions.map((tp) => {
      const current = committed.get(tpKey(tp));
      if (!current) throw new UsageError(`Cannot shift offset for partition ${tpName(tp)} since there is no current committed offset`);
      return { tp, offset: current.offset + shift };
    });
    return clamp(admin, requested, warn);
  }
  if (options.has('to-datetime')) return byTimestamp(parseDateTime(options.required('to-datetime')));
  if (options.has('by-duration')) return byTimestamp(BigInt(Date.now() - parseDuration(options.required('by-duration'))));
  if (filePlan !== undefined) {
    const planned = filePlan.get(groupId);
    if (!planned) {
      out(`\nError: No reset plan for group ${groupId} found\n`);
      return [];
    }
    return clamp(admin, planned, warn);
  }
  if (options.has('to-current')) {
    const committed = await admin.committedOffsets(groupId);
    const without = partitions.filter((tp) => !committed.has(tpKey(tp)));
    const latest = await admin.listOffsets(without, LATEST);
    return partitions.map((tp) => {
      const current = committed.get(tpKey(tp));
      if (current) return { tp, offset: current.offset };
      const end = latest.get(tpKey(tp));
      if (end === undefined) throw new UsageError(`Error getting ending offset of topic partition: ${tpName(tp)}`);
      return { tp, offset: end };
    });
  }
  throw new UsageError(`Option '[reset-offsets]' requires one of the following scenarios: [${RESET_SCENARIOS.join(', ')}]`);
}

/** Kafka's checkOffsetsRange: above the log end becomes the log end, below the log start the log start. */
async function clamp(admin: GroupAdmin, requested: readonly PlannedOffset[], warn: (line: string) => void): Promise<PlannedOffset[]> {
  const tps = requested.map((r) => r.tp);
  const starts = await admin.listOffsets(tps, EARLIEST);
  const ends = await admin.listOffsets(tps, LATEST);
  return requested.map(({ tp, offset }) => {
    const end = ends.get(tpKey(tp));
    const start = starts.get(tpKey(tp));
    if (end !== undefined && offset > end) {
      warn(`New offset (${offset}) is higher than latest offset for topic partition ${tpName(tp)}. Value will be set to ${end}`);
      return { tp, offset: end };
    }
    if (start !== undefined && offset < start) {
      warn(`New offset (${offset}) is lower than earliest offset for topic partition ${tpName(tp)}. Value will be set to ${start}`);
      return { tp, offset: start };
    }
    return { tp, offset };
  });
}
