// The overview routes of the console API: which features the cluster offers (from ApiVersions,
// so the UI hides what would fail), the cluster's brokers with their leaders, partitions and log
// directories, and the throughput from the metrics endpoints (501 without one).

import { ApiSpec, Apis, ErrorCode } from '../../protocol';
import { ClusterClient } from '../client/cluster-client';
import { ApiError } from './api-error';
import { describeLogDirs } from './log-dirs';
import { ApiContext, Route, ok, route } from './routes';

export const clusterRoutes: Route[] = [route('GET', '/api/features', features), route('GET', '/api/cluster', cluster), route('GET', '/api/throughput', throughput)];

async function features(ctx: ApiContext) {
  const versions = await ctx.client.apiVersions('any');
  const has = (...specs: ApiSpec[]) => specs.every((s) => versions.has(s.apiKey));
  return ok({
    acls: has(Apis.DescribeAcls, Apis.CreateAcls, Apis.DeleteAcls) && (await authorizerEnabled(ctx.client)),
    scram: has(Apis.DescribeUserScramCredentials, Apis.AlterUserScramCredentials),
    transactions: has(Apis.ListTransactions, Apis.DescribeTransactions),
    deleteRecords: has(Apis.DeleteRecords),
    alterConfigs: has(Apis.IncrementalAlterConfigs),
    createPartitions: has(Apis.CreatePartitions),
    logDirs: has(Apis.DescribeLogDirs),
    throughput: ctx.throughput?.available ?? false,
  });
}

/** A cluster without an authorizer answers DescribeAcls with SECURITY_DISABLED. */
async function authorizerEnabled(client: ClusterClient): Promise<boolean> {
  const res = await client.request(Apis.DescribeAcls, {
    resourceTypeFilter: 1,
    resourceNameFilter: null,
    patternTypeFilter: 1,
    principalFilter: null,
    hostFilter: null,
    operation: 1,
    permissionType: 1,
  });
  return res.errorCode !== ErrorCode.SECURITY_DISABLED;
}

async function cluster(ctx: ApiContext) {
  const md = await ctx.client.metadata(null);
  const leaders = new Map<number, number>();
  const replicas = new Map<number, number>();
  let underReplicated = 0;
  let offline = 0;
  for (const t of md.topics) {
    if (t.errorCode !== ErrorCode.NONE) continue;
    for (const p of t.partitions) {
      if (p.leaderId < 0) offline++;
      else leaders.set(p.leaderId, (leaders.get(p.leaderId) ?? 0) + 1);
      if (p.isrNodes.length < p.replicaNodes.length) underReplicated++;
      for (const r of p.replicaNodes) replicas.set(r, (replicas.get(r) ?? 0) + 1);
    }
  }
  const brokers = [];
  for (const b of [...md.brokers].sort((x, y) => x.nodeId - y.nodeId)) {
    const dirs = await describeLogDirs(ctx.client, b.nodeId);
    brokers.push({
      id: b.nodeId,
      host: b.host,
      port: b.port,
      rack: b.rack ?? null,
      leaderCount: leaders.get(b.nodeId) ?? 0,
      partitionCount: replicas.get(b.nodeId) ?? 0,
      logDirs: dirs?.dirs ?? [],
    });
  }
  return ok({ clusterId: md.clusterId ?? null, controllerId: md.controllerId, brokers, underReplicatedPartitions: underReplicated, offlinePartitions: offline });
}

async function throughput(ctx: ApiContext) {
  if (!ctx.throughput?.available) throw new ApiError(501, 'No metrics source: start the console with --metrics-url, or set kafkats.metrics.listener on the broker');
  return ok(await ctx.throughput.rates());
}
