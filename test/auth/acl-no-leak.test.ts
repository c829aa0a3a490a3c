// A principal refused on topics learns nothing of whether they exist: through the real handlers and
// the real AclAuthorizer, every topic API answers a refused request about an existing topic exactly
// as about a missing one (the name aside), both for a principal no ACL names and for one denied.

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation as Op, ResourceType as Type } from '../../src/auth/authorizer';
import type { Handler, RequestContext } from '../../src/handlers/handler';
import produce from '../../src/handlers/00-produce';
import fetch from '../../src/handlers/01-fetch';
import listOffsets from '../../src/handlers/02-list-offsets';
import metadata from '../../src/handlers/03-metadata';
import offsetCommit from '../../src/handlers/08-offset-commit';
import offsetFetch from '../../src/handlers/09-offset-fetch';
import deleteTopics from '../../src/handlers/20-delete-topics';
import deleteRecords from '../../src/handlers/21-delete-records';
import describeConfigs from '../../src/handlers/32-describe-configs';
import alterConfigs from '../../src/handlers/33-alter-configs';
import createPartitions from '../../src/handlers/37-create-partitions';
import offsetDelete from '../../src/handlers/47-offset-delete';
import { call } from '../handlers/fake-context';
import { MatrixBroker, allow, deny, matrixBroker } from './acl-matrix-harness';
import { records, seedTopic } from './acl-matrix-cells';

const EXISTING = 'kept';
const MISSING = 'gone';

const requests: { api: string; handler: Handler; version: number; body: (topic: string) => Record<string, unknown> }[] = [
  { api: 'Produce', handler: produce, version: 9, body: (name) => ({ acks: 1, timeoutMs: 1000, topicData: [{ name, partitionData: [{ index: 0, records: Buffer.from(records(1)) }] }] }) },
  {
    api: 'Fetch',
    handler: fetch,
    version: 12,
    body: (topic) => ({ replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, topics: [{ topic, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] }] }),
  },
  { api: 'ListOffsets', handler: listOffsets, version: 9, body: (name) => ({ replicaId: -1, topics: [{ name, partitions: [{ partitionIndex: 0, timestamp: -1n }] }] }) },
  { api: 'Metadata', handler: metadata, version: 12, body: (name) => ({ topics: [{ name }], allowAutoTopicCreation: true }) },
  { api: 'Metadata v4', handler: metadata, version: 4, body: (name) => ({ topics: [{ name }], allowAutoTopicCreation: false }) },
  { api: 'OffsetCommit', handler: offsetCommit, version: 9, body: (name) => ({ groupId: 'g', generationIdOrMemberEpoch: -1, memberId: '', topics: [{ name, partitions: [{ partitionIndex: 0, committedOffset: 1n }] }] }) },
  { api: 'OffsetFetch', handler: offsetFetch, version: 7, body: (name) => ({ groupId: 'g', topics: [{ name, partitionIndexes: [0] }], requireStable: false }) },
  { api: 'OffsetDelete', handler: offsetDelete, version: 0, body: (name) => ({ groupId: 'g', topics: [{ name, partitions: [{ partitionIndex: 0 }] }] }) },
  { api: 'DeleteTopics', handler: deleteTopics, version: 6, body: (name) => ({ timeoutMs: 1000, topics: [{ name }] }) },
  { api: 'DeleteRecords', handler: deleteRecords, version: 2, body: (name) => ({ timeoutMs: 1000, topics: [{ name, partitions: [{ partitionIndex: 0, offset: 1n }] }] }) },
  { api: 'CreatePartitions', handler: createPartitions, version: 3, body: (name) => ({ timeoutMs: 1000, validateOnly: false, topics: [{ name, count: 2, assignments: null }] }) },
  { api: 'DescribeConfigs', handler: describeConfigs, version: 4, body: (resourceName) => ({ resources: [{ resourceType: 2, resourceName, configurationKeys: null }] }) },
  { api: 'AlterConfigs', handler: alterConfigs, version: 2, body: (resourceName) => ({ resources: [{ resourceType: 2, resourceName, configs: [{ name: 'retention.ms', value: '1000' }] }] }) },
];

/** The principals refused on every topic: one no ACL names, one denied where everyone is allowed. */
const principals = [
  { who: 'User:nobody', acls: [allow('User:other', Op.ALL, Type.TOPIC, '*')] },
  { who: 'User:denied', acls: [allow('User:*', Op.ALL, Type.TOPIC, '*'), deny('User:denied', Op.ALL, Type.TOPIC, '*')] },
];

describe('a refused topic request does not tell an existing topic from a missing one', () => {
  let m: MatrixBroker;
  afterEach(() => m.close());

  const rows = requests.flatMap((r) => principals.map((p) => ({ ...r, ...p })));
  test.each(rows)('$api as $who', async ({ handler, version, body, who, acls }) => {
    m = await matrixBroker(false);
    seedTopic(m, EXISTING);
    // The group-level permissions the offset APIs need first, so the topic's are what is asked.
    m.install([...acls, allow('User:*', Op.ALL, Type.GROUP, 'g')]);
    const ctx: RequestContext = m.as(who, version);
    const existing = await call<typeof Apis.Produce>(handler, ctx, body(EXISTING) as never);
    const missing = await call<typeof Apis.Produce>(handler, ctx, body(MISSING) as never);
    const text = (response: unknown) => JSON.stringify(response, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
    expect(text(existing).split(EXISTING).join('<topic>')).toBe(text(missing).split(MISSING).join('<topic>'));
    expect(text(existing)).toMatch(new RegExp(`[eE]rrorCode":${ErrorCode.TOPIC_AUTHORIZATION_FAILED}[,}]`));
    expect(m.b.metadata.topics.get(EXISTING)!.partitions).toHaveLength(1);
    expect(m.b.metadata.topics.get(MISSING)).toBeUndefined();
    expect(m.b.logs.get(EXISTING, 0)!.logEndOffset).toBe(2);
  });
});
