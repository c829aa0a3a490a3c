// The generic error response: for each API and version, the error goes on every topic, partition,
// group and resource the request named, their keys are mirrored, and the result encodes at that
// version. Requests are taken as a client would send them (a codec round trip fills defaults).

import { Apis, ApiSpec, ErrorCode, MessageInput, Reader, Writer, codecFor, errorResponse } from '../../protocol';

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';
const TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';
const CODE = ErrorCode.NOT_CONTROLLER;
/** Fields naming what an entry is about, in schema order, for the paths below. */
const KEYS = new Set(['name', 'topic', 'topicName', 'topicId', 'partitionIndex', 'partition', 'index', 'partitionId', 'groupId', 'key', 'resourceType', 'resourceName']);

type Response = Record<string, unknown>;

/** The error response to `body` as sent at `version`; it must encode at that version. */
function failed<S extends ApiSpec>(spec: S, version: number, body: MessageInput<S['request']>, message: string | null = 'it broke'): Response {
  const codec = codecFor(spec, version);
  const w = new Writer(256);
  codec.request.encode(w, body);
  const request = codec.request.decode(new Reader(Buffer.concat(w.finish())));
  const response = errorResponse(spec, version, request, CODE, message);
  const out = new Writer(256);
  codec.response.encode(out, response);
  codec.response.decode(new Reader(Buffer.concat(out.finish())));
  return response;
}

/** Every place holding an error code, as the path of keys leading to it ("" for the top level), with its code. */
function errorSites(value: unknown, path: string[] = []): [string, number][] {
  if (Array.isArray(value)) return value.flatMap((v) => errorSites(v, path));
  if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return [];
  const entry = value as Response;
  const here = [...path, ...Object.entries(entry).filter(([k, v]) => KEYS.has(k) && v !== ZERO_UUID).map(([, v]) => String(v))];
  const own: [string, number][] = 'errorCode' in entry ? [[here.join('/'), entry.errorCode as number]] : [];
  return [...own, ...Object.values(entry).flatMap((v) => errorSites(v, here))];
}

function expectSites(response: Response, paths: string[]): void {
  expect(errorSites(response)).toEqual(paths.map((p) => [p, CODE]));
}

describe('topics and partitions', () => {
  test.each([3, 9])('Produce v%i', (v) => {
    const res = failed(Apis.Produce, v, {
      acks: -1,
      timeoutMs: 1000,
      topicData: [
        { name: 't', partitionData: [{ index: 0, records: null }, { index: 2, records: null }] },
        { name: 'u', partitionData: [{ index: 1, records: null }] },
      ],
    });
    expectSites(res, ['t/0', 't/2', 'u/1']);
  });

  test.each([4, 12])('Fetch v%i: each partition, and the top level from v7', (v) => {
    const partitions = (...ps: number[]) => ps.map((partition) => ({ partition, fetchOffset: 10n, partitionMaxBytes: 1 << 20, currentLeaderEpoch: 3 }));
    const res = failed(Apis.Fetch, v, {
      maxWaitMs: 500,
      minBytes: 1,
      sessionId: 0,
      topics: [
        { topic: 't', partitions: partitions(0, 1) },
        { topic: 'u', partitions: partitions(3) },
      ],
      forgottenTopicsData: [{ topic: 'gone', partitions: [7] }],
    });
    expectSites(res, [...(v >= 7 ? [''] : []), 't/0', 't/1', 'u/3']);
  });

  test('Fetch v13 names topics by id', () => {
    const res = failed(Apis.Fetch, 13, { maxWaitMs: 500, minBytes: 1, topics: [{ topicId: TOPIC_ID, partitions: [{ partition: 4, fetchOffset: 0n, partitionMaxBytes: 1000 }] }] });
    expectSites(res, ['', `${TOPIC_ID}/4`]);
  });

  test.each([1, 7])('ListOffsets v%i: no timestamp or offset is echoed back', (v) => {
    const res = failed(Apis.ListOffsets, v, { replicaId: -1, topics: [{ name: 't', partitions: [{ partitionIndex: 0, timestamp: -2n }, { partitionIndex: 5, timestamp: 1234n }] }] });
    expectSites(res, ['t/0', 't/5']);
    const ps = (res.topics as { partitions: Response[] }[])[0].partitions;
    expect(ps.map((p) => [p.timestamp, p.offset])).toEqual([
      [undefined, undefined],
      [undefined, undefined],
    ]);
  });

  test.each([1, 12])('Metadata v%i: each topic, without partitions or brokers', (v) => {
    const res = failed(Apis.Metadata, v, { topics: [{ name: 't' }, { name: 'u' }] });
    expectSites(res, ['t', 'u']);
    expect(res.brokers).toEqual([]);
    expect((res.topics as Response[]).map((t) => t.partitions)).toEqual([[], []]);
  });

  test('Metadata for all topics (null) names none', () => {
    expectSites(failed(Apis.Metadata, 12, { topics: null }), []);
  });

  test.each([4, 7])('CreateTopics v%i: each topic with the message; partitions and replication are not echoed', (v) => {
    const res = failed(Apis.CreateTopics, v, {
      topics: [
        { name: 't', numPartitions: 3, replicationFactor: 2, assignments: [], configs: [{ name: 'cleanup.policy', value: 'compact' }] },
        { name: 'u', numPartitions: -1, replicationFactor: -1, assignments: [], configs: [] },
      ],
    });
    expectSites(res, ['t', 'u']);
    const topics = res.topics as Response[];
    expect(topics.map((t) => [t.errorMessage, t.numPartitions])).toEqual([
      ['it broke', undefined],
      ['it broke', undefined],
    ]);
  });

  test('DeleteTopics v1 names topics by bare name, v6 by name and id', () => {
    expectSites(failed(Apis.DeleteTopics, 1, { topicNames: ['t', 'u'], timeoutMs: 1000 }), ['t', 'u']);
    expectSites(failed(Apis.DeleteTopics, 6, { topics: [{ name: 't' }, { name: null, topicId: TOPIC_ID }], timeoutMs: 1000 }), ['t', TOPIC_ID]);
  });

  test('ElectLeaders v1: each partition by its bare index, and the top level', () => {
    const res = failed(Apis.ElectLeaders, 1, { electionType: 0, topicPartitions: [{ topic: 't', partitions: [0, 2] }] });
    expectSites(res, ['', 't/0', 't/2']);
  });

  test('LeaderAndIsr v1 (flat partition states) and v5 (by topic id)', () => {
    const state = (partitionIndex: number) => ({ partitionIndex, controllerEpoch: 1, leader: 1, leaderEpoch: 2, isr: [1], partitionEpoch: 0, replicas: [1] });
    const v1 = failed(Apis.LeaderAndIsr, 1, {
      controllerId: 0,
      controllerEpoch: 1,
      ungroupedPartitionStates: [{ topicName: 't', ...state(0) }, { topicName: 'u', ...state(1) }],
      liveLeaders: [{ brokerId: 1, hostName: 'h', port: 9092 }],
    });
    expectSites(v1, ['', 't/0', 'u/1']);
    const v5 = failed(Apis.LeaderAndIsr, 5, {
      controllerId: 0,
      controllerEpoch: 1,
      type: 0,
      topicStates: [{ topicName: 't', topicId: TOPIC_ID, partitionStates: [state(0), state(3)] }],
      liveLeaders: [{ brokerId: 1, hostName: 'h', port: 9092 }],
    });
    expectSites(v5, ['', `${TOPIC_ID}/0`, `${TOPIC_ID}/3`]);
  });

  test.each([2, 4])('OffsetForLeaderEpoch v%i: no epoch is echoed back', (v) => {
    const res = failed(Apis.OffsetForLeaderEpoch, v, { topics: [{ topic: 't', partitions: [{ partition: 1, leaderEpoch: 9, currentLeaderEpoch: 9 }] }] });
    expectSites(res, ['t/1']);
    expect((res.topics as { partitions: Response[] }[])[0].partitions[0].leaderEpoch).toBeUndefined();
  });
});

describe('groups', () => {
  test.each([2, 8])('OffsetCommit v%i', (v) => {
    const res = failed(Apis.OffsetCommit, v, {
      groupId: 'g',
      memberId: 'm',
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 5n, committedMetadata: null }, { partitionIndex: 1, committedOffset: 6n, committedMetadata: '' }] }],
    });
    expectSites(res, ['t/0', 't/1']);
  });

  test('OffsetFetch v1 (partitions by bare index), v3 (and the top level), v8 (per group)', () => {
    expectSites(failed(Apis.OffsetFetch, 1, { groupId: 'g', topics: [{ name: 't', partitionIndexes: [0, 1] }] }), ['t/0', 't/1']);
    expectSites(failed(Apis.OffsetFetch, 3, { groupId: 'g', topics: [{ name: 't', partitionIndexes: [2] }] }), ['', 't/2']);
    const v8 = failed(Apis.OffsetFetch, 8, {
      groups: [
        { groupId: 'a', topics: [{ name: 't', partitionIndexes: [0] }] },
        { groupId: 'b', topics: null },
      ],
    });
    expectSites(v8, ['a', 'a/t/0', 'b']);
  });

  test('FindCoordinator v3 answers at the top, v4 for each key', () => {
    const v3 = failed(Apis.FindCoordinator, 3, { key: 'g', keyType: 0 });
    expectSites(v3, ['']);
    expect([v3.errorMessage, v3.nodeId]).toEqual(['it broke', undefined]);
    expectSites(failed(Apis.FindCoordinator, 4, { keyType: 0, coordinatorKeys: ['a', 'b'] }), ['a', 'b']);
  });

  test.each([5, 7])('JoinGroup v%i: the top level only; no member id or members echoed', (v) => {
    const res = failed(Apis.JoinGroup, v, {
      groupId: 'g',
      sessionTimeoutMs: 10_000,
      memberId: 'm-1',
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: Buffer.from('x') }],
    });
    expectSites(res, ['']);
    expect([res.memberId, res.members]).toEqual([undefined, []]);
  });

  test('SyncGroup v5: the top level only, no assignment', () => {
    const res = failed(Apis.SyncGroup, 5, {
      groupId: 'g',
      generationId: 1,
      memberId: 'm',
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [{ memberId: 'm', assignment: Buffer.from('a') }],
    });
    expectSites(res, ['']);
    expect(res.assignment).toBeUndefined();
  });

  test('LeaveGroup v4: members are not groups, topics or resources: the top level only', () => {
    expectSites(failed(Apis.LeaveGroup, 4, { groupId: 'g', members: [{ memberId: 'm' }] }), ['']);
  });

  test.each([0, 5])('DescribeGroups v%i: each group by bare id', (v) => {
    expectSites(failed(Apis.DescribeGroups, v, { groups: ['a', 'b'] }), ['a', 'b']);
  });

  test('DeleteGroups v2: each group', () => {
    expectSites(failed(Apis.DeleteGroups, 2, { groupsNames: ['a', 'b', ''] }), ['a', 'b', '']);
  });
});

describe('resources', () => {
  test.each([0, 4])('DescribeConfigs v%i: each resource by type and name, with the message', (v) => {
    const res = failed(Apis.DescribeConfigs, v, {
      resources: [
        { resourceType: 2, resourceName: 't', configurationKeys: null },
        { resourceType: 4, resourceName: '1', configurationKeys: ['log.retention.ms'] },
      ],
    });
    expectSites(res, ['2/t', '4/1']);
    expect((res.results as Response[]).map((r) => [r.errorMessage, r.configs])).toEqual([
      ['it broke', []],
      ['it broke', []],
    ]);
  });

  test('a null message stays null where the schema allows it, and is empty where it does not', () => {
    const res = failed(Apis.CreateTopics, 0, { topics: [{ name: 't', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }] }, null);
    expect((res.topics as Response[])[0].errorMessage).toBeUndefined();
    const v1 = failed(Apis.CreateTopics, 1, { topics: [{ name: 't', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }] }, null);
    expect((v1.topics as Response[])[0].errorMessage).toBeNull();
  });
});
