// The one error path, in-process: a Dispatcher over fake services that throw, fed real request
// frames. A handler's exception becomes that API's own error response (the KafkaError's code, or
// UNKNOWN_SERVER_ERROR) on everything the request named, logged once; acks=0 produce gets nothing.

import { ApiSpec, Apis, ErrorCode, KafkaError, Message, MessageInput, Reader, Writer, codecFor, readResponseHeader, responseHeaderVersion, writeRequestHeader } from '../../protocol';
import { HANDLERS } from '../../src/handlers';
import { handler } from '../../src/handlers/handler';
import { Dispatcher } from '../../src/server/dispatcher';
import { newSession } from '../../src/server/session';
import { TestBroker, testBroker } from '../handlers/fake-context';
import { brokenTopics, throwingService } from '../handlers/group-fakes';

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
});
afterEach(() => b.close());

/** A request frame (without its size prefix) as a client sends it. */
function frame<S extends ApiSpec>(spec: S, version: number, body: MessageInput<S['request']>, correlationId: number): Buffer {
  const w = new Writer(256);
  writeRequestHeader(w, { apiKey: spec.apiKey, apiVersion: version, correlationId, clientId: 'dispatch-test' });
  codecFor(spec, version).request.encode(w, body);
  return w.toBuffer();
}

async function dispatch<S extends ApiSpec>(spec: S, version: number, body: MessageInput<S['request']>, correlationId = 41, handlers = HANDLERS) {
  const dispatcher = new Dispatcher(handlers, b.services);
  const chunks = await dispatcher.dispatch(frame(spec, version, body, correlationId), newSession('PLAINTEXT', 'PLAINTEXT', '127.0.0.1', 50000));
  if (chunks === null) return null;
  const bytes = Buffer.concat(chunks);
  expect(bytes.readInt32BE(0)).toBe(bytes.length - 4);
  return decodeResponseFrame(spec, version, bytes.subarray(4));
}

function decodeResponseFrame<S extends ApiSpec>(spec: S, version: number, frame: Buffer): Message<S['response']> & { correlationId: number } {
  const r = new Reader(frame);
  const correlationId = readResponseHeader(r, responseHeaderVersion(spec.apiKey, version));
  return { ...codecFor(spec, version).response.decode(r), correlationId };
}

const logLines = () => b.log.lines.filter((l) => l.level !== 'INFO');

test('an unexpected error is UNKNOWN_SERVER_ERROR on every topic, logged once with API, version, correlation id and client', async () => {
  const cause = new Error('topic index corrupt');
  b.services.metadata = brokenTopics(b.metadata, cause);
  const res = await dispatch(Apis.Metadata, 12, { topics: [{ name: 't' }, { name: 'u' }] }, 41);
  expect(res!.correlationId).toBe(41);
  expect(res!.topics.map((t) => [t.name, t.errorCode, t.partitions])).toEqual([
    ['t', ErrorCode.UNKNOWN_SERVER_ERROR, []],
    ['u', ErrorCode.UNKNOWN_SERVER_ERROR, []],
  ]);
  expect(logLines()).toEqual([
    { level: 'ERROR', message: 'Unexpected error handling Metadata v12 request (correlation id 41, client id dispatch-test, from 127.0.0.1:50000 on PLAINTEXT)', cause },
  ]);
});

test('a KafkaError\'s code is the answer, its message logged as a warning', async () => {
  b.services.groups = throwingService(new KafkaError(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'The coordinator is shutting down.'));
  const res = await dispatch(Apis.JoinGroup, 5, { groupId: 'g', sessionTimeoutMs: 10_000, memberId: '', protocolType: 'consumer', protocols: [] }, 7);
  expect(res).toMatchObject({ correlationId: 7, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, generationId: -1, members: [] });
  expect(logLines()).toEqual([
    {
      level: 'WARN',
      message: `Failed JoinGroup v5 request (correlation id 7, client id dispatch-test, from 127.0.0.1:50000 on PLAINTEXT) with error ${ErrorCode.COORDINATOR_NOT_AVAILABLE}: The coordinator is shutting down.`,
    },
  ]);
});

test('CreateTopics: every topic gets the error; an unexpected error\'s message stays in the log', async () => {
  b.services.topicAdmin = throwingService(new Error('zk session lost'));
  const res = await dispatch(Apis.CreateTopics, 5, { topics: [{ name: 'a', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }, { name: 'b', numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] }] });
  expect(res!.topics.map((t) => [t.name, t.errorCode, t.errorMessage, t.numPartitions])).toEqual([
    ['a', ErrorCode.UNKNOWN_SERVER_ERROR, null, -1],
    ['b', ErrorCode.UNKNOWN_SERVER_ERROR, null, -1],
  ]);
  expect(logLines()).toHaveLength(1);
  expect((logLines()[0].cause as Error).message).toBe('zk session lost');
});

test('ListOffsets: every partition of every topic gets the error, keys mirrored', async () => {
  b.services.partitions = throwingService(new Error('log dir gone'));
  const res = await dispatch(Apis.ListOffsets, 7, { replicaId: -1, topics: [{ name: 't', partitions: [{ partitionIndex: 0, timestamp: -1n }, { partitionIndex: 3, timestamp: -2n }] }] });
  expect(res!.topics).toEqual([
    {
      name: 't',
      partitions: [0, 3].map((partitionIndex) => ({ partitionIndex, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, oldStyleOffsets: [], timestamp: -1n, offset: -1n, leaderEpoch: -1 })),
    },
  ]);
});

describe('Produce, whose failure is the handler\'s own', () => {
  const failingProduce = handler(Apis.Produce, 0, 11, () => {
    throw new Error('append path broken');
  });
  const handlers = [...HANDLERS.filter((h) => h.spec !== Apis.Produce), failingProduce];
  const body = (acks: number) => ({ acks, timeoutMs: 1000, topicData: [{ name: 't', partitionData: [{ index: 1, records: null }] }] });

  test('acks=0 gets no response, and the failure is still logged once', async () => {
    expect(await dispatch(Apis.Produce, 9, body(0), 5, handlers)).toBeNull();
    expect(logLines().map((l) => l.message)).toEqual(['Unexpected error handling Produce v9 request (correlation id 5, client id dispatch-test, from 127.0.0.1:50000 on PLAINTEXT)']);
  });

  test('acks=1 gets the error on each partition', async () => {
    const res = await dispatch(Apis.Produce, 9, body(1), 6, handlers);
    expect(res!.responses).toEqual([{ name: 't', partitionResponses: [expect.objectContaining({ index: 1, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: null })] }]);
  });
});

test('a request over its request_percentage quota is answered with throttle_time_ms and throttles the session', async () => {
  await b.services.quotas.alter([{ entityType: 'user', entityName: 'ANONYMOUS' }], [{ key: 'request_percentage', value: 0.1 }], false);
  const busy = handler(Apis.ListGroups, 0, 4, () => {
    // 20 ms of this thread's time: 2% of a second, twenty times the quota.
    const until = performance.now() + 20;
    while (performance.now() < until);
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups: [] };
  });
  const session = newSession('PLAINTEXT', 'PLAINTEXT', '127.0.0.1', 50000);
  const chunks = await new Dispatcher([busy], b.services).dispatch(frame(Apis.ListGroups, 4, { statesFilter: [], typesFilter: [] }, 9), session);
  const res = decodeResponseFrame(Apis.ListGroups, 4, Buffer.concat(chunks!).subarray(4));
  expect(res.throttleTimeMs).toBeGreaterThan(0);
  expect(session.throttleMs).toBe(res.throttleTimeMs);
});
