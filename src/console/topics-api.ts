// The topic routes of the console API: the topic list with record counts, sizes and cleanup
// policy; one topic's partitions and configs; create, delete, add partitions, delete records and
// config edits (IncrementalAlterConfigs), all as Kafka's Admin client sends them.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { ClusterClient, UnsupportedApiError } from '../client/cluster-client';
import { KafkaApiError } from '../tools/kafka-api-error';
import { GroupAdmin, EARLIEST, LATEST, tpKey } from '../tools/groups/group-admin';
import { INTERNAL_TOPICS, PartitionInfo, partitionInfos } from '../tools/admin/admin-calls';
import { badRequest, notFound } from './api-error';
import { describeLogDirs, replicaKey } from './log-dirs';
import { ApiContext, Route, ok, route } from './routes';

const TOPIC_RESOURCE = 2;
const CONFIG_SOURCES = ['UNKNOWN', 'DYNAMIC_TOPIC_CONFIG', 'DYNAMIC_BROKER_CONFIG', 'DYNAMIC_DEFAULT_BROKER_CONFIG', 'STATIC_BROKER_CONFIG', 'DEFAULT_CONFIG', 'DYNAMIC_BROKER_LOGGER_CONFIG'];
const SET = 0;
const DELETE = 1;

interface TopicRow {
  name: string;
  topicId: string;
  internal: boolean;
  partitions: PartitionInfo[];
}

export const topicRoutes: Route[] = [
  route('GET', '/api/topics', listTopics),
  route('POST', '/api/topics', createTopic),
  route('GET', '/api/topics/:name', describeTopic),
  route('DELETE', '/api/topics/:name', deleteTopic),
  route('PATCH', '/api/topics/:name/configs', alterConfigs),
  route('POST', '/api/topics/:name/partitions', addPartitions),
  route('POST', '/api/topics/:name/delete-records', deleteRecords),
];

async function topicRows(client: ClusterClient, names: readonly string[] | null): Promise<TopicRow[]> {
  const md = await client.metadata(names);
  const rows: TopicRow[] = [];
  for (const t of md.topics) {
    if (t.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) throw notFound(`Topic ${t.name} does not exist`);
    if (t.errorCode !== ErrorCode.NONE) {
      if (names === null) continue;
      throw new KafkaApiError(t.errorCode);
    }
    rows.push({
      name: t.name!,
      topicId: t.topicId,
      internal: t.isInternal || INTERNAL_TOPICS.has(t.name!),
      partitions: partitionInfos(t.partitions),
    });
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

/** Earliest and latest offsets of every partition of these topics (partitions that failed are left out). */
async function offsetRanges(client: ClusterClient, topics: readonly TopicRow[]): Promise<{ starts: Map<string, bigint>; ends: Map<string, bigint> }> {
  const admin = new GroupAdmin(client);
  const tps = topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partition })));
  return { starts: await admin.listOffsets(tps, EARLIEST), ends: await admin.listOffsets(tps, LATEST) };
}

/** Each partition's size at its leader, from every broker's log dirs. */
async function leaderSizes(client: ClusterClient, topics: readonly TopicRow[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  const leaders = new Set(topics.flatMap((t) => t.partitions.map((p) => p.leader)).filter((l) => l >= 0));
  for (const broker of leaders) {
    const dirs = await describeLogDirs(client, broker);
    if (!dirs) continue;
    for (const t of topics) {
      for (const p of t.partitions) {
        const size = p.leader === broker ? dirs.replicaSizes.get(replicaKey(t.name, p.partition)) : undefined;
        if (size !== undefined) sizes.set(replicaKey(t.name, p.partition), size);
      }
    }
  }
  return sizes;
}

interface ConfigView {
  name: string;
  value: string | null;
  source: string;
  isDefault: boolean;
  readOnly: boolean;
  sensitive: boolean;
}

async function topicConfigs(client: ClusterClient, names: readonly string[]): Promise<Map<string, ConfigView[]>> {
  const out = new Map<string, ConfigView[]>();
  if (names.length === 0) return out;
  const res = await client.request(
    Apis.DescribeConfigs,
    { resources: names.map((resourceName) => ({ resourceType: TOPIC_RESOURCE, resourceName, configurationKeys: null })), includeSynonyms: false, includeDocumentation: false },
    { minVersion: 1 },
  );
  for (const r of res.results) {
    if (r.errorCode !== ErrorCode.NONE) continue;
    out.set(
      r.resourceName,
      r.configs.map((c) => ({
        name: c.name,
        value: c.isSensitive ? null : c.value,
        source: CONFIG_SOURCES[c.configSource] ?? 'UNKNOWN',
        isDefault: c.configSource === 5,
        readOnly: c.readOnly,
        sensitive: c.isSensitive,
      })),
    );
  }
  return out;
}

async function listTopics(ctx: ApiContext) {
  const includeInternal = ctx.query.get('internal') !== 'false';
  const topics = (await topicRows(ctx.client, null)).filter((t) => includeInternal || !t.internal);
  const { starts, ends } = await offsetRanges(ctx.client, topics);
  const sizes = await leaderSizes(ctx.client, topics);
  const configs = await topicConfigs(ctx.client, topics.map((t) => t.name)).catch(() => new Map<string, ConfigView[]>());
  return ok(
    topics.map((t) => {
      let records = 0;
      let size: number | null = 0;
      for (const p of t.partitions) {
        const key = tpKey({ topic: t.name, partition: p.partition });
        records += Math.max(0, Number((ends.get(key) ?? 0n) - (starts.get(key) ?? 0n)));
        const s = sizes.get(replicaKey(t.name, p.partition));
        size = s === undefined || size === null ? null : size + s;
      }
      return {
        name: t.name,
        internal: t.internal,
        partitions: t.partitions.length,
        replicationFactor: t.partitions[0]?.replicas.length ?? 0,
        records,
        sizeBytes: size,
        cleanupPolicy: configs.get(t.name)?.find((c) => c.name === 'cleanup.policy')?.value ?? null,
        underReplicatedPartitions: t.partitions.filter((p) => p.isr.length < p.replicas.length).length,
      };
    }),
  );
}

async function describeTopic(ctx: ApiContext) {
  const name = ctx.params[0];
  const [topic] = await topicRows(ctx.client, [name]);
  const { starts, ends } = await offsetRanges(ctx.client, [topic]);
  const sizes = await leaderSizes(ctx.client, [topic]);
  // A cluster without DescribeConfigs still shows the partitions; configs are then unavailable (null).
  const configs = await topicConfigs(ctx.client, [name]).catch((err: unknown) => {
    if (err instanceof UnsupportedApiError) return null;
    throw err;
  });
  return ok({
    name,
    topicId: topic.topicId,
    internal: topic.internal,
    partitions: topic.partitions.map((p) => {
      const key = tpKey({ topic: name, partition: p.partition });
      const start = starts.get(key);
      const end = ends.get(key);
      return {
        ...p,
        logStartOffset: start === undefined ? null : Number(start),
        logEndOffset: end === undefined ? null : Number(end),
        sizeBytes: sizes.get(replicaKey(name, p.partition)) ?? null,
      };
    }),
    configs: configs === null ? null : (configs.get(name) ?? []),
  });
}

function checkTopicErrors(results: readonly { name: string; errorCode: number; errorMessage?: string | null }[]): void {
  const failed = results.find((r) => r.errorCode !== ErrorCode.NONE);
  if (failed) throw new KafkaApiError(failed.errorCode, failed.errorMessage ?? null);
}

async function createTopic(ctx: ApiContext) {
  const f = await ctx.body();
  const name = f.string('name');
  const partitions = f.optionalInt('partitions', 1) ?? -1;
  const replicationFactor = f.optionalInt('replicationFactor', 1) ?? -1;
  const configs = [...f.stringMap('configs')].map(([k, value]) => ({ name: k, value }));
  const res = await ctx.client.request(
    Apis.CreateTopics,
    { topics: [{ name, numPartitions: partitions, replicationFactor, assignments: [], configs }], timeoutMs: 30_000, validateOnly: false },
    { to: 'controller' },
  );
  checkTopicErrors(res.topics);
  return ok({ name }, 201);
}

async function deleteTopic(ctx: ApiContext) {
  const name = ctx.params[0];
  const res = await ctx.client.request(Apis.DeleteTopics, { topicNames: [name], topics: [{ name }], timeoutMs: 30_000 }, { to: 'controller' });
  checkTopicErrors(res.responses.map((r) => ({ ...r, name: r.name ?? name })));
  return ok({ deleted: name });
}

async function alterConfigs(ctx: ApiContext) {
  const name = ctx.params[0];
  const f = await ctx.body();
  const set = f.stringMap('set');
  const remove = f.stringList('delete');
  if (set.size === 0 && remove.length === 0) throw badRequest('Nothing to change: give set {name: value} and/or delete [name]');
  const res = await ctx.client.request(Apis.IncrementalAlterConfigs, {
    resources: [
      {
        resourceType: TOPIC_RESOURCE,
        resourceName: name,
        configs: [...[...set].map(([k, value]) => ({ name: k, configOperation: SET, value })), ...remove.map((k) => ({ name: k, configOperation: DELETE, value: null }))],
      },
    ],
    validateOnly: false,
  });
  const failed = res.responses.find((r) => r.errorCode !== ErrorCode.NONE);
  if (failed) throw new KafkaApiError(failed.errorCode, failed.errorMessage);
  return ok({ updated: name });
}

async function addPartitions(ctx: ApiContext) {
  const name = ctx.params[0];
  const count = (await ctx.body()).int('count', 1);
  const res = await ctx.client.request(Apis.CreatePartitions, { topics: [{ name, count, assignments: null }], timeoutMs: 30_000, validateOnly: false }, { to: 'controller' });
  checkTopicErrors(res.results);
  return ok({ name, partitions: count });
}

async function deleteRecords(ctx: ApiContext) {
  const name = ctx.params[0];
  const f = await ctx.body();
  const partition = f.int('partition', 0);
  const offset = f.int('offset', -1);
  const [topic] = await topicRows(ctx.client, [name]);
  const p = topic.partitions.find((x) => x.partition === partition);
  if (!p) throw notFound(`Topic ${name} has no partition ${partition}`);
  if (p.leader < 0) throw new KafkaError(ErrorCode.LEADER_NOT_AVAILABLE);
  const res = await ctx.client.request(
    Apis.DeleteRecords,
    { topics: [{ name, partitions: [{ partitionIndex: partition, offset: BigInt(offset) }] }], timeoutMs: 30_000 },
    { to: p.leader },
  );
  const r = res.topics[0]?.partitions[0];
  if (!r) throw new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR);
  if (r.errorCode !== ErrorCode.NONE) throw new KafkaApiError(r.errorCode);
  return ok({ partition, lowWatermark: Number(r.lowWatermark) });
}
