// A follower's ReplicaFetcher against an in-process leader (the real Fetch handler and session
// cache behind a real socket, on fake time): the first fetch is full and opens a session, later
// ones name only partitions whose fetch offset moved, a partition no longer followed is forgotten,
// and a session the leader lost makes the next fetch full again. Under the follower's replication
// throttle, a throttled partition stays out of the fetch while the quota is exceeded.

import { plaintextConnector } from '../../src/client/broker-connector';
import * as path from 'node:path';
import { Apis, RequestOf } from '../../protocol';
import { Listener } from '../../src/config';
import { FetchSessionCache } from '../../src/fetch/fetch-sessions';
import fetch from '../../src/handlers/01-fetch';
import { HANDLERS } from '../../src/handlers';
import { PartitionLog } from '../../src/log/partition-log';
import { ReplicaFetcher, partitionKey } from '../../src/replication/replica-fetcher';
import { ReplicationQuotas } from '../../src/replication/replication-quotas';
import { Dispatcher } from '../../src/server/dispatcher';
import { SocketServer } from '../../src/server/socket-server';
import { TestBroker, addTopic, appendToLog, settleUntil, testBroker, topicIdOf, topicInfo } from '../handlers/fake-context';
import { batch, makeTempDir, removeDir, testConfig } from '../log/helpers';

const PLAINTEXT: Listener = { name: 'PLAINTEXT', host: '127.0.0.1', port: 0, securityProtocol: 'PLAINTEXT' };
const T0 = 1_700_000_000_000;

let leader: TestBroker;
let server: SocketServer;
let fetcher: ReplicaFetcher;
/** The follower's (broker 2's) replication throttles, unbounded unless a test sets a rate. */
let quotas: ReplicationQuotas;
let dir: string;
const followerLogs: PartitionLog[] = [];
/** Each Fetch the leader got, as "session/epoch send=[...] forget=[...]" (session "new" when 0). */
const fetches: string[] = [];
const sessionIds: number[] = [];

function summary(req: RequestOf<typeof Apis.Fetch>): string {
  const name = (id: string) => ['t', 'u'].find((n) => topicIdOf(n) === id);
  const send = req.topics.flatMap((t) => t.partitions.map((p) => `${name(t.topicId)}-${p.partition}@${p.fetchOffset}`));
  const forget = req.forgottenTopicsData.flatMap((t) => t.partitions.map((p) => `${name(t.topicId)}-${p}`));
  sessionIds.push(req.sessionId);
  return `${req.sessionId === 0 ? 'new' : 'S'}/${req.sessionEpoch} send=[${send.join(' ')}] forget=[${forget.join(' ')}]`;
}

beforeEach(async () => {
  fetches.length = 0;
  sessionIds.length = 0;
  dir = makeTempDir();
  leader = await testBroker();
  addTopic(leader.metadata, leader.logs, topicInfo('t', 2, {}, { replicas: [1, 2], isr: [1, 2] }));
  const recording = { ...fetch, handle: (req: RequestOf<typeof Apis.Fetch>, ctx: Parameters<typeof fetch.handle>[1]) => (fetches.push(summary(req)), fetch.handle(req, ctx)) };
  server = new SocketServer(new Dispatcher([...HANDLERS.filter((h) => h !== fetch), recording], leader.services), 1 << 20, leader.log, () => undefined);
  await server.start([PLAINTEXT]);
  const port = server.bound[0].boundPort;
  quotas = new ReplicationQuotas({ replicationQuotaWindowNum: 11, replicationQuotaWindowSizeSeconds: 1 }, 2, leader.metadata.topics, leader.clock);
  const settings = { brokerId: 2, brokerEpoch: () => 7n, maxWaitMs: 500, minBytes: 1, maxBytes: 1 << 20, partitionMaxBytes: 1 << 20, backoffMs: 1000, socketTimeoutMs: 30_000, quota: quotas.forFollower, connect: plaintextConnector };
  fetcher = new ReplicaFetcher(1, () => ({ host: '127.0.0.1', port }), settings, leader.clock, leader.log);
});

afterEach(async () => {
  // The leader's long polls wait on fake time: end them first.
  leader.fetchWaiters.close();
  await fetcher.stop();
  await server.shutdown();
  await leader.close();
  for (const l of followerLogs.splice(0)) l.close();
  removeDir(dir);
});

function follow(partition: number): PartitionLog {
  const log = PartitionLog.create({ logDir: path.join(dir, `t-${partition}`), topic: 't', partition, config: testConfig(), now: T0, topicId: topicIdOf('t') });
  followerLogs.push(log);
  fetcher.add({ topic: 't', topicId: topicIdOf('t'), partition, leaderEpoch: 0, log });
  return log;
}

const leaderLog = (partition: number) => leader.logs.get('t', partition)!;

test('the first fetch is full and opens a session; later ones name only the partitions that moved', async () => {
  appendToLog(leaderLog(0), batch(0, 2, T0));
  const f0 = follow(0);
  const f1 = follow(1);
  await settleUntil(() => f0.logEndOffset === 2 && fetches.length === 2, 'the follower to copy t-0 and fetch again');
  expect(fetches[0]).toBe('new/0 send=[t-0@0 t-1@0] forget=[]');
  // Only t-0's fetch offset moved.
  expect(fetches[1]).toBe('S/1 send=[t-0@2] forget=[]');
  const session = sessionIds[1];
  expect((leader.services.fetchSessions as FetchSessionCache).describe(session)).toEqual({ epoch: 2, partitions: 2, privileged: true });

  // The long poll answers with t-1 alone; the next fetch names t-1 alone.
  appendToLog(leaderLog(1), batch(0, 3, T0));
  await settleUntil(() => f1.logEndOffset === 3 && fetches.length === 3, 'the follower to copy t-1 and fetch again');
  expect(fetches[2]).toBe('S/2 send=[t-1@3] forget=[]');
  expect(sessionIds.slice(1)).toEqual([session, session]);
  expect(f0.highWatermark).toBe(2);

  // Nothing moves: the long poll ends at its deadline and the next fetch names nothing.
  leader.clock.advance(500);
  await settleUntil(() => fetches.length === 4, 'a fetch after the empty answer');
  expect(fetches[3]).toBe('S/3 send=[] forget=[]');
});

test('a partition no longer followed is forgotten', async () => {
  appendToLog(leaderLog(0), batch(0, 2, T0));
  follow(0);
  follow(1);
  await settleUntil(() => fetches.length === 2, 'the second fetch');
  fetcher.remove(partitionKey('t', 0));
  leader.clock.advance(500);
  await settleUntil(() => fetches.length === 3, 'a fetch after the removal');
  expect(fetches[2]).toBe('S/2 send=[] forget=[t-0]');
  expect((leader.services.fetchSessions as FetchSessionCache).describe(sessionIds[2])).toMatchObject({ partitions: 1 });
});

test('a session the leader no longer has makes the next fetch full, at once', async () => {
  appendToLog(leaderLog(0), batch(0, 2, T0));
  follow(0);
  await settleUntil(() => fetches.length === 2, 'the first incremental fetch');
  // The leader restarts its cache: the session is gone.
  leader.services.fetchSessions = new FetchSessionCache(1000, leader.clock);
  leader.clock.advance(500);
  await settleUntil(() => fetches.length === 4, 'the refused fetch and a full one');
  expect(fetches[2]).toBe('S/2 send=[] forget=[]');
  expect(fetches[3]).toBe('new/0 send=[t-0@2] forget=[]');
  expect(leader.log.lines.map((l) => l.message).join('\n')).toContain('FETCH_SESSION_ID_NOT_FOUND');
  leader.clock.advance(500);
  await settleUntil(() => fetches.length === 5, 'an incremental fetch in the new session');
  expect(fetches[4]).toBe('S/1 send=[] forget=[]');
});

test('a throttled partition not caught up stays out of the fetch while the follower quota is exceeded', async () => {
  leader.metadata.topics.set({ ...leader.metadata.topics.get('t')!, configs: { 'follower.replication.throttled.replicas': '1:2' } });
  quotas.updateRates({ dynamicBroker: { 'follower.replication.throttled.rate': '1000' }, dynamicDefault: {}, static: new Map() });
  quotas.follower.record(5000);
  appendToLog(leaderLog(0), batch(0, 2, T0));
  appendToLog(leaderLog(1), batch(0, 2, T0));
  const f0 = follow(0);
  const f1 = follow(1);
  await settleUntil(() => f0.logEndOffset === 2 && fetches.length === 2, 'the follower to copy t-0 and fetch again');
  expect(fetches).toEqual(['new/0 send=[t-0@0] forget=[]', 'S/1 send=[t-0@2] forget=[]']);
  expect(f1.logEndOffset).toBe(0);
  // 5000 bytes over 6 s are under 1000 B/s: t-1 joins, and what it brings is recorded.
  leader.clock.advance(6000);
  await settleUntil(() => f1.logEndOffset === 2, 'the follower to copy t-1');
  expect(fetches[2]).toBe('S/2 send=[t-1@0] forget=[]');
  expect(quotas.follower.rate()).toBeGreaterThan(5000 / 6);
  // Caught up with the leader's high watermark, t-1 is in sync: never throttled, even over the quota.
  quotas.follower.record(1e6);
  appendToLog(leaderLog(1), batch(2, 2, T0));
  await settleUntil(() => f1.logEndOffset === 4, 'the in-sync follower to copy the new records of t-1');
});
