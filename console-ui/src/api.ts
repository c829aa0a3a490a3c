// Typed client for the console's HTTP API (the contract the console server implements under /api/).

export interface Session {
  secured: boolean;
  loggedIn: boolean;
  user: string | null;
}

export type SaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

export interface Features {
  acls: boolean;
  scram: boolean;
  transactions: boolean;
  deleteRecords: boolean;
  alterConfigs: boolean;
  createPartitions: boolean;
  logDirs: boolean;
  throughput: boolean;
}

export interface LogDir {
  path: string;
  sizeBytes: number;
  error: string | null;
}

export interface Broker {
  id: number;
  host: string;
  port: number;
  rack: string | null;
  leaderCount: number;
  partitionCount: number;
  logDirs: LogDir[];
}

export interface Cluster {
  clusterId: string | null;
  controllerId: number | null;
  brokers: Broker[];
  underReplicatedPartitions: number;
  offlinePartitions: number;
}

export interface Rates {
  bytesInPerSec: number;
  bytesOutPerSec: number;
}

export interface Throughput {
  at: number;
  brokers: (Rates & { id: number })[];
  topics: (Rates & { name: string })[];
}

export interface TopicSummary {
  name: string;
  internal: boolean;
  partitions: number;
  replicationFactor: number;
  records: number;
  sizeBytes: number;
  cleanupPolicy: string;
  underReplicatedPartitions: number;
}

export interface NewTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

export interface PartitionInfo {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  logStartOffset: number;
  logEndOffset: number;
  sizeBytes: number;
}

export interface ConfigEntry {
  name: string;
  value: string | null;
  source: string;
  isDefault: boolean;
  readOnly: boolean;
  sensitive: boolean;
}

export interface TopicDetail {
  name: string;
  topicId: string;
  internal: boolean;
  partitions: PartitionInfo[];
  /** null when the cluster cannot describe configs. */
  configs: ConfigEntry[] | null;
}

export type Decode = 'text' | 'json' | 'hex' | 'base64';
export type FilterOn = 'key' | 'value' | 'header';
export type FilterMode = 'substring' | 'regex' | 'jsonpath';
export type Isolation = 'read_committed' | 'read_uncommitted';

export interface MessageQuery {
  partitions?: string;
  start?: string;
  limit?: number;
  cursor?: string;
  direction?: 'next' | 'prev';
  filter?: string;
  filterOn?: FilterOn;
  filterMode?: FilterMode;
  headerKey?: string;
  isolation?: Isolation;
  decode?: Decode;
}

export interface RecordHeader {
  key: string;
  value: string | null;
}

export interface ConsoleRecord {
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: 'CreateTime' | 'LogAppendTime';
  key: string | null;
  value: string | null;
  headers: RecordHeader[];
  compression: string;
  keySize: number;
  valueSize: number;
}

export type Budget = { cut: false } | { cut: true; reason: 'time' | 'bytes' };

export interface MessagePage {
  records: ConsoleRecord[];
  next: string | null;
  prev: string | null;
  scanned: number;
  budget: Budget;
}

export interface ProduceRequest {
  partition: number | null;
  key: string | null;
  value: string;
  headers: RecordHeader[];
}

export interface GroupSummary {
  groupId: string;
  state: string;
  protocolType: string;
  members: number;
  totalLag: number | null;
}

export interface GroupMember {
  memberId: string;
  clientId: string;
  host: string;
  assignment: { topic: string; partition: number }[];
}

export interface GroupOffset {
  topic: string;
  partition: number;
  committedOffset: number;
  endOffset: number | null;
  lag: number | null;
}

export interface GroupDetail {
  groupId: string;
  state: string;
  protocolType: string;
  protocol: string;
  coordinator: { id: number; host: string; port: number } | null;
  members: GroupMember[];
  offsets: GroupOffset[];
}

export type ResetTo = 'earliest' | 'latest' | 'timestamp' | 'offset' | 'shift';

export interface ResetRequest {
  topic: string | null;
  to: ResetTo;
  value?: number;
  execute: boolean;
}

export interface ResetPlan {
  plan: { topic: string; partition: number; currentOffset: number | null; newOffset: number }[];
  executed: boolean;
}

export interface AclBinding {
  resourceType: string;
  resourceName: string;
  patternType: string;
  principal: string;
  host: string;
  operation: string;
  permissionType: string;
}

export interface ScramUser {
  user: string;
  credentials: { mechanism: string; iterations: number }[];
}

export interface NewScramUser {
  user: string;
  password: string;
  mechanism: string;
  iterations: number;
}

export interface TransactionSummary {
  transactionalId: string;
  state: string;
  producerId: number;
  coordinatorId: number;
}

/** An answer other than 2xx, or no answer at all (status 0). */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
  get unavailable(): boolean {
    return this.status === 501;
  }
}

export const UNREACHABLE = 'Cannot reach the console API';
/** Dispatched on window when an API call answers 401, so the app can show the login page. */
export const LOGIN_NEEDED_EVENT = 'console:login-needed';

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, `${UNREACHABLE}: no answer from the server.`);
  }
  const isJson = (response.headers.get('content-type') ?? '').includes('application/json');
  if (!isJson) {
    // A static server without the API answers GETs with HTML, and unknown paths with 404 pages.
    if (response.ok && method !== 'GET') return null as T;
    if (response.ok) throw new ApiError(0, `${UNREACHABLE}: the server answered with a web page, not JSON.`);
    if (response.status === 404 || response.status >= 500) throw new ApiError(0, `${UNREACHABLE} (HTTP ${response.status}).`);
  }
  const payload: unknown = isJson ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    if (response.status === 401 && !path.endsWith('/api/login')) window.dispatchEvent(new Event(LOGIN_NEEDED_EVENT));
    const message = (payload as { error?: unknown } | null)?.error;
    throw new ApiError(response.status, typeof message === 'string' ? message : `HTTP ${response.status} ${response.statusText}`);
  }
  return payload as T;
}

const seg = encodeURIComponent;

function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  session: () => call<Session>('GET', '/api/session'),
  login: (username: string, password: string, mechanism: SaslMechanism) =>
    call<{ user: string }>('POST', '/api/login', { username, password, mechanism }),
  logout: () => call<unknown>('POST', '/api/logout'),
  features: () => call<Features>('GET', '/api/features'),
  cluster: () => call<Cluster>('GET', '/api/cluster'),
  throughput: () => call<Throughput>('GET', '/api/throughput'),

  topics: (internal: boolean) => call<TopicSummary[]>('GET', `/api/topics${query({ internal })}`),
  createTopic: (topic: NewTopic) => call<unknown>('POST', '/api/topics', topic),
  deleteTopic: (name: string) => call<unknown>('DELETE', `/api/topics/${seg(name)}`),
  topic: (name: string) => call<TopicDetail>('GET', `/api/topics/${seg(name)}`),
  alterConfigs: (name: string, set: Record<string, string>, remove: string[]) =>
    call<unknown>('PATCH', `/api/topics/${seg(name)}/configs`, { set, delete: remove }),
  addPartitions: (name: string, count: number) => call<unknown>('POST', `/api/topics/${seg(name)}/partitions`, { count }),
  deleteRecords: (name: string, partition: number, offset: number) =>
    call<unknown>('POST', `/api/topics/${seg(name)}/delete-records`, { partition, offset }),
  messages: (name: string, q: MessageQuery) => call<MessagePage>('GET', `/api/topics/${seg(name)}/messages${query({ ...q })}`),
  tailUrl: (name: string, q: Pick<MessageQuery, 'partitions' | 'decode'>) => `/api/topics/${seg(name)}/tail${query({ ...q })}`,
  produce: (name: string, record: ProduceRequest) =>
    call<{ partition: number; offset: number }>('POST', `/api/topics/${seg(name)}/produce`, record),
  producers: (name: string, partition: number) =>
    call<Record<string, unknown>[] | Record<string, unknown>>('GET', `/api/topics/${seg(name)}/producers${query({ partition })}`),

  groups: () => call<GroupSummary[]>('GET', '/api/groups'),
  group: (id: string) => call<GroupDetail>('GET', `/api/groups/${seg(id)}`),
  resetOffsets: (id: string, request: ResetRequest) => call<ResetPlan>('POST', `/api/groups/${seg(id)}/reset-offsets`, request),
  deleteGroup: (id: string) => call<unknown>('DELETE', `/api/groups/${seg(id)}`),
  deleteOffsets: (id: string, topic: string) => call<unknown>('DELETE', `/api/groups/${seg(id)}/offsets${query({ topic })}`),

  acls: () => call<AclBinding[]>('GET', '/api/acls'),
  addAcl: (binding: AclBinding) => call<unknown>('POST', '/api/acls', binding),
  removeAcl: (binding: AclBinding) => call<unknown>('POST', '/api/acls/delete', binding),
  users: () => call<ScramUser[]>('GET', '/api/users'),
  addUser: (user: NewScramUser) => call<unknown>('POST', '/api/users', user),
  removeUser: (user: string, mechanism: string) => call<unknown>('DELETE', `/api/users/${seg(user)}${query({ mechanism })}`),

  transactions: () => call<TransactionSummary[]>('GET', '/api/transactions'),
  transaction: (id: string) => call<Record<string, unknown>>('GET', `/api/transactions/${seg(id)}`),
};
