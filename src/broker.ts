// One kafka-ts broker: wires the partition logs, the cluster view (standalone or ZooKeeper mode),
// replication, long-poll fetch waiters, group and transaction coordination and the socket server, and lends the
// handlers narrow services. It applies each change the cluster view reports to exactly what the
// change touches: local logs, replica roles, coordinators, waiting fetches.

import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { Apis } from '../protocol';
import { NO_ACL_ADMINISTRATION } from './auth/acl/acl-admin';
import { AclAuthorizerOptions } from './auth/acl/acl-authorizer';
import type { AclStore } from './auth/acl/acl-store';
import { Acls, startAcls } from './auth/acl/acls';
import { aclAuthorizerOptions } from './auth/acl/authorizer-config';
import { ALLOW_ALL } from './auth/authorizer';
import { SaslAuthenticator } from './auth/sasl/authenticator';
import { CredentialSources, SaslListenerSettings, isSaslListener, saslListenerSettings } from './auth/sasl/listener-sasl';
import { ScramCredentialStore } from './auth/sasl/scram-credential-store';
import type { ScramCredentialSource, TokenCredentialSource } from './auth/scram-credential';
import { DelegationTokenManager, tokenSettings } from './auth/tokens/delegation-token-manager';
import { FileTokenStore } from './auth/tokens/file-token-store';
import { BrokerConnector } from './client/broker-connector';
import { ConsoleServer } from './console/console-server';
import { interBrokerConnector } from './auth/inter-broker-security';
import { Clock, realClock } from './clock';
import { BrokerConfig, LONG_MAX, Listener } from './config';
import { BrokerInfo, Cluster, StoredIdentity } from './cluster/cluster';
import { ClusterDelta, PartitionChange } from './cluster/cluster-delta';
import { MetadataView, metadataViewOf } from './cluster/metadata-view';
import { StandaloneCluster } from './cluster/standalone-cluster';
import { PartitionInfo, randomUuid } from './cluster/topic';
import { ClusterTopicAdmin } from './cluster/topic-admin';
import { ViewWaiters } from './cluster/view-waiters';
import { FetchSessionCache } from './fetch/fetch-sessions';
import { FetchWaiters } from './fetch/fetch-waiters';
import { GroupService } from './groups/group-service';
import { OFFSETS_TOPIC } from './groups/offsets-topic';
import { HANDLERS } from './handlers';
import { BrokerServices } from './handlers/handler';
import { DEFAULT_LOG_CONFIG, LogConfig, logConfigOverrides, resolveLogConfig } from './log/log-config';
import { DirLock, lockLogDirs } from './log/dir-lock';
import { LogManager } from './log/log-manager';
import { readMetaProperties, writeMetaProperties } from './log/meta-properties';
import { flushPendingWrites } from './log/pending-writes';
import type { PartitionLog } from './log/partition-log';
import { Logger } from './logger';
import { BrokerStats } from './metrics/broker-stats';
import { METRICS_LISTENER_KEY, MetricsListener } from './metrics/metrics-listener';
import { parseListenAddress } from './listen-address';
import { brokerRegistry } from './metrics/registry';
import type { BrokerViews, GroupsView } from './metrics/views';
import { requestControlledShutdown } from './replication/controlled-shutdown';
import { LocalPartitions } from './replication/local-partitions';
import type { CoordinatorServices } from './coordinator/coordinator-services';
import { FileProducerIdBlocks } from './txn/file-producer-id-blocks';
import { InterBrokerClient } from './txn/inter-broker-client';
import { VERIFY_ONLY_VERSION } from './txn/transaction-verifier';
import { ProducerIdManager } from './txn/producer-id-manager';
import { TransactionCoordinator } from './txn/transaction-coordinator';
import { TRANSACTION_STATE_TOPIC } from './txn/transaction-state-manager';
import { ReplicaManager } from './replication/replica-manager';
import { ReplicationQuotas } from './replication/replication-quotas';
import { BrokerControls } from './control/broker-controls';
import { Dispatcher } from './server/dispatcher';
import { SocketServer } from './server/socket-server';
import { ZkCluster } from './zk/zk-cluster';
import type { ZooKeeperSession } from './zookeeper';
import { DynamicBrokerConfig } from './cluster/dynamic-broker-config';
import { FileAclStore } from './cluster/file-acls';
import { QuotaService } from './quotas/client-quotas';

export class Broker {
  readonly fetchWaiters: FetchWaiters;
  readonly fetchSessions: FetchSessionCache;
  readonly groups: GroupService;
  readonly transactions: TransactionCoordinator;
  private readonly interBroker: InterBrokerClient;
  readonly replicas: ReplicaManager;
  readonly metadata: MetadataView;
  readonly partitions: LocalPartitions;
  readonly topicAdmin: ClusterTopicAdmin;
  private readonly viewWaiters: ViewWaiters;
  readonly quotas: QuotaService;
  /** Delegation tokens, and the SCRAM credentials of `tokenauth` for the SASL server. */
  readonly delegationTokens: DelegationTokenManager;
  /** Users' SCRAM credentials: user entity configs, followed live. */
  readonly scramCredentials: ScramCredentialStore;
  private readonly replicationQuotas: ReplicationQuotas;
  /** Topic traffic and request times, counted on the request path for the metrics. */
  readonly stats = new BrokerStats();
  /** What a test changes in this broker's behaviour (faults, and the other controls of src/control). */
  readonly controls: BrokerControls;
  private server!: SocketServer;
  private metricsListener: MetricsListener | null = null;
  private consoleServer: ConsoleServer | null = null;
  /** Deltas are applied one at a time, in the order the view reported them. */
  private applying: Promise<void> = Promise.resolve();

  private constructor(
    readonly config: BrokerConfig,
    private readonly dynamicConfig: DynamicBrokerConfig,
    readonly log: Logger,
    readonly cluster: Cluster,
    readonly logs: LogManager,
    readonly clock: Clock,
    private readonly dirLocks: DirLock[],
    /** Opens this broker's connections to other brokers on the inter-broker listener. */
    private readonly connect: BrokerConnector,
    /** ACLs when authorizer.class.name names Kafka's AclAuthorizer. */
    private readonly acls: Acls | null,
    options: BrokerStartOptions,
  ) {
    this.controls = options.controls ?? new BrokerControls();
    this.fetchWaiters = new FetchWaiters(clock);
    this.fetchSessions = new FetchSessionCache(config.maxIncrementalFetchSessionCacheSlots, clock, log.child('fetch-session'));
    this.viewWaiters = new ViewWaiters(clock);
    this.metadata = metadataViewOf(cluster);
    this.partitions = new LocalPartitions(cluster.brokerId, cluster.topics, logs);
    this.topicAdmin = new ClusterTopicAdmin(cluster, config, this.viewWaiters, log);
    this.replicationQuotas = new ReplicationQuotas(config, cluster.brokerId, cluster.topics, clock);
    this.replicationQuotas.updateRates(dynamicConfig.layers());
    this.replicas = new ReplicaManager({ config, cluster, logs, log, clock, followerQuota: this.replicationQuotas.forFollower, followerLag: this.controls.followerLag, connect });
    this.quotas = new QuotaService(config, cluster.entityConfigs, (path, configs) => cluster.setEntityConfigs(path, configs), (line) => log.warn(line));
    const tokenStore = cluster instanceof ZkCluster ? cluster.delegationTokenStore() : new FileTokenStore(config.logDirs[0]);
    // In ZooKeeper mode the controller removes expired tokens (KafkaController's token expiry scheduler).
    this.delegationTokens = new DelegationTokenManager(tokenSettings(config.props), tokenStore, clock, log.child('token-manager'), () => cluster.controllerId() === cluster.brokerId);
    this.scramCredentials = new ScramCredentialStore(cluster.entityConfigs, (path, configs) => cluster.setEntityConfigs(path, configs), (line) => log.info(line));
    logs.onLogReplaced((replaced) => this.logReplaced(replaced));
    logs.onLogDirFailure((dir, offline) => this.logDirFailed(dir, offline));
    const coordinatorServices: CoordinatorServices = {
      brokerId: () => this.brokerId,
      topic: (name) => this.topics.get(name),
      leaderLog: (topic, partition) => this.partitions.leaderLog(topic, partition),
      localLog: (topic, partition) => this.logs.get(topic, partition),
      leaderEpoch: (topic, partition) => this.partitions.leaderEpoch(topic, partition),
      waitForReplication: (topic, partition, endOffset, timeoutMs) => this.replicas.waitForReplication(topic, partition, endOffset, timeoutMs),
      createTopic: async (topic) => void (await this.topicAdmin.createTopic({ ...topic, assignments: [] }, false)),
      liveBrokerCount: () => this.metadata.liveBrokerIds().length,
      log,
      clock,
    };
    this.groups = new GroupService({ ...coordinatorServices, config });
    this.interBroker = new InterBrokerClient({ brokerId: cluster.brokerId, endpointOf: (id) => this.interBrokerEndpoint(id), clock, connect });
    const producerIdBlocks = cluster instanceof ZkCluster ? cluster.producerIdBlocks() : new FileProducerIdBlocks(config.logDirs[0]);
    this.transactions = new TransactionCoordinator({
      ...coordinatorServices,
      config,
      producerIds: new ProducerIdManager(cluster.brokerId, producerIdBlocks),
      markerSender: this.interBroker,
      sendVerification: (brokerId, request) => this.interBroker.request(brokerId, Apis.AddPartitionsToTxn, VERIFY_ONLY_VERSION, request),
    });
  }

  get brokerId(): number {
    return this.cluster.brokerId;
  }

  get topics() {
    return this.cluster.topics;
  }

  static async start(config: BrokerConfig, log: Logger, clock: Clock = realClock, options: BrokerStartOptions = {}): Promise<Broker> {
    const aclOptions = aclAuthorizerOptions(config.props);
    // SASL settings are checked before anything starts; the credentials they check against exist once the broker does.
    const credentials: LateCredentials = {};
    const sources: CredentialSources = {
      users: { credential: (user, mechanism) => credentials.users?.credential(user, mechanism) },
      tokens: { tokenCredential: (tokenId, mechanism) => credentials.tokens?.tokenCredential(tokenId, mechanism) },
    };
    const sasl = saslSettings(config, sources, log);
    const connect = interBrokerConnector(config, (line) => log.warn(line));
    for (const dir of config.logDirs) mkdirSync(dir, { recursive: true });
    // Before anything else touches the dirs or the cluster: a dir another broker uses is refused.
    const locks = lockLogDirs(config.logDirs);
    try {
      return await Broker.startLocked(config, log, clock, locks, aclOptions, sasl, credentials, connect, options);
    } catch (e) {
      for (const lock of locks) lock.release();
      throw e;
    }
  }

  private static async startLocked(
    config: BrokerConfig,
    log: Logger,
    clock: Clock,
    locks: DirLock[],
    aclOptions: AclAuthorizerOptions | null,
    sasl: ReadonlyMap<string, SaslListenerSettings>,
    credentials: LateCredentials,
    connect: BrokerConnector,
    options: BrokerStartOptions,
  ): Promise<Broker> {
    const started = clock.now();
    const stored = storedIdentity(config);
    const cluster: Cluster =
      config.zookeeperConnect || options.metadataSession
        ? await ZkCluster.connect(config, stored, log, clock, connect, options.metadataSession)
        : new StandaloneCluster(config, stored);
    // Dynamic broker configs stored earlier apply before the logs open with their defaults.
    const dynamicConfig = new DynamicBrokerConfig(config, cluster.brokerId, cluster.entityConfigs, (path, configs) => cluster.setEntityConfigs(path, configs), (line) => log.warn(line));
    dynamicConfig.reload();
    for (const dir of config.logDirs) {
      if (!readMetaProperties(dir)) writeMetaProperties(dir, { brokerId: cluster.brokerId, clusterId: cluster.clusterId });
    }
    const logs = await LogManager.open({
      logDirs: config.logDirs,
      defaultConfig: brokerLogConfig(config),
      topicConfig: (topic) => logConfigOverridesOf(cluster, topic),
      logger: log,
      clock,
      tasks: {
        retentionCheckIntervalMs: config.logRetentionCheckIntervalMs,
        flushCheckIntervalMs: Math.min(config.logFlushSchedulerIntervalMs, 1000),
        checkpointIntervalMs: config.logFlushOffsetCheckpointIntervalMs,
        producerIdExpirationCheckIntervalMs: config.producerIdExpirationCheckIntervalMs,
      },
      producerIdExpirationMs: config.producerIdExpirationMs,
      // Kafka halts: nothing is left to serve.
      onAllLogDirsFailed: () => process.exit(1),
      cleaner: {
        enable: config.logCleanerEnable,
        numThreads: config.logCleanerThreads,
        dedupeBufferSize: config.logCleanerDedupeBufferSize,
        ioBufferSize: config.logCleanerIoBufferSize,
        backoffMs: config.logCleanerBackoffMs,
      },
    });
    const acls = aclOptions ? await startAcls(aclOptions, aclStoreOf(cluster, config, log), log.child('authorizer.logger')) : null;
    const broker = new Broker(config, dynamicConfig, log, cluster, logs, clock, locks, connect, acls, options);
    for (const partitionLog of logs.all()) broker.wakeFetches(partitionLog);
    if (cluster instanceof StandaloneCluster) broker.adoptOrphanLogs(cluster);
    await broker.dropOrphanLogs();
    cluster.onDelta((delta) => broker.applyDelta(delta));
    // The first delta holds every topic the view has loaded.
    await cluster.flush();
    await broker.delegationTokens.start();
    credentials.users = broker.scramCredentials;
    credentials.tokens = broker.delegationTokens;
    broker.server = new SocketServer(
      new Dispatcher(HANDLERS, broker.services(), broker.stats.requests, broker.controls),
      config.socketRequestMaxBytes,
      log,
      flushPendingWrites,
      (address) => broker.quotas.connections.recordConnection(address, clock.now()),
      (listener, session) => {
        const settings = sasl.get(listener.name);
        return settings ? new SaslAuthenticator(settings, session, clock) : null;
      },
    );
    await broker.startMetrics();
    await broker.startConsole();
    await broker.server.start(config.listeners, config.props);
    await cluster.register(broker.registration());
    await broker.groups.start();
    await broker.transactions.start();
    log.info(`[KafkaServer id=${cluster.brokerId}] started (cluster ${cluster.clusterId}) in ${clock.now() - started} ms`);
    return broker;
  }

  /** What handlers may use; never the broker itself. */
  private services(): BrokerServices {
    return {
      clock: this.clock,
      log: this.log,
      config: this.config,
      brokerConfigs: this.dynamicConfig,
      metadata: this.metadata,
      partitions: this.partitions,
      logDirs: this.logs,
      replication: this.replicas,
      replicationQuota: this.replicationQuotas.forLeader,
      fetchWaiters: this.fetchWaiters,
      fetchSessions: this.fetchSessions,
      groups: this.groups,
      transactions: this.transactions,
      topicAdmin: this.topicAdmin,
      controller: this.cluster,
      features: this.cluster.features,
      quotas: this.quotas,
      delegationTokens: this.delegationTokens,
      authorizer: this.acls?.authorizer ?? ALLOW_ALL,
      acls: this.acls?.admin ?? NO_ACL_ADMINISTRATION,
      scramCredentials: this.scramCredentials,
      metrics: this.stats.topics,
    };
  }

  /** The Prometheus endpoint, when kafkats.metrics.listener names one. */
  private async startMetrics(): Promise<void> {
    if (!this.config.metricsListener) return;
    const registry = brokerRegistry(this.stats, this.metricsViews(), { processMetrics: true });
    this.metricsListener = await MetricsListener.start(parseListenAddress(this.config.metricsListener, METRICS_LISTENER_KEY), registry, this.log);
  }

  /**
   * The web console, when kafkats.console.listener names an address: a Kafka client of this
   * broker's own first listener (bound just after, so the address is read when first used).
   */
  private async startConsole(): Promise<void> {
    if (!this.config.consoleListener) return;
    const metrics = this.metricsListener;
    const chosen = this.config.listeners.find((x) => x.securityProtocol === 'PLAINTEXT') ?? this.config.listeners[0];
    this.consoleServer = await ConsoleServer.start(parseListenAddress(this.config.consoleListener, CONSOLE_LISTENER_KEY), {
      bootstrapServers: () => {
        const l = this.boundListeners.find((x) => x.name === chosen.name);
        if (!l) throw new Error('The broker is still starting: its listeners are not bound yet');
        return `${reachableHost(l.host)}:${l.port}`;
      },
      clientProps: new Map([['security.protocol', chosen.securityProtocol]]),
      metrics: metrics ? () => [{ url: `http://${reachableHost(metrics.host)}:${metrics.port}/metrics`, brokerId: this.brokerId }] : undefined,
      listenSetting: CONSOLE_LISTENER_KEY,
    });
    this.log.info(`Serving the console on ${this.consoleServer.url}.`);
  }

  /** What the metrics read at scrape time; never the broker itself. */
  private metricsViews(): BrokerViews {
    const zk = this.cluster instanceof ZkCluster ? this.cluster.sessionEvents : null;
    return {
      cluster: {
        brokerId: this.brokerId,
        topics: () => this.topics.list(),
        liveBrokerIds: () => this.metadata.liveBrokerIds(),
        minInsyncReplicas: (topic) => Number(this.topics.get(topic)?.configs['min.insync.replicas'] ?? this.config.minInsyncReplicas),
        isActiveController: () => this.cluster.controllerId() === this.brokerId,
      },
      logs: { log: (topic, partition) => this.logs.get(topic, partition), isOffline: (topic, partition) => this.logs.isOffline(topic, partition) },
      events: {
        isrShrinks: () => this.replicas.isrShrinks,
        isrExpands: () => this.replicas.isrExpands,
        uncleanLeaderElections: () => (this.cluster instanceof ZkCluster ? this.cluster.uncleanLeaderElections : 0),
      },
      zookeeper: zk ? { syncConnects: () => zk.syncConnects, disconnects: () => zk.disconnects, expires: () => zk.expires } : undefined,
      groups: groupsView(this.groups),
      connections: { connections: () => this.server.connectionCounts() },
    };
  }

  /**
   * Moves leadership away (controlled shutdown, ZooKeeper mode, unless `controlled` is false: the
   * last broker of a cluster has nobody to hand its partitions to), stops accepting, answers what
   * is in flight, then flushes logs, checkpoints and marks a clean shutdown.
   */
  async shutdown(options: { controlled?: boolean } = {}): Promise<void> {
    this.log.info(`[KafkaServer id=${this.brokerId}] shutting down`);
    await this.consoleServer?.close();
    const controlled = (options.controlled ?? true) && this.config.controlledShutdownEnable;
    if (this.cluster instanceof ZkCluster && controlled) await this.controlledShutdown();
    await this.stopWork();
    await this.server.shutdown();
    await this.metricsListener?.close();
    await this.acls?.close();
    await this.cluster.shutdown();
    await this.logs.close();
    for (const lock of this.dirLocks) lock.release();
    this.log.info(`[KafkaServer id=${this.brokerId}] shut down completed`);
  }

  /**
   * As kill -9 would leave it: connections cut, nothing answered or flushed, no checkpoint and no
   * clean-shutdown marker, so the next start recovers the logs. The caller ends the metadata
   * session first, as the process's death would (closing it after that writes nothing); timers,
   * controller connections and file handles are released.
   */
  async kill(): Promise<void> {
    this.log.info(`[KafkaServer id=${this.brokerId}] killed`);
    this.server.abort();
    await this.consoleServer?.close();
    await this.metricsListener?.close();
    await this.stopWork();
    await this.acls?.close();
    await this.cluster.shutdown();
    await this.logs.abandon();
    for (const lock of this.dirLocks) lock.release();
  }

  /** What both a shutdown and a kill stop: waiters, coordinators, inter-broker clients, replica roles. */
  private async stopWork(): Promise<void> {
    this.fetchWaiters.close();
    this.viewWaiters.close();
    this.groups.shutdown();
    this.transactions.shutdown();
    this.interBroker.close();
    this.delegationTokens.close();
    await this.replicas.shutdown();
  }

  /** Listeners as bound (an ephemeral port 0 replaced by the real one). */
  get boundListeners(): readonly Listener[] {
    return this.server.bound.map((l) => ({ ...l, port: l.boundPort }));
  }

  /** This broker's advertised endpoint for a listener, as clients must reach it. */
  endpoint(listenerName: string): { host: string; port: number } {
    const advertised = this.config.advertisedListeners.find((l) => l.name === listenerName) ?? this.config.advertisedListeners[0];
    const bound = this.server.bound.find((l) => l.name === listenerName);
    const port = advertised.port === 0 && bound ? bound.boundPort : advertised.port;
    return { host: advertised.host || hostname(), port };
  }

  /** What this broker registers: its advertised endpoints, ports as bound. */
  private registration(): BrokerInfo {
    return {
      id: this.brokerId,
      endpoints: this.config.advertisedListeners.map((l) => ({ listener: l.name, securityProtocol: l.securityProtocol, ...this.endpoint(l.name) })),
      rack: this.config.brokerRack,
    };
  }

  /**
   * A broker's endpoint on the inter-broker listener, for the transaction markers. This broker's own
   * is known before it registers: a coordinator resumes markers as soon as it loads its partitions.
   */
  private interBrokerEndpoint(brokerId: number): { host: string; port: number } | null {
    if (brokerId === this.brokerId && this.server?.bound.length) return this.endpoint(this.config.interBrokerListenerName);
    const broker = this.cluster.liveBrokers().find((b) => b.id === brokerId);
    const endpoint = broker?.endpoints.find((e) => e.listener === this.config.interBrokerListenerName);
    return endpoint ? { host: endpoint.host, port: endpoint.port } : null;
  }

  /** Appends wake the followers' long-poll fetches; a moving high watermark wakes the consumers'. */
  private wakeFetches(log: PartitionLog): void {
    const replicaKey = FetchWaiters.replicaKey(log.topic, log.partition);
    const key = FetchWaiters.key(log.topic, log.partition);
    log.onAppend((info) => this.fetchWaiters.appended(replicaKey, info.sizeInBytes));
    log.onHighWatermark(() => this.fetchWaiters.wake(key));
  }

  /**
   * Once the controller moved leadership away, waits (bounded) until this broker's own view shows
   * it, so requests still arriving are answered NOT_LEADER_OR_FOLLOWER rather than cut off.
   */
  private async controlledShutdown(): Promise<void> {
    this.replicas.beginControlledShutdown();
    if (!(await requestControlledShutdown(this.cluster, this.config, this.clock, this.log, this.connect))) return;
    const leadsReplicated = () =>
      this.topics.list().some((t) => t.partitions.some((p) => p.leader === this.brokerId && p.replicas.length > 1));
    await this.viewWaiters.waitFor(() => !leadsReplicated(), this.config.replicaSocketTimeoutMs);
  }

  /** Applies one change of the cluster view, after those reported before it. */
  private applyDelta(delta: ClusterDelta): Promise<void> {
    // A delta that fails to apply is logged; the next one still runs.
    this.applying = this.applying.then(() => this.apply(delta)).catch((err) => this.log.error('Applying a change of the cluster view failed', err));
    return this.applying;
  }

  /**
   * A log for every partition this broker became a replica of, none for partitions it no longer
   * replicates or whose topic is gone, each log's config from its topic's; then replica roles,
   * the group coordinator and waiting fetches, for the partitions that moved.
   */
  private async apply(delta: ClusterDelta): Promise<void> {
    const gone: PartitionChange[] = [];
    for (const change of delta.partitions) {
      const { topic, partition, after } = change;
      const existing = this.logs.get(topic, partition);
      // A replica in an offline log dir stays offline: no new log elsewhere (Kafka's HostedPartition.Offline).
      const offline = this.logs.isOffline(topic, partition);
      if (after?.replicas.includes(this.brokerId)) {
        if (!existing && !offline) this.wakeFetches(this.logs.createPartition(topic, partition, this.topics.get(topic)?.id));
      } else if (existing || offline) gone.push(change);
    }
    for (const topic of delta.configsChanged) this.logs.updateTopicConfig(topic);
    const brokerConfigsChanged = delta.entityConfigsChanged.some((path) => this.dynamicConfig.concerns(path));
    if (brokerConfigsChanged) this.replicationQuotas.updateRates(this.dynamicConfig.layers());
    if (brokerConfigsChanged && this.dynamicConfig.reload()) {
      this.log.info(`[DynamicConfigPublisher broker id=${this.brokerId}] Updated dynamic broker configs`);
      this.logs.setDefaultConfig(brokerLogConfig(this.config));
    }
    this.quotas.apply(delta.entityConfigsChanged);
    this.replicas.apply(delta.partitions);
    for (const { topic, partition, after } of gone) {
      if (after) this.log.info(`Deleting the log of ${topic}-${partition}: this broker is no longer one of its replicas`);
      await this.logs.deletePartition(topic, partition);
    }
    for (const topic of delta.topicsDeleted) this.groups.topicDeleted(topic);
    for (const topic of delta.topicsDeleted) this.stats.topics.forget(topic);
    if (delta.partitions.some((c) => c.topic === OFFSETS_TOPIC)) await this.groups.leadershipChanged();
    // A transaction coordinator newly leading a partition resumes its PrepareCommit/PrepareAbort markers.
    if (delta.partitions.some((c) => c.topic === TRANSACTION_STATE_TOPIC)) await this.transactions.leadershipChanged();
    // Fetches waiting on a partition whose leadership moved re-check where they read from.
    for (const { topic, partition, before, after } of delta.partitions) {
      if (before?.leader === after?.leader && before?.leaderEpoch === after?.leaderEpoch) continue;
      this.fetchWaiters.wake(FetchWaiters.key(topic, partition));
      this.fetchWaiters.wake(FetchWaiters.replicaKey(topic, partition));
    }
    this.viewWaiters.changed();
  }

  /** A replica moved to another log dir: fetches wait on its new log, and its role goes on with it. */
  private logReplaced(log: PartitionLog): void {
    this.wakeFetches(log);
    this.replicas.logReplaced(log.topic, log.partition);
    this.fetchWaiters.wake(FetchWaiters.key(log.topic, log.partition));
    this.fetchWaiters.wake(FetchWaiters.replicaKey(log.topic, log.partition));
  }

  /**
   * Kafka's ReplicaManager.handleLogDirFailure: the dir's replicas stop fetching and leading, waiting
   * fetches re-check (and get KAFKA_STORAGE_ERROR), and in ZooKeeper mode the controller hears of it.
   */
  private logDirFailed(dir: string, offline: { topic: string; partition: number }[]): void {
    this.log.warn(`Stopping serving replicas in dir ${dir} because the log directory has failed.`);
    this.replicas.logsOffline(offline);
    for (const { topic, partition } of offline) {
      this.fetchWaiters.wake(FetchWaiters.key(topic, partition));
      this.fetchWaiters.wake(FetchWaiters.replicaKey(topic, partition));
    }
    this.cluster.propagateLogDirEvent().then(
      () => this.log.warn(`Stopped serving replicas in dir ${dir}`),
      (err) => this.log.error(`Could not tell the controller that log dir ${dir} failed`, err),
    );
  }

  /** Logs of topics the cluster view does not have (deleted while this broker was down) go at startup. */
  private async dropOrphanLogs(): Promise<void> {
    for (const log of this.logs.all()) {
      if (this.topics.get(log.topic)) continue;
      await this.logs.deletePartition(log.topic, log.partition);
    }
  }

  /** Standalone: partition directories without topic metadata (e.g. copied from a Kafka broker) become topics. */
  private adoptOrphanLogs(cluster: StandaloneCluster): void {
    const found = new Map<string, { id: string; count: number }>();
    for (const log of this.logs.all()) {
      if (this.topics.get(log.topic)) continue;
      const seen = found.get(log.topic) ?? { id: log.topicId ?? randomUuid(), count: 0 };
      seen.count = Math.max(seen.count, log.partition + 1);
      found.set(log.topic, seen);
    }
    for (const [name, { id, count }] of found) {
      const partitions = Array.from({ length: count }, (): PartitionInfo => ({ replicas: [this.brokerId], leader: this.brokerId, leaderEpoch: 0, isr: [this.brokerId] }));
      cluster.topics.put({ name, id, partitions, configs: {} });
      this.log.info(`Adopted topic ${name} (${count} partitions) found in the log dirs`);
    }
  }
}

export interface BrokerStartOptions {
  /**
   * A session of a metadata store shared by the brokers of one process (an in-memory ensemble):
   * the broker then runs as a ZooKeeper-mode cluster member without zookeeper.connect.
   */
  metadataSession?: () => Promise<ZooKeeperSession>;
  /** The controls this broker's requests go through (fresh, with nothing set, by default). */
  controls?: BrokerControls;
}

/** The groups this broker coordinates, their members and committed offsets. */
function groupsView(groups: GroupService): GroupsView {
  const { coordinator } = groups;
  return {
    groups: () =>
      coordinator.listGroups([]).map((g) => ({ groupId: g.groupId, state: g.groupState, members: coordinator.describeGroup(g.groupId).members.length })),
    committedOffsets: (groupId) =>
      groups.fetchOffsets(groupId, null, null, -1).topics.flatMap((t) =>
        t.partitions.filter((p) => p.errorCode === 0).map((p) => ({ topic: t.name, partition: p.partitionIndex, offset: Number(p.committedOffset) })),
      ),
  };
}

/** Each SASL listener's mechanisms, JAAS entries and session settings; a bad setting refuses startup. */
/** What SASL listeners authenticate against, set once the broker that keeps them exists. */
interface LateCredentials {
  users?: ScramCredentialSource;
  tokens?: TokenCredentialSource;
}

function saslSettings(config: BrokerConfig, sources: CredentialSources, log: Logger): Map<string, SaslListenerSettings> {
  const warn = (line: string) => log.warn(line);
  return new Map(config.listeners.filter(isSaslListener).map((l) => [l.name, saslListenerSettings(config.props, l, sources, warn)]));
}

/** Broker id and cluster id as the log dirs remember them; they must agree with each other and the config. */
function storedIdentity(config: BrokerConfig): StoredIdentity {
  const metas = config.logDirs.map((dir) => ({ dir, meta: readMetaProperties(dir) }));
  const known = metas.find((m) => m.meta !== null)?.meta ?? null;
  for (const { dir, meta } of metas) {
    if (!meta || !known) continue;
    if (meta.clusterId !== known.clusterId) throw new Error(`Log dir ${dir} belongs to cluster ${meta.clusterId}, not ${known.clusterId}`);
    if (config.brokerId >= 0 && meta.brokerId !== config.brokerId) {
      throw new Error(`Configured broker.id ${config.brokerId} doesn't match stored broker.id ${meta.brokerId} in meta.properties of ${dir}.`);
    }
  }
  return { brokerId: known?.brokerId, clusterId: known?.clusterId };
}

/** ZooKeeper mode: Kafka's /kafka-acl znodes; standalone: a file in the first log dir. */
function aclStoreOf(cluster: Cluster, config: BrokerConfig, log: Logger): AclStore {
  return cluster instanceof ZkCluster ? cluster.aclStore(log.child('authorizer')) : new FileAclStore(config.logDirs[0]);
}

function logConfigOverridesOf(cluster: Cluster, topic: string): Partial<LogConfig> {
  return logConfigOverrides(cluster.topics.get(topic)?.configs ?? {});
}

/** Kafka's Long.MAX_VALUE means "never"; the log layer spells that Infinity. */
function never(ms: number): number {
  return ms >= LONG_MAX ? Infinity : ms;
}

/** Topic defaults from server.properties (log.segment.bytes, log.retention.*, message.max.bytes, …). */
function brokerLogConfig(c: BrokerConfig): LogConfig {
  return resolveLogConfig(DEFAULT_LOG_CONFIG, {
    segmentBytes: c.logSegmentBytes,
    segmentMs: never(c.logRollMs),
    segmentIndexBytes: c.logIndexSizeMaxBytes,
    indexIntervalBytes: c.logIndexIntervalBytes,
    retentionMs: c.logRetentionMs,
    retentionBytes: c.logRetentionBytes,
    flushIntervalMessages: never(c.logFlushIntervalMessages),
    flushIntervalMs: never(c.logFlushIntervalMs),
    messageTimestampType: c.logMessageTimestampType,
    maxMessageBytes: c.messageMaxBytes,
    cleanupPolicy: c.logCleanupPolicy,
    deleteRetentionMs: never(c.logCleanerDeleteRetentionMs),
    minCleanableDirtyRatio: c.logCleanerMinCleanableRatio,
    minCompactionLagMs: c.logCleanerMinCompactionLagMs,
    maxCompactionLagMs: never(c.logCleanerMaxCompactionLagMs),
  });
}

const CONSOLE_LISTENER_KEY = 'kafkats.console.listener';

/** A listener's host as a local client reaches it: all interfaces means this machine. */
function reachableHost(host: string): string {
  if (host === '' || host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '::1';
  return host.includes(':') ? `[${host}]` : host;
}
