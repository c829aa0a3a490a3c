// DescribeUserScramCredentials and AlterUserScramCredentials in-process: ZooKeeper-mode Kafka's
// checks, errors and messages, what is stored (the user entity's config in Kafka's string form,
// other keys of the entity kept), authorization on the cluster, SaslHandshake and SaslAuthenticate
// outside a SASL exchange.

import { Apis, ErrorCode } from '../../protocol';
import { ALLOW_ALL, AclOperation, Authorizing, ResourceType } from '../../src/auth/authorizer';
import { ScramCredentialStore } from '../../src/auth/sasl/scram-credential-store';
import { credentialFromSaltedPassword, parseCredential, saltedPassword } from '../../src/auth/scram-credential';
import saslHandshake from '../../src/handlers/17-sasl-handshake';
import saslAuthenticate from '../../src/handlers/36-sasl-authenticate';
import describeCredentials from '../../src/handlers/50-describe-user-scram-credentials';
import alterCredentials from '../../src/handlers/51-alter-user-scram-credentials';
import { TestBroker, call, testBroker } from './fake-context';

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
});
afterEach(() => b.close());

const SALT = Buffer.from('0123456789abcdef');
const upsert = (name: string, mechanism = 1, iterations = 4096, password = 'pw') => ({
  name,
  mechanism,
  iterations,
  salt: SALT,
  saltedPassword: saltedPassword(mechanism === 2 ? 'SCRAM-SHA-512' : 'SCRAM-SHA-256', password, SALT, Math.max(1, Math.min(iterations, 16384))),
});

const alter = async (upsertions: ReturnType<typeof upsert>[], deletions: { name: string; mechanism: number }[] = [], ctx = b.ctx(0)) =>
  (await call<typeof Apis.AlterUserScramCredentials>(alterCredentials, ctx, { upsertions, deletions }))!.results;

const describe_ = async (users: string[] | null, ctx = b.ctx(0)) =>
  (await call<typeof Apis.DescribeUserScramCredentials>(describeCredentials, ctx, { users: users && users.map((name) => ({ name })) }))!;

test('upserted credentials are stored as the user entity config, derived from the salted password', async () => {
  b.entities.set('users/al%40ice', { producer_byte_rate: '1000' });
  expect(await alter([upsert('al@ice', 1), upsert('al@ice', 2, 8192)])).toEqual([{ user: 'al@ice', errorCode: ErrorCode.NONE, errorMessage: null }]);
  const stored = b.entities.get('users/al%40ice');
  expect(stored.producer_byte_rate).toBe('1000');
  expect(parseCredential(stored['SCRAM-SHA-256'])).toEqual(credentialFromSaltedPassword('SCRAM-SHA-256', upsert('al@ice').saltedPassword, SALT, 4096));
  expect(stored['SCRAM-SHA-512']).toMatch(/^salt=MDEyMzQ1Njc4OWFiY2RlZg==,stored_key=[^,]+,server_key=[^,]+,iterations=8192$/);
  const store = b.services.scramCredentials as ScramCredentialStore;
  expect(store.credential('al@ice', 'SCRAM-SHA-512')?.iterations).toBe(8192);
});

test('describe: all users with credentials, sorted, or the named ones with their errors', async () => {
  await alter([upsert('bob', 2), upsert('alice', 1), upsert('alice', 2, 10000)]);
  b.entities.set('users/quota-only', { producer_byte_rate: '1' });
  const all = await describe_(null);
  expect(all).toMatchObject({ errorCode: ErrorCode.NONE, errorMessage: null });
  expect(all.results).toEqual([
    { user: 'alice', errorCode: 0, errorMessage: null, credentialInfos: [{ mechanism: 1, iterations: 4096 }, { mechanism: 2, iterations: 10000 }] },
    { user: 'bob', errorCode: 0, errorMessage: null, credentialInfos: [{ mechanism: 2, iterations: 4096 }] },
  ]);
  expect((await describe_([])).results.map((r) => r.user)).toEqual(['alice', 'bob']);
  const named = await describe_(['bob', 'quota-only', 'nobody', '', 'alice', 'alice']);
  expect(named.results.map((r) => [r.user, r.errorCode, r.errorMessage])).toEqual([
    ['bob', ErrorCode.NONE, null],
    ['quota-only', ErrorCode.RESOURCE_NOT_FOUND, 'Attempt to describe a user credential that does not exist: quota-only'],
    ['nobody', ErrorCode.RESOURCE_NOT_FOUND, 'Attempt to describe a user credential that does not exist: nobody'],
    ['', ErrorCode.RESOURCE_NOT_FOUND, 'Username must not be empty'],
    ['alice', ErrorCode.DUPLICATE_RESOURCE, 'Cannot describe SCRAM credentials for the same user twice in a single request: alice'],
  ]);
});

test("alter: Kafka's refusals, each user once", async () => {
  await alter([upsert('existing', 1)]);
  const results = await alter(
    [upsert('', 1), upsert('few', 1, 4095), upsert('many', 2, 16385), upsert('mech', 3), upsert('twice', 1), upsert('twice', 1), upsert('ok', 2)],
    [{ name: 'gone', mechanism: 1 }, { name: 'existing', mechanism: 2 }, { name: 'badmech', mechanism: 0 }],
  );
  const byUser = Object.fromEntries(results.map((r) => [r.user, [r.errorCode, r.errorMessage]]));
  expect(byUser).toEqual({
    '': [ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Username must not be empty'],
    few: [ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Too few iterations'],
    many: [ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Too many iterations'],
    mech: [ErrorCode.UNSUPPORTED_SASL_MECHANISM, 'Unknown SCRAM mechanism'],
    badmech: [ErrorCode.UNSUPPORTED_SASL_MECHANISM, 'Unknown SCRAM mechanism'],
    twice: [ErrorCode.DUPLICATE_RESOURCE, 'A user credential cannot be altered twice in the same request'],
    gone: [ErrorCode.RESOURCE_NOT_FOUND, 'Attempt to delete a user credential that does not exist'],
    existing: [ErrorCode.RESOURCE_NOT_FOUND, 'Attempt to delete a user credential that does not exist'],
    ok: [ErrorCode.NONE, null],
  });
  expect(results).toHaveLength(9);
  expect(b.entities.list('users/')).toEqual(['users/existing', 'users/ok']);
});

test('deleting the last credential removes the entity; deleting and upserting another mechanism at once works', async () => {
  await alter([upsert('carol', 1)]);
  expect(await alter([upsert('carol', 2)], [{ name: 'carol', mechanism: 1 }])).toEqual([{ user: 'carol', errorCode: 0, errorMessage: null }]);
  expect(Object.keys(b.entities.get('users/carol'))).toEqual(['SCRAM-SHA-512']);
  await alter([], [{ name: 'carol', mechanism: 2 }]);
  expect(b.entities.list('users/')).toEqual([]);
});

describe('authorization', () => {
  const denying = (operation: number): Authorizing => ({ ...ALLOW_ALL, enabled: true, authorize: (_who, op, type) => !(op === operation && type === ResourceType.CLUSTER) });

  test('describe needs DESCRIBE on the cluster', async () => {
    const ctx = { ...b.ctx(0), authorizer: denying(AclOperation.DESCRIBE) };
    expect(await describe_(null, ctx)).toEqual({ throttleTimeMs: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: 'Cluster authorization failed.', results: [] });
  });

  test('alter needs ALTER on the cluster: every user named gets the error, nothing is stored', async () => {
    const ctx = { ...b.ctx(0), authorizer: denying(AclOperation.ALTER) };
    const results = await alter([upsert('a'), upsert('b', 2)], [{ name: 'a', mechanism: 2 }], ctx);
    expect(results).toEqual([
      { user: 'a', errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: 'Cluster authorization failed.' },
      { user: 'b', errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: 'Cluster authorization failed.' },
    ]);
    expect(b.entities.list('users/')).toEqual([]);
  });

  test('alter on a broker that is not the controller: NOT_CONTROLLER', async () => {
    b.metadata.controller = 2;
    expect((await alter([upsert('a')]))[0].errorCode).toBe(ErrorCode.NOT_CONTROLLER);
  });
});

test('SaslHandshake and SaslAuthenticate outside a SASL exchange: ILLEGAL_SASL_STATE', async () => {
  expect(await call<typeof Apis.SaslHandshake>(saslHandshake, b.ctx(1), { mechanism: 'PLAIN' })).toEqual({ errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: [] });
  expect(await call<typeof Apis.SaslAuthenticate>(saslAuthenticate, b.ctx(2), { authBytes: Buffer.from('x') })).toMatchObject({
    errorCode: ErrorCode.ILLEGAL_SASL_STATE,
    errorMessage: 'SaslAuthenticate request received after successful authentication',
  });
});
