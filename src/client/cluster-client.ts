// A client of a whole Kafka cluster, as the command-line tools and the console need it: it starts
// from bootstrap servers, learns the brokers from Metadata, keeps one connection per broker, and
// sends each request at the highest version both it and that broker support (from ApiVersions,
// as Kafka's NetworkClient negotiates). Requests go to any broker, a given one, the controller,
// or a group's or transactional id's coordinator. It works against any Kafka broker.

import { ApiSpec, Apis, ErrorCode, KafkaError, Message, MessageInput, VersionRange, errorName } from '../../protocol';
import { BrokerConnector, plaintextConnector } from './broker-connector';
import { KafkaConnection } from './kafka-connection';

export interface ClusterClientOptions {
  /** "host:port,host:port", as --bootstrap-server takes it. */
  bootstrapServers: string;
  clientId?: string;
  /** How connections are opened (TLS, SASL): clientConnector(props). */
  connector?: BrokerConnector;
  /** For connecting and for each request. */
  requestTimeoutMs?: number;
}

export interface BrokerNode {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

/** A broker that could not be reached, naming the address. */
export class BrokerNotReachableError extends Error {
  constructor(
    readonly address: string,
    cause: unknown,
  ) {
    super(`Broker ${address} is not reachable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'BrokerNotReachableError';
  }
}

/** Whether connecting failed because the broker refused the client's SASL credentials (not because it was unreachable). */
export function refusedCredentials(err: unknown): boolean {
  return err instanceof BrokerNotReachableError && /authentication|sasl/i.test(err.message);
}

/** The API a broker does not support at any version this client speaks, in the Java client's words. */
export class UnsupportedApiError extends Error {
  constructor(
    readonly api: string,
    readonly nodeId: number,
  ) {
    super(`The node does not support ${api.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`);
    this.name = 'UnsupportedApiError';
  }
}

export type Target = number | 'any' | 'controller';

export interface RequestOptions {
  /** Where to send it: a node id, any broker (the default) or the controller. */
  to?: Target;
  /** Highest version to use, for requests whose newer versions change what the caller must send. */
  maxVersion?: number;
  /** Lowest version the caller can work with. */
  minVersion?: number;
  /** For a request the broker may hold longer than requestTimeoutMs (JoinGroup waits for a rebalance). */
  timeoutMs?: number;
}

interface Connected {
  conn: KafkaConnection;
  versions: Map<number, VersionRange>;
}

const bootstrapId = (i: number) => -1 - i;

export class ClusterClient {
  private readonly connections = new Map<number, Promise<Connected>>();
  private readonly nodes = new Map<number, BrokerNode>();
  private controller = -1;
  private clusterIdValue: string | null = null;
  private readonly connector: BrokerConnector;
  private readonly clientId: string;
  readonly requestTimeoutMs: number;

  private constructor(
    private readonly bootstrap: readonly { host: string; port: number }[],
    options: ClusterClientOptions,
  ) {
    this.connector = options.connector ?? plaintextConnector;
    this.clientId = options.clientId ?? 'kafka-ts-tools';
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  /** Connects to the first bootstrap server that answers and reads the cluster's metadata. */
  static async connect(options: ClusterClientOptions): Promise<ClusterClient> {
    const client = new ClusterClient(parseBootstrapServers(options.bootstrapServers), options);
    await client.refreshMetadata();
    return client;
  }

  get clusterId(): string | null {
    return this.clusterIdValue;
  }

  get controllerId(): number {
    return this.controller;
  }

  /** The brokers, by node id, as the last Metadata listed them. */
  brokers(): BrokerNode[] {
    return [...this.nodes.values()].sort((a, b) => a.nodeId - b.nodeId);
  }

  broker(nodeId: number): BrokerNode | undefined {
    return this.nodes.get(nodeId);
  }

  /** Metadata for these topics (all when null), refreshing the broker list and controller. */
  async metadata(topics: readonly string[] | null = [], allowAutoTopicCreation = false): Promise<Message<(typeof Apis.Metadata)['response']>> {
    const res = await this.request(Apis.Metadata, {
      topics: topics === null ? null : topics.map((name) => ({ name })),
      allowAutoTopicCreation,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    this.nodes.clear();
    for (const b of res.brokers) this.nodes.set(b.nodeId, { nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack ?? null });
    this.controller = res.controllerId;
    this.clusterIdValue = res.clusterId ?? null;
    return res;
  }

  async refreshMetadata(): Promise<void> {
    await this.metadata([]);
  }

  /** The version a request goes at to this node: the highest both sides support within the caller's bounds. */
  async versionFor(spec: ApiSpec, to: Target = 'any', options: Omit<RequestOptions, 'to'> = {}): Promise<number> {
    const { versions, nodeId } = await this.connectedTo(to);
    return pickVersion(spec, versions.get(spec.apiKey), nodeId, options);
  }

  /** Sends a request at the negotiated version; resolves with the response. */
  async request<S extends ApiSpec>(spec: S, body: MessageInput<S['request']>, options: RequestOptions = {}): Promise<Message<S['response']>> {
    const { conn, versions, nodeId } = await this.connectedTo(options.to ?? 'any');
    const version = pickVersion(spec, versions.get(spec.apiKey), nodeId, options);
    return conn.request(spec, version, body, options.timeoutMs ?? this.requestTimeoutMs);
  }

  /** Like request, also giving the version it went at (for callers whose reading of the answer depends on it). */
  async requestWithVersion<S extends ApiSpec>(spec: S, body: MessageInput<S['request']>, options: RequestOptions = {}): Promise<{ version: number; response: Message<S['response']> }> {
    const { conn, versions, nodeId } = await this.connectedTo(options.to ?? 'any');
    const version = pickVersion(spec, versions.get(spec.apiKey), nodeId, options);
    return { version, response: await conn.request(spec, version, body, options.timeoutMs ?? this.requestTimeoutMs) };
  }

  /** Sends a request the broker does not answer (Produce with acks=0) at the negotiated version. */
  async requestWithoutResponse<S extends ApiSpec>(spec: S, body: MessageInput<S['request']>, options: RequestOptions = {}): Promise<void> {
    const { conn, versions, nodeId } = await this.connectedTo(options.to ?? 'any');
    conn.requestWithoutResponse(spec, pickVersion(spec, versions.get(spec.apiKey), nodeId, options), body);
  }

  /** The versions of every API this node supports, from its ApiVersions answer. */
  async apiVersions(to: Target = 'any'): Promise<ReadonlyMap<number, VersionRange>> {
    return (await this.connectedTo(to)).versions;
  }

  /** The coordinator of a group (keyType 0) or transactional id (keyType 1), found with FindCoordinator. */
  async coordinator(key: string, keyType: 0 | 1 = 0): Promise<number> {
    const { version, response } = await this.requestWithVersion(Apis.FindCoordinator, { key, keyType, coordinatorKeys: [key] });
    if (version >= 4) {
      const c = response.coordinators[0];
      if (!c) throw new KafkaError(ErrorCode.COORDINATOR_NOT_AVAILABLE);
      if (c.errorCode !== ErrorCode.NONE) throw new KafkaError(c.errorCode, c.errorMessage ?? errorName(c.errorCode));
      this.nodes.set(c.nodeId, { nodeId: c.nodeId, host: c.host, port: c.port, rack: this.nodes.get(c.nodeId)?.rack ?? null });
      return c.nodeId;
    }
    if (response.errorCode !== ErrorCode.NONE) throw new KafkaError(response.errorCode, response.errorMessage ?? errorName(response.errorCode));
    this.nodes.set(response.nodeId, { nodeId: response.nodeId, host: response.host, port: response.port, rack: this.nodes.get(response.nodeId)?.rack ?? null });
    return response.nodeId;
  }

  /** Closes every connection. */
  close(): void {
    for (const c of this.connections.values()) c.then((x) => x.conn.close(), () => undefined);
    this.connections.clear();
  }

  private async connectedTo(to: Target): Promise<Connected & { nodeId: number }> {
    if (to === 'controller') {
      if (this.controller < 0) await this.refreshMetadata();
      if (this.controller < 0) throw new KafkaError(ErrorCode.NOT_CONTROLLER, 'The cluster has no active controller');
      to = this.controller;
    }
    if (to === 'any') return this.anyNode();
    return { ...(await this.connection(to)), nodeId: to };
  }

  /** An open connection if there is one, else the bootstrap servers (or known brokers) in turn. */
  private async anyNode(): Promise<Connected & { nodeId: number }> {
    for (const [nodeId, c] of this.connections) {
      const connected = await c.catch(() => undefined);
      if (connected?.conn.isOpen) return { ...connected, nodeId };
    }
    const candidates: [number, string, number][] = [
      ...[...this.nodes.values()].map((n): [number, string, number] => [n.nodeId, n.host, n.port]),
      ...this.bootstrap.map((b, i): [number, string, number] => [bootstrapId(i), b.host, b.port]),
    ];
    let lastError: unknown = new Error('no bootstrap servers');
    for (const [nodeId, host, port] of candidates) {
      try {
        return { ...(await this.open(nodeId, host, port)), nodeId };
      } catch (err) {
        lastError = err;
      }
    }
    throw lastError;
  }

  private async connection(nodeId: number): Promise<Connected> {
    const existing = this.connections.get(nodeId);
    if (existing) {
      const connected = await existing.catch(() => undefined);
      if (connected?.conn.isOpen) return connected;
    }
    let node = this.nodes.get(nodeId);
    if (!node) {
      await this.refreshMetadata();
      node = this.nodes.get(nodeId);
    }
    if (!node) throw new KafkaError(ErrorCode.BROKER_NOT_AVAILABLE, `Broker ${nodeId} is not in the cluster's metadata`);
    return this.open(nodeId, node.host, node.port);
  }

  private open(nodeId: number, host: string, port: number): Promise<Connected> {
    const opening = (async (): Promise<Connected> => {
      let conn: KafkaConnection;
      try {
        conn = await this.connector(host, port, { clientId: this.clientId, timeoutMs: this.requestTimeoutMs });
      } catch (err) {
        throw new BrokerNotReachableError(`${host}:${port}`, err);
      }
      try {
        return { conn, versions: await negotiate(conn, this.requestTimeoutMs) };
      } catch (err) {
        conn.close();
        throw err;
      }
    })();
    this.connections.set(nodeId, opening);
    opening.catch(() => {
      if (this.connections.get(nodeId) === opening) this.connections.delete(nodeId);
    });
    return opening;
  }
}

/** "a:1,b:2" into hosts and ports; a malformed entry throws naming it. */
export function parseBootstrapServers(text: string): { host: string; port: number }[] {
  const servers = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (servers.length === 0) throw new Error('No bootstrap servers given');
  return servers.map((s) => {
    const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(s);
    if (!m || m[1] === '') throw new Error(`Invalid url in bootstrap.servers: ${s}`);
    return { host: m[1], port: Number(m[2]) };
  });
}

/** ApiVersions v3, or v0 when the broker answers UNSUPPORTED_VERSION (it then lists its versions, as Kafka's NetworkClient retries). */
async function negotiate(conn: KafkaConnection, timeoutMs: number): Promise<Map<number, VersionRange>> {
  let res = await conn.request(Apis.ApiVersions, 3, { clientSoftwareName: 'kafka-ts-tools', clientSoftwareVersion: '3.9.0' }, timeoutMs);
  if (res.errorCode === ErrorCode.UNSUPPORTED_VERSION) res = await conn.request(Apis.ApiVersions, 0, {}, timeoutMs);
  if (res.errorCode !== ErrorCode.NONE) throw new KafkaError(res.errorCode, `ApiVersions failed: ${errorName(res.errorCode)}`);
  return new Map(res.apiKeys.map((k) => [k.apiKey, { min: k.minVersion, max: k.maxVersion }]));
}

function pickVersion(spec: ApiSpec, broker: VersionRange | undefined, nodeId: number, options: Omit<RequestOptions, 'to'>): number {
  const max = Math.min(spec.validVersions.max, broker?.max ?? -1, options.maxVersion ?? Infinity);
  const min = Math.max(spec.validVersions.min, broker?.min ?? Infinity, options.minVersion ?? 0);
  if (broker === undefined || max < min) throw new UnsupportedApiError(spec.name, nodeId);
  return max;
}
