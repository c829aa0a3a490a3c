// In-process handler tests: a RequestContext on fake services and fake time, with real partition
// logs in a temp dir. `call` runs a handler as the dispatcher would: the request is given as the
// client would encode it (defaults filled in by a round trip through the codec), and the response
// must encode at that version.

import { createHash } from 'node:crypto';
import { NO_ACL_ADMINISTRATION } from '../../src/auth/acl/acl-admin';
import { ALLOW_ALL, AclOperation, Authorizing, RequestIdentity, ResourceType, SUPPORTED_OPERATIONS } from '../../src/auth/authorizer';
import { DelegationTokenManager, tokenSettings } from '../../src/auth/tokens/delegation-token-manager';
import { FileTokenStore } from '../../src/auth/tokens/file-token-store';
import { ScramCredentialStore } from '../../src/auth/sasl/scram-credential-store';
import { ApiSpec, ErrorCode, KafkaError, Message, MessageInput, Reader, RequestOf, Writer, codecFor } from '../../protocol';
import { ClusterAdmin } from '../../src/cluster/cluster';
import { BrokerEndpoint, MetadataView } from '../../src/cluster/metadata-view';
import { NewTopic, TopicAdmin } from '../../src/cluster/topic-admin';
import { DynamicBrokerConfig } from '../../src/cluster/dynamic-broker-config';
import { EntityConfigStore } from '../../src/cluster/entity-configs';
import { ControllerPartitionState, ControllerRequests } from '../../src/cluster/controller-requests';
import { PartitionInfo, TopicInfo, TopicPartition } from '../../src/cluster/topic';
import { TopicIndex } from '../../src/cluster/topic-index';
import { validateTopicConfigs } from '../../src/cluster/topic-configs';
import { BrokerConfig, parseConfig } from '../../src/config';
import { TopicStats } from '../../src/metrics/topic-stats';
import { FetchSessionCache } from '../../src/fetch/fetch-sessions';
import { FetchWaiters } from '../../src/fetch/fetch-waiters';
import { GroupHandling } from '../../src/groups/group-handling';
import { Handler, RequestContext } from '../../src/handlers/handler';
import { HANDLERS } from '../../src/handlers';
import { logConfigOverrides } from '../../src/log/log-config';
import { LogManager } from '../../src/log/log-manager';
import type { AppendInfo, PartitionLog } from '../../src/log/partition-log';
import { Logger } from '../../src/logger';
import { QuotaService } from '../../src/quotas/client-quotas';
import { ReplicationQuotas } from '../../src/replication/replication-quotas';
import { LocalPartitions } from '../../src/replication/local-partitions';
import { Replication } from '../../src/replication/replica-manager';
import type { ClientMetadata } from '../../src/replication/replica-selector';
import { newSession } from '../../src/server/session';
import type { TransactionHandling } from '../../src/txn/transaction-handling';
import { FeatureHandling, FeatureResult, FeatureUpdate, FinalizedFeatures, VersionRange, applyFeatureUpdates } from '../../src/cluster/features';
import { FakeClock } from '../helpers/fake-clock';
import { makeTempDir, removeDir, testConfig } from '../log/helpers';

export const BROKER_ID = 1;

/** Log lines, by level, for assertions. */
export class CapturingLogger implements Logger {
  readonly lines: { level: string; message: string; cause?: unknown }[] = [];
  info(message: string): void {
    this.lines.push({ level: 'INFO', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'WARN', message });
  }
  error(message: string, cause?: unknown): void {
    this.lines.push({ level: 'ERROR', message, cause });
  }
  debug(): void {}
  child(): Logger {
    return this;
  }
}

export function brokerConfig(props: Record<string, string | number | boolean> = {}): BrokerConfig {
  const all = new Map<string, string>([
    ['broker.id', String(BROKER_ID)],
    ['log.dirs', '/nonexistent'],
    ['listeners', 'PLAINTEXT://127.0.0.1:0'],
  ]);
  for (const [k, v] of Object.entries(props)) all.set(k, String(v));
  return parseConfig(all, () => undefined);
}

/** The cluster as handlers see it: topics, live brokers with one PLAINTEXT endpoint each, a controller. */
export class FakeMetadata implements MetadataView {
  readonly brokerId = BROKER_ID;
  readonly clusterId = 'fake-cluster-id-00000';
  readonly topics = new TopicIndex();
  brokers: BrokerEndpoint[] = [{ id: BROKER_ID, host: 'localhost', port: 9092, rack: null }];
  controller = BROKER_ID;

  controllerId(): number {
    return this.controller;
  }
  isController(): boolean {
    return this.controller === this.brokerId;
  }
  liveBrokerIds(): number[] {
    return this.brokers.map((b) => b.id);
  }
  /** Endpoints on listeners other than PLAINTEXT, by listener name. */
  otherListeners: Record<string, BrokerEndpoint[]> = {};
  liveBrokers(listenerName: string): BrokerEndpoint[] {
    return listenerName === 'PLAINTEXT' ? this.brokers : (this.otherListeners[listenerName] ?? []);
  }
}

/** Replication that records what handlers asked of it; each answer can be set by the test. */
export class FakeReplication implements Replication {
  readonly calls: string[] = [];
  notEnoughReplicas = false;
  replicationError: KafkaError | null = null;
  checkEnoughReplicas(topic: string, partition: number): void {
    this.calls.push(`check ${topic}-${partition}`);
    if (this.notEnoughReplicas) throw new KafkaError(ErrorCode.NOT_ENOUGH_REPLICAS, 'not enough');
  }
  async waitForReplication(topic: string, partition: number, endOffset: number): Promise<KafkaError | null> {
    this.calls.push(`wait ${topic}-${partition} ${endOffset}`);
    return this.replicationError;
  }
  followerFetched(topic: string, partition: number, replicaId: number, fetchOffset: number, leaderEndOffset: number, logStartOffset = -1): void {
    this.calls.push(`fetched ${topic}-${partition} by ${replicaId} at ${fetchOffset}, leader end ${leaderEndOffset}${logStartOffset >= 0 ? `, log start ${logStartOffset}` : ''}`);
  }
  /** DeleteRecords' answer: the low watermark, or a KafkaError the test sets. */
  deleteRecordsAnswer: (offset: number) => number = (offset) => offset;
  async deleteRecords(topic: string, partition: number, offset: number, timeoutMs: number): Promise<number> {
    this.calls.push(`delete records of ${topic}-${partition} before ${offset} within ${timeoutMs}`);
    return this.deleteRecordsAnswer(offset);
  }
  stopFetching(topic: string, partition: number): void {
    this.calls.push(`stop ${topic}-${partition}`);
  }
  /** The preferred read replica the leader names (KIP-392); none (-1) unless the test sets one. Asked on every consumer fetch from v11, so kept apart from `calls`. */
  readonly preferredQueries: string[] = [];
  preferredReplicaAnswer: (topic: string, partition: number, fetchOffset: number) => number = () => -1;
  preferredReadReplica(topic: string, partition: number, client: ClientMetadata, fetchOffset: number): number {
    this.preferredQueries.push(`preferred replica of ${topic}-${partition} at ${fetchOffset} for rack '${client.rackId}' on ${client.listenerName}`);
    return this.preferredReplicaAnswer(topic, partition, fetchOffset);
  }
  /** AlterReplicaLogDirs' answer per partition; NONE unless the test sets one. */
  alterLogDirAnswer: (topic: string, partition: number, dir: string) => number = () => ErrorCode.NONE;
  alterReplicaLogDir(topic: string, partition: number, dir: string): number {
    this.calls.push(`move ${topic}-${partition} to ${dir}`);
    return this.alterLogDirAnswer(topic, partition, dir);
  }
}

/** Topic admin on the fake metadata: topics appear at once, led by this broker. Records what it was asked. */
export class FakeTopicAdmin implements TopicAdmin {
  readonly calls: string[] = [];
  constructor(
    private readonly metadata: FakeMetadata,
    private readonly logs: LogManager,
  ) {}
  async createTopic(req: NewTopic, validateOnly: boolean): Promise<TopicInfo> {
    this.calls.push(`create ${req.name}${validateOnly ? ' (validate only)' : ''}`);
    if (this.metadata.topics.get(req.name)) throw new KafkaError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${req.name}' already exists.`);
    const count = req.numPartitions < 0 ? 1 : req.numPartitions;
    const topic = topicInfo(req.name, count, req.configs);
    if (!validateOnly) addTopic(this.metadata, this.logs, topic);
    return topic;
  }
  autoCreateTopic(name: string): Promise<TopicInfo> {
    return this.createTopic({ name, numPartitions: -1, replicationFactor: -1, assignments: [], configs: {} }, false);
  }
  async waitForLeaders(name: string, timeoutMs: number): Promise<void> {
    this.calls.push(`wait for leaders of ${name} ${timeoutMs}`);
  }
  async deleteTopic(name: string): Promise<void> {
    this.calls.push(`delete ${name}`);
    this.metadata.topics.delete(name);
  }
  async createPartitions(name: string, count: number, assignments: number[][] | null, validateOnly: boolean): Promise<void> {
    this.calls.push(`grow ${name} to ${count}${assignments ? ` as ${JSON.stringify(assignments)}` : ''}${validateOnly ? ' (validate only)' : ''}`);
    const topic = this.metadata.topics.get(name);
    if (!topic) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${name}' does not exist.`);
    if (!validateOnly) addTopic(this.metadata, this.logs, { ...topic, partitions: [...topic.partitions, ...topicInfo(name, count - topic.partitions.length).partitions] });
  }
  async topicExists(name: string): Promise<boolean> {
    return this.metadata.topics.get(name) !== undefined;
  }
  async alterTopicConfigs(name: string, configs: Record<string, string>, validateOnly: boolean): Promise<void> {
    this.calls.push(`alter configs of ${name}${validateOnly ? ' (validate only)' : ''}`);
    const topic = this.metadata.topics.get(name);
    if (!topic) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${name}' does not exist.`);
    validateTopicConfigs(configs);
    if (validateOnly) return;
    this.metadata.topics.set({ ...topic, configs });
    this.logs.updateTopicConfig(name);
  }
}

/** A fixed topic id per name, in the canonical form the codec round-trips (16 bytes, base64url). */
export function topicIdOf(name: string): string {
  return createHash('md5').update(name).digest('base64url');
}

export function topicInfo(name: string, partitions: number, configs: Record<string, string> = {}, partition: Partial<PartitionInfo> = {}): TopicInfo {
  const p = (): PartitionInfo => ({ replicas: [BROKER_ID], leader: BROKER_ID, leaderEpoch: 0, isr: [BROKER_ID], ...partition });
  return { name, id: topicIdOf(name), partitions: Array.from({ length: partitions }, p), configs };
}

/** The fetch waiters a test broker's logs wake, as the broker wires them. */
const waitersOfLogs = new WeakMap<LogManager, FetchWaiters>();

/** Puts a topic in the view, with a local log for each partition this broker replicates. */
export function addTopic(metadata: FakeMetadata, logs: LogManager, topic: TopicInfo): void {
  metadata.topics.set(topic);
  topic.partitions.forEach((p, i) => {
    if (!p.replicas.includes(BROKER_ID) || logs.get(topic.name, i)) return;
    const log = logs.createPartition(topic.name, i, topic.id);
    log.initHighWatermark();
    const waiters = waitersOfLogs.get(logs);
    if (waiters) wakeFetches(log, waiters);
  });
}

/** As the broker does: appends wake followers' long polls, a moving high watermark wakes consumers'. */
function wakeFetches(log: PartitionLog, waiters: FetchWaiters): void {
  log.onAppend((info) => waiters.appended(FetchWaiters.replicaKey(log.topic, log.partition), info.sizeInBytes));
  log.onHighWatermark(() => waiters.wake(FetchWaiters.key(log.topic, log.partition)));
}

/** Appends as the partition leader at `leaderEpoch`; `commit` moves the high watermark to the log end, as replication would. */
export function appendToLog(log: PartitionLog, records: Buffer, opts: { leaderEpoch?: number; commit?: boolean; now?: number } = {}): AppendInfo {
  const info = log.append(Buffer.from(records), { leaderEpoch: opts.leaderEpoch ?? 0, now: opts.now ?? 0 });
  if (opts.commit ?? true) log.highWatermark = log.logEndOffset;
  return info;
}

/** Tracks a promise, so a test can tell whether it settled yet without waiting on it. */
export function track<T>(promise: Promise<T>): { promise: Promise<T>; readonly settled: boolean } {
  const tracked = { promise, settled: false };
  promise.then(
    () => (tracked.settled = true),
    () => (tracked.settled = true),
  );
  return tracked;
}

/**
 * Lets pending promises and file reads run until `condition` holds: yields to the event loop each
 * turn, never waits a fixed time. Fails when it still does not hold after `timeoutMs`.
 */
export async function settleUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function unused(what: string): never {
  throw new Error(`${what} is not part of this test`);
}

/** Every group call fails unless the test provides it. */
export function fakeGroups(overrides: Partial<Omit<GroupHandling, 'coordinator'>> & { coordinator?: Partial<GroupHandling['coordinator']> } = {}): GroupHandling {
  const coordinator = new Proxy(overrides.coordinator ?? {}, { get: (t, k) => (t as any)[k] ?? (() => unused(`groups.coordinator.${String(k)}`)) });
  return new Proxy({ ...overrides, coordinator } as GroupHandling, { get: (t, k) => (t as any)[k] ?? (() => unused(`groups.${String(k)}`)) });
}

/** Every transaction call fails unless the test provides it. */
export function fakeTransactions(overrides: Partial<TransactionHandling> = {}): TransactionHandling {
  return new Proxy(overrides as TransactionHandling, { get: (t, k) => (t as any)[k] ?? (() => unused(`transactions.${String(k)}`)) });
}

/** Every controller call fails unless the test provides it. */
export function fakeController(overrides: Partial<ClusterAdmin> = {}): ClusterAdmin {
  return new Proxy(overrides as ClusterAdmin, { get: (t, k) => (k in t ? (t as any)[k] : () => unused(`controller.${String(k)}`)) });
}

/**
 * The broker's side of the controller's requests, recording what handlers asked: epochs are checked
 * against `controllerEpoch` and `brokerEpoch` as Kafka does, each state gets `stateError(state)`.
 */
export class FakeControllerRequests implements ControllerRequests {
  readonly calls: string[] = [];
  readonly applied: ControllerPartitionState[] = [];
  controllerEpoch = 5;
  brokerEpoch = 100n;
  stateError: (state: ControllerPartitionState) => number = () => ErrorCode.NONE;

  checkEpochs(controllerEpoch: number, brokerEpoch: bigint): number {
    this.calls.push(`check controller epoch ${controllerEpoch}, broker epoch ${brokerEpoch}`);
    if (controllerEpoch < this.controllerEpoch) return ErrorCode.STALE_CONTROLLER_EPOCH;
    if (brokerEpoch !== -1n && brokerEpoch !== this.brokerEpoch) return ErrorCode.STALE_BROKER_EPOCH;
    this.controllerEpoch = controllerEpoch;
    return ErrorCode.NONE;
  }
  async applyStates(states: ControllerPartitionState[]): Promise<number[]> {
    this.calls.push(`apply ${states.map((s) => `${s.topic}-${s.partition}`).join(' ')}`);
    this.applied.push(...states);
    return states.map((s) => this.stateError(s));
  }
  async applyLiveBrokers(brokerIds: number[]): Promise<void> {
    this.calls.push(`live brokers ${brokerIds.join(',')}`);
  }
  async refreshPartitions(partitions: TopicPartition[]): Promise<void> {
    this.calls.push(`refresh ${partitions.map((p) => `${p.topic}-${p.partition}`).join(' ')}`);
  }
}

export interface TestBroker {
  ctx: (version: number) => RequestContext;
  clock: FakeClock;
  log: CapturingLogger;
  metadata: FakeMetadata;
  logs: LogManager;
  replication: FakeReplication;
  /** Replication throttles on the fake cluster view's topic configs. */
  replicationQuotas: ReplicationQuotas;
  fetchWaiters: FetchWaiters;
  /** The fetch session cache, sized by max.incremental.fetch.session.cache.slots (unless overridden). */
  fetchSessions: FetchSessionCache;
  /** The default topic admin (the one in `services` unless overridden). */
  topicAdmin: FakeTopicAdmin;
  /** The users, clients and ips entity configs, and the quota service on them (names resolve unless listed in `unresolvable`). */
  entities: EntityConfigStore;
  quotas: QuotaService;
  unresolvable: Set<string>;
  services: Omit<RequestContext, 'header' | 'version' | 'session' | 'apis'>;
  close(): Promise<void>;
}

/** Fake services around real logs in a temp dir; `overrides` replaces any service. */
export async function testBroker(overrides: Partial<TestBroker['services']> = {}, props: Record<string, string | number | boolean> = {}): Promise<TestBroker> {
  const dir = makeTempDir();
  const clock = new FakeClock();
  const log = new CapturingLogger();
  const config = brokerConfig(props);
  const metadata = new FakeMetadata();
  // As the broker's: each log takes its topic's overrides from the (fake) cluster view.
  const topicConfig = (topic: string) => logConfigOverrides(metadata.topics.get(topic)?.configs ?? {});
  const logs = await LogManager.open({ logDirs: [dir], defaultConfig: testConfig(), topicConfig, clock, tasks: false });
  const replication = new FakeReplication();
  const replicationQuotas = new ReplicationQuotas(config, BROKER_ID, metadata.topics, clock);
  const fetchWaiters = new FetchWaiters(clock);
  waitersOfLogs.set(logs, fetchWaiters);
  const topicAdmin = new FakeTopicAdmin(metadata, logs);
  const entities = new EntityConfigStore();
  const brokerConfigs = new DynamicBrokerConfig(config, BROKER_ID, entities, async (path, configs) => void entities.set(path, configs), (line) => log.warn(line));
  const unresolvable = new Set<string>();
  const storeQuota = async (path: string, configs: Record<string, string>) => {
    entities.set(path, configs);
    quotas.apply(entities.takeChanged());
  };
  const quotas: QuotaService = new QuotaService(config, entities, storeQuota, (line) => log.warn(line), async (host) => !unresolvable.has(host));
  const fetchSessions = new FetchSessionCache(config.maxIncrementalFetchSessionCacheSlots, clock, log);
  const delegationTokens = new DelegationTokenManager(tokenSettings(config.props), new FileTokenStore(dir), clock, log);
  await delegationTokens.start();
  const services = {
    clock,
    log,
    config,
    brokerConfigs,
    metadata,
    partitions: new LocalPartitions(BROKER_ID, metadata.topics, logs),
    logDirs: logs,
    replication,
    replicationQuota: replicationQuotas.forLeader,
    fetchWaiters,
    fetchSessions,
    groups: fakeGroups(),
    transactions: fakeTransactions(),
    topicAdmin,
    controller: fakeController(),
    features: new FakeFeatures(),
    quotas,
    authorizer: ALLOW_ALL,
    delegationTokens,
    acls: NO_ACL_ADMINISTRATION,
    scramCredentials: new ScramCredentialStore(entities, async (path, configs) => void entities.set(path, configs), (line) => log.info(line)),
    metrics: new TopicStats(),
    ...overrides,
  };
  const apis = HANDLERS.map((h) => ({ apiKey: h.spec.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion })).sort((a, b) => a.apiKey - b.apiKey);
  const ctx = (version: number): RequestContext => ({
    ...services,
    header: { apiKey: 0, apiVersion: version, correlationId: 7, clientId: 'test-client' },
    version,
    session: newSession('PLAINTEXT', 'PLAINTEXT', '127.0.0.1', 50000),
    apis,
  });
  return {
    ctx,
    clock,
    log,
    metadata,
    logs,
    replication,
    replicationQuotas,
    fetchWaiters,
    fetchSessions,
    topicAdmin,
    entities,
    quotas,
    unresolvable,
    services,
    close: async () => {
      fetchWaiters.close();
      delegationTokens.close();
      await logs.close();
      removeDir(dir);
    },
  };
}

/** The request as a client would send it: the codec fills in every field the test leaves out. */
export function request<S extends ApiSpec>(spec: S, version: number, body: MessageInput<S['request']>): RequestOf<S> {
  const codec = codecFor(spec, version);
  const w = new Writer(256);
  codec.request.encode(w, body);
  return codec.request.decode(new Reader(Buffer.concat(w.finish()))) as RequestOf<S>;
}

/** Runs a handler as the dispatcher does; the response is checked to encode, then returned as decoded by a client. */
export async function call<S extends ApiSpec>(h: Handler, ctx: RequestContext, body: MessageInput<S['request']>): Promise<Message<S['response']> | null> {
  const req = request(h.spec as S, ctx.version, body);
  const response = await h.handle(req, { ...ctx, header: { ...ctx.header, apiKey: h.spec.apiKey } });
  if (response === null) return null;
  const codec = codecFor(h.spec, ctx.version);
  const w = new Writer(256);
  codec.response.encode(w, response);
  return codec.response.decode(new Reader(Buffer.concat(w.finish()))) as Message<S['response']>;
}

/** One allowed action: who may perform which operation on which resource ('*' for every resource of the type). */
export type Allowed = [principal: string, operation: AclOperation, type: ResourceType, name: string];

/** An enabled authorizer from a table of allowed actions, denying everything else; it records every question. */
export class FakeAuthorizer implements Authorizing {
  readonly enabled = true;
  /** "OPERATION TYPE name" per authorize call, denied ones marked. */
  readonly asked: string[] = [];
  private readonly allowed = new Set<string>();

  constructor(rows: Allowed[] = []) {
    for (const row of rows) this.allow(...row);
  }
  allow(principal: string, operation: AclOperation, type: ResourceType, name: string): this {
    this.allowed.add(`${principal} ${operation} ${type} ${name}`);
    return this;
  }
  authorize(who: RequestIdentity, operation: AclOperation, type: ResourceType, name: string): boolean {
    const yes = this.allowed.has(`${who.principal} ${operation} ${type} ${name}`) || this.allowed.has(`${who.principal} ${operation} ${type} *`);
    this.asked.push(`${nameOf(AclOperation, operation)} ${nameOf(ResourceType, type)} ${name}${yes ? '' : ' (denied)'}`);
    return yes;
  }
  authorizeByResourceType(who: RequestIdentity, operation: AclOperation, type: ResourceType): boolean {
    return [...this.allowed].some((row) => row.startsWith(`${who.principal} ${operation} ${type} `));
  }
  authorizedOperations(who: RequestIdentity, type: ResourceType, name: string): number {
    return (SUPPORTED_OPERATIONS[type] ?? []).filter((op) => this.authorize(who, op, type, name)).reduce((bits: number, op) => bits | (1 << op), 0);
  }
}

function nameOf(table: Record<string, number>, code: number): string {
  return Object.keys(table).find((k) => table[k] === code) ?? String(code);
}

/** Finalized features in memory, with Kafka's update rules; `supported` and `failWrites` set by tests. */
export class FakeFeatures implements FeatureHandling {
  supported = new Map<string, VersionRange>();
  current: FinalizedFeatures = { epoch: -1n, levels: new Map() };
  failWrites = false;

  finalized(): FinalizedFeatures {
    return this.current;
  }

  updateFeatures(updates: readonly FeatureUpdate[], validateOnly: boolean): Promise<Map<string, FeatureResult>> {
    return applyFeatureUpdates(updates, validateOnly, this.current.levels, this.supported, async (levels) => {
      if (this.failWrites) throw new Error('write failed');
      this.current = { epoch: this.current.epoch + 1n, levels: new Map(levels) };
    });
  }
}
