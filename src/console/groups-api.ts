// The consumer group routes of the console API, over the group tool's admin calls
// (group-admin.ts): the list with state, member count and total lag; a group's members and
// committed offsets against the log end; offset resets with a preview, applied only while the
// group is Empty (else 409, as kafka-consumer-groups.sh refuses); deleting a group or its
// offsets for a topic.

import { ErrorCode, errorName } from '../../protocol';
import { TopicPartition } from '../client/topic-partition';
import { CommittedOffsets, EARLIEST, GroupAdmin, LATEST, tpKey } from '../tools/groups/group-admin';
import { KafkaApiError } from '../tools/kafka-api-error';
import { ApiError, badRequest } from './api-error';
import { ApiContext, Route, ok, route } from './routes';

export const groupRoutes: Route[] = [
  route('GET', '/api/groups', listGroups),
  route('GET', '/api/groups/:id', describeGroup),
  route('POST', '/api/groups/:id/reset-offsets', resetOffsets),
  route('DELETE', '/api/groups/:id', deleteGroup),
  route('DELETE', '/api/groups/:id/offsets', deleteOffsets),
];

const RESET_TARGETS = ['earliest', 'latest', 'timestamp', 'offset', 'shift'];

async function lagOf(admin: GroupAdmin, committed: CommittedOffsets): Promise<{ tp: TopicPartition; committed: bigint; end: bigint | null }[]> {
  const entries = [...committed.values()];
  const ends = await admin.listOffsets(
    entries.map((e) => e.tp),
    LATEST,
  );
  return entries
    .map((e) => ({ tp: e.tp, committed: e.offset, end: ends.get(tpKey(e.tp)) ?? null }))
    .sort((a, b) => a.tp.topic.localeCompare(b.tp.topic) || a.tp.partition - b.tp.partition);
}

async function listGroups(ctx: ApiContext) {
  const admin = new GroupAdmin(ctx.client);
  const groups = await admin.listGroups();
  const out = [];
  for (const g of groups.sort((a, b) => a.groupId.localeCompare(b.groupId))) {
    const description = await admin.describeGroup(g.groupId).catch(() => null);
    const lags = await lagOf(admin, await admin.committedOffsets(g.groupId).catch(() => new Map() as CommittedOffsets));
    out.push({
      groupId: g.groupId,
      state: description?.state ?? g.state,
      protocolType: 'consumer',
      members: description?.members.length ?? 0,
      totalLag: lags.reduce((n, l) => n + (l.end === null ? 0 : Math.max(0, Number(l.end - l.committed))), 0),
    });
  }
  return ok(out);
}

async function describeGroup(ctx: ApiContext) {
  const groupId = ctx.params[0];
  const admin = new GroupAdmin(ctx.client);
  const g = await admin.describeGroup(groupId);
  if (g.state === 'Dead') throw new ApiError(404, `Consumer group ${groupId} does not exist`);
  const lags = await lagOf(admin, await admin.committedOffsets(groupId));
  return ok({
    groupId,
    state: g.state,
    protocolType: 'consumer',
    protocol: g.partitionAssignor,
    coordinator: { id: g.coordinator.nodeId, host: g.coordinator.host, port: g.coordinator.port },
    members: g.members.map((m) => ({ memberId: m.consumerId, clientId: m.clientId, host: m.host, assignment: m.assignment })),
    offsets: lags.map((l) => ({
      topic: l.tp.topic,
      partition: l.tp.partition,
      committedOffset: Number(l.committed),
      endOffset: l.end === null ? null : Number(l.end),
      lag: l.end === null ? null : Math.max(0, Number(l.end - l.committed)),
    })),
  });
}

async function resetOffsets(ctx: ApiContext) {
  const groupId = ctx.params[0];
  const f = await ctx.body();
  const topic = f.optionalString('topic');
  const to = f.string('to');
  if (!RESET_TARGETS.includes(to)) throw badRequest(`Unknown reset target ${to}: use ${RESET_TARGETS.join(', ')}`);
  const value = to === 'earliest' || to === 'latest' ? 0 : f.int('value');
  const execute = f.bool('execute');
  const admin = new GroupAdmin(ctx.client);
  const g = await admin.describeGroup(groupId);
  if (execute && g.state !== 'Empty' && g.state !== 'Dead') throw new ApiError(409, `The group must be empty to reset offsets (it is ${g.state})`);
  const committed = await admin.committedOffsets(groupId);
  const partitions = topic ? await admin.partitionsOf([topic]) : [...committed.values()].map((c) => c.tp);
  const starts = await admin.listOffsets(partitions, EARLIEST);
  const ends = await admin.listOffsets(partitions, LATEST);
  const byTime = to === 'timestamp' ? await admin.listOffsets(partitions, BigInt(value)) : new Map<string, bigint>();
  const plan = partitions.map((tp) => {
    const key = tpKey(tp);
    const current = committed.get(key)?.offset ?? null;
    const start = starts.get(key) ?? 0n;
    const end = ends.get(key) ?? 0n;
    let target: bigint;
    if (to === 'earliest') target = start;
    else if (to === 'latest') target = end;
    else if (to === 'offset') target = BigInt(value);
    else if (to === 'shift') target = (current ?? end) + BigInt(value);
    else target = (byTime.get(key) ?? -1n) < 0n ? end : byTime.get(key)!;
    const clamped = target < start ? start : target > end ? end : target;
    return { tp, currentOffset: current, newOffset: clamped };
  });
  if (execute && plan.length > 0) await admin.alterOffsets(groupId, plan.map((p) => ({ tp: p.tp, offset: p.newOffset })));
  return ok({
    plan: plan.map((p) => ({ topic: p.tp.topic, partition: p.tp.partition, currentOffset: p.currentOffset === null ? null : Number(p.currentOffset), newOffset: Number(p.newOffset) })),
    executed: execute,
  });
}

async function deleteGroup(ctx: ApiContext) {
  const groupId = ctx.params[0];
  const code = (await new GroupAdmin(ctx.client).deleteGroups([groupId])).get(groupId) ?? ErrorCode.UNKNOWN_SERVER_ERROR;
  if (code === ErrorCode.NON_EMPTY_GROUP) throw new ApiError(409, `The group must be empty to be deleted (${errorName(code)})`);
  if (code !== ErrorCode.NONE) throw new KafkaApiError(code);
  return ok({ deleted: groupId });
}

async function deleteOffsets(ctx: ApiContext) {
  const groupId = ctx.params[0];
  const topic = ctx.query.get('topic');
  if (!topic) throw badRequest('topic is required: DELETE /api/groups/:id/offsets?topic=NAME');
  const admin = new GroupAdmin(ctx.client);
  const result = await admin.deleteOffsets(groupId, await admin.partitionsOf([topic]));
  if (result.error !== ErrorCode.NONE) throw new KafkaApiError(result.error);
  const failed = [...result.partitions.values()].find((c) => c !== ErrorCode.NONE);
  if (failed === ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC) throw new ApiError(409, `The group is subscribed to ${topic}: its offsets cannot be deleted while it consumes it`);
  if (failed !== undefined) throw new KafkaApiError(failed);
  return ok({ deleted: topic });
}
