// The error path over a real socket: an in-process SocketServer whose services throw for a few
// APIs answers each with the API's error response, and the same connection keeps being served.
// Listeners with a security protocol the broker does not serve refuse to start.

import { ApiSpec, Apis, ErrorCode, KafkaError, Message, MessageInput } from '../../protocol';
import { Listener } from '../../src/config';
import { HANDLERS } from '../../src/handlers';
import { Dispatcher } from '../../src/server/dispatcher';
import { SocketServer } from '../../src/server/socket-server';
import { TestBroker, testBroker } from '../handlers/fake-context';
import { brokenTopics, throwingService } from '../handlers/group-fakes';
import type { KafkaConnection } from '../../src/client/kafka-connection';
import { connectClient } from '../helpers/test-client';

const PLAINTEXT: Listener = { name: 'PLAINTEXT', host: '127.0.0.1', port: 0, securityProtocol: 'PLAINTEXT' };

let b: TestBroker;
let server: SocketServer;
let client: KafkaConnection;
beforeEach(async () => {
  b = await testBroker();
  b.services.metadata = brokenTopics(b.metadata, new Error('topic index corrupt'));
  b.services.topicAdmin = throwingService(new Error('zk session lost'));
  b.services.groups = throwingService(new KafkaError(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, 'loading'));
  b.services.partitions = throwingService(new Error('log dir gone'));
  server = new SocketServer(new Dispatcher(HANDLERS, b.services), 1 << 20, b.log, () => undefined);
  await server.start([PLAINTEXT]);
  client = await connectClient(server.bound[0].boundPort);
});
afterEach(async () => {
  client.close();
  await server.shutdown();
  await b.close();
});

/** Sends the request, then checks that the same connection still answers ApiVersions. */
async function requestThenApiVersions<S extends ApiSpec>(spec: S, version: number, body: MessageInput<S['request']>): Promise<Message<S['response']>> {
  const res = await client.request(spec, version, body);
  const versions = await client.request(Apis.ApiVersions, 3, { clientSoftwareName: 'raw-test', clientSoftwareVersion: '1' });
  expect(versions.errorCode).toBe(ErrorCode.NONE);
  expect(versions.apiKeys.length).toBeGreaterThan(10);
  return res;
}

test('each failing request gets its API\'s error response on one connection, which stays open', async () => {
  const metadata = await requestThenApiVersions(Apis.Metadata, 9, { topics: [{ name: 't' }] });
  expect(metadata.topics.map((t) => [t.name, t.errorCode])).toEqual([['t', ErrorCode.UNKNOWN_SERVER_ERROR]]);

  const created = await requestThenApiVersions(Apis.CreateTopics, 7, { topics: [{ name: 'n', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }] });
  expect(created.topics.map((t) => [t.name, t.errorCode])).toEqual([['n', ErrorCode.UNKNOWN_SERVER_ERROR]]);

  const joined = await requestThenApiVersions(Apis.JoinGroup, 9, { groupId: 'g', sessionTimeoutMs: 10_000, memberId: '', protocolType: 'consumer', protocols: [] });
  expect(joined.errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);

  const offsets = await requestThenApiVersions(Apis.ListOffsets, 1, { replicaId: -1, topics: [{ name: 't', partitions: [{ partitionIndex: 2, timestamp: -1n }] }] });
  expect(offsets.topics[0].partitions.map((p) => [p.partitionIndex, p.errorCode])).toEqual([[2, ErrorCode.UNKNOWN_SERVER_ERROR]]);

  const logged = b.log.lines.filter((l) => l.level !== 'INFO').map((l) => l.message.split(' (')[0]);
  expect(logged).toEqual([
    'Unexpected error handling Metadata v9 request',
    'Unexpected error handling CreateTopics v7 request',
    'Failed JoinGroup v9 request',
    'Unexpected error handling ListOffsets v1 request',
  ]);
});

describe('listeners the broker cannot serve', () => {
  test('an SSL listener without a keystore refuses to start, binding nothing', async () => {
    const refused = new SocketServer(new Dispatcher(HANDLERS, b.services), 1 << 20, b.log, () => undefined);
    await expect(refused.start([PLAINTEXT, { name: 'SECURE', host: '127.0.0.1', port: 0, securityProtocol: 'SSL' }])).rejects.toThrow(/^Listener SECURE: no keystore/);
    expect(refused.bound).toEqual([]);
  });
});
