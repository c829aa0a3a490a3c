// DescribeClientQuotas and AlterClientQuotas in-process: every check ZooKeeper-mode Kafka makes,
// with its error and message, what is stored (sanitized paths, Kafka's value strings, removals),
// the describe filters (EXACT, DEFAULT, SPECIFIED, strict), and quotas applied as they are stored.

import { Apis, ErrorCode } from '../../protocol';
import describeClientQuotas from '../../src/handlers/48-describe-client-quotas';
import alterClientQuotas from '../../src/handlers/49-alter-client-quotas';
import { TestBroker, call, testBroker } from './fake-context';

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
});
afterEach(() => b.close());

type Entity = { entityType: string; entityName: string | null }[];
type Op = { key: string; value?: number; remove?: boolean };

const alter = async (entries: { entity: Entity; ops: Op[] }[], validateOnly = false, version = 1) =>
  (await call<typeof Apis.AlterClientQuotas>(alterClientQuotas, b.ctx(version), {
    entries: entries.map((e) => ({ entity: e.entity, ops: e.ops.map((o) => ({ key: o.key, value: o.value ?? 0, remove: o.remove ?? false })) })),
    validateOnly,
  }))!;

const alterOne = async (entity: Entity, ops: Op[], validateOnly = false) => {
  const res = await alter([{ entity, ops }], validateOnly);
  return { errorCode: res.entries[0].errorCode, errorMessage: res.entries[0].errorMessage };
};

const describe_ = async (components: { entityType: string; matchType: number; match?: string | null }[], strict = false, version = 1) =>
  (await call<typeof Apis.DescribeClientQuotas>(describeClientQuotas, b.ctx(version), {
    components: components.map((c) => ({ ...c, match: c.match ?? null })),
    strict,
  }))!;

const user = (name: string | null) => ({ entityType: 'user', entityName: name });
const client = (name: string | null) => ({ entityType: 'client-id', entityName: name });
const ip = (name: string | null) => ({ entityType: 'ip', entityName: name });
const OK = { errorCode: ErrorCode.NONE, errorMessage: null };
const invalid = (message: string) => ({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage: message });

describe('AlterClientQuotas', () => {
  test('stores under sanitized entity paths, LONGs as whole numbers and DOUBLEs as Java prints them', async () => {
    expect(await alterOne([user('alice@x')], [{ key: 'producer_byte_rate', value: 1024 }, { key: 'request_percentage', value: 50 }])).toEqual(OK);
    expect(await alterOne([user('alice@x'), client('app 1')], [{ key: 'consumer_byte_rate', value: 2048.0000001 }])).toEqual(OK);
    expect(await alterOne([client(null)], [{ key: 'controller_mutation_rate', value: 1.5 }])).toEqual(OK);
    expect(await alterOne([user(null), client(null)], [{ key: 'producer_byte_rate', value: 10 }])).toEqual(OK);
    expect(await alterOne([ip('127.0.0.1')], [{ key: 'connection_creation_rate', value: 5 }])).toEqual(OK);
    expect(b.entities.all()).toEqual({
      'users/alice%40x': { producer_byte_rate: '1024', request_percentage: '50.0' },
      'users/alice%40x/clients/app%201': { consumer_byte_rate: '2048' },
      'clients/<default>': { controller_mutation_rate: '1.5' },
      'users/<default>/clients/<default>': { producer_byte_rate: '10' },
      'ips/127.0.0.1': { connection_creation_rate: '5' },
    });
    // Stored quotas apply at once.
    expect(b.quotas.produce.quotaOf('alice@x', 'any')).toBe(1024);
    expect(b.quotas.connections.rateOf('127.0.0.1')).toBe(5);
  });

  test('a removal drops the key; an entity left without keys is stored empty; removing an unknown key is fine', async () => {
    await alterOne([user('bob')], [{ key: 'producer_byte_rate', value: 100 }, { key: 'consumer_byte_rate', value: 200 }]);
    expect(await alterOne([user('bob')], [{ key: 'producer_byte_rate', remove: true }, { key: 'no_such_key', remove: true }])).toEqual(OK);
    expect(b.entities.get('users/bob')).toEqual({ consumer_byte_rate: '200' });
    expect(b.quotas.produce.enabled).toBe(false);
    expect(await alterOne([user('bob')], [{ key: 'consumer_byte_rate', remove: true }])).toEqual(OK);
    expect(b.entities.get('users/bob')).toEqual({});
    expect(b.quotas.fetchQuotaEnabled).toBe(false);
  });

  test('validate_only checks and stores nothing', async () => {
    expect(await alterOne([user('carol')], [{ key: 'producer_byte_rate', value: 100 }], true)).toEqual(OK);
    expect(await alterOne([user('carol')], [{ key: 'producer_byte_rate', value: 1.5 }], true)).toEqual(invalid('Configuration producer_byte_rate must be a LONG value'));
    expect(b.entities.all()).toEqual({});
  });

  test("every entity Kafka refuses, with Kafka's message", async () => {
    expect(await alterOne([], [{ key: 'producer_byte_rate', value: 1 }])).toEqual(invalid('Invalid empty client quota entity'));
    expect(await alterOne([{ entityType: 'group', entityName: 'g' }], [])).toEqual(invalid('Unhandled client quota entity type: group'));
    expect(await alterOne([user('')], [])).toEqual(invalid('Empty user not supported'));
    expect(await alterOne([client('')], [])).toEqual(invalid('Empty client-id not supported'));
    expect(await alterOne([ip('')], [])).toEqual(invalid('Empty ip not supported'));
    expect(await alterOne([user('u'), ip('127.0.0.1')], [])).toEqual(invalid('Invalid quota entity combination, IP entity should not be used with user/client ID entity.'));
    expect(await alterOne([client('c'), ip(null)], [])).toEqual(invalid('Invalid quota entity combination, IP entity should not be used with user/client ID entity.'));
    b.unresolvable.add('no.such.host');
    expect(await alterOne([ip('no.such.host')], [])).toEqual(invalid('no.such.host is not a valid IP or resolvable host.'));
    // Kafka checks the sanitized name: an IPv6 address is refused in ZooKeeper mode.
    b.unresolvable.add('%3A%3A1');
    expect(await alterOne([ip('::1')], [])).toEqual(invalid('%3A%3A1 is not a valid IP or resolvable host.'));
    expect(await alterOne([ip(null)], [{ key: 'connection_creation_rate', value: 3 }])).toEqual(OK);
  });

  test("every key and value Kafka refuses, with Kafka's message", async () => {
    expect(await alterOne([user('u')], [{ key: 'connection_creation_rate', value: 1 }])).toEqual(invalid('Invalid configuration key connection_creation_rate'));
    expect(await alterOne([client('c')], [{ key: 'connection_creation_rate', value: 1 }])).toEqual(invalid('Invalid configuration key connection_creation_rate'));
    expect(await alterOne([ip('1.2.3.4')], [{ key: 'producer_byte_rate', value: 1 }])).toEqual(invalid('Invalid configuration key producer_byte_rate'));
    expect(await alterOne([user('u')], [{ key: 'nope', value: 1 }])).toEqual(invalid('Invalid configuration key nope'));
    expect(await alterOne([user('u')], [{ key: 'consumer_byte_rate', value: 10.5 }])).toEqual(invalid('Configuration consumer_byte_rate must be a LONG value'));
    expect(await alterOne([ip('1.2.3.4')], [{ key: 'connection_creation_rate', value: 0.5 }])).toEqual(invalid('Configuration connection_creation_rate must be a INT value'));
    expect(await alterOne([ip('1.2.3.4')], [{ key: 'connection_creation_rate', value: 3e9 }])).toEqual(invalid('Configuration connection_creation_rate must be a INT value'));
    // SCRAM credentials are user configs of type STRING: Kafka's IllegalStateException.
    expect(await alterOne([user('u')], [{ key: 'SCRAM-SHA-256', value: 1 }])).toEqual({ errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: null });
    // Kafka adds its epsilon before truncating toward zero: a negative whole number is refused.
    expect(await alterOne([ip('1.2.3.4')], [{ key: 'connection_creation_rate', value: -1 }])).toEqual(invalid('Configuration connection_creation_rate must be a INT value'));
    expect(await alterOne([user('u')], [{ key: 'producer_byte_rate', value: -5 }])).toEqual(invalid('Configuration producer_byte_rate must be a LONG value'));
    expect(b.entities.all()).toEqual({});
  });

  test('each entry succeeds or fails on its own; v0 answers the same', async () => {
    const res = await alter(
      [
        { entity: [user('ok')], ops: [{ key: 'producer_byte_rate', value: 5 }] },
        { entity: [user('bad')], ops: [{ key: 'bad_key', value: 5 }] },
      ],
      false,
      0,
    );
    expect(res).toEqual({
      throttleTimeMs: 0,
      entries: [
        { errorCode: ErrorCode.NONE, errorMessage: null, entity: [user('ok')] },
        { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Invalid configuration key bad_key', entity: [user('bad')] },
      ],
    });
    expect(b.entities.all()).toEqual({ 'users/ok': { producer_byte_rate: '5' } });
  });
});

describe('DescribeClientQuotas', () => {
  const EXACT = 0;
  const DEFAULT = 1;
  const SPECIFIED = 2;

  beforeEach(async () => {
    await alterOne([user('alice')], [{ key: 'producer_byte_rate', value: 1 }]);
    await alterOne([user(null)], [{ key: 'producer_byte_rate', value: 2 }]);
    await alterOne([user('alice'), client('app')], [{ key: 'producer_byte_rate', value: 3 }]);
    await alterOne([user(null), client(null)], [{ key: 'producer_byte_rate', value: 4 }]);
    await alterOne([client('app')], [{ key: 'request_percentage', value: 5.5 }]);
    await alterOne([client(null)], [{ key: 'consumer_byte_rate', value: 6 }]);
    await alterOne([ip('10.0.0.1')], [{ key: 'connection_creation_rate', value: 7 }]);
    await alterOne([ip(null)], [{ key: 'connection_creation_rate', value: 8 }]);
    // Not a quota: never described.
    b.entities.set('users/scram', { 'SCRAM-SHA-256': 'x' });
  });

  /** Entities as "user=alice,client-id=<default>" -> values, sorted. */
  const found = async (components: Parameters<typeof describe_>[0], strict = false) => {
    const res = await describe_(components, strict);
    expect([res.errorCode, res.errorMessage]).toEqual([ErrorCode.NONE, null]);
    return Object.fromEntries(
      res.entries!.map((e) => [
        e.entity.map((p) => `${p.entityType}=${p.entityName ?? '<default>'}`).join(','),
        Object.fromEntries(e.values.map((v) => [v.key, v.value])),
      ]),
    );
  };

  test('no components, not strict: every user, client and ip entity', async () => {
    expect(Object.keys(await found([])).sort()).toEqual(
      ['client-id=<default>', 'client-id=app', 'ip=10.0.0.1', 'ip=<default>', 'user=<default>', 'user=<default>,client-id=<default>', 'user=alice', 'user=alice,client-id=app'].sort(),
    );
    expect((await found([]))['client-id=app']).toEqual({ request_percentage: 5.5 });
  });

  test('no components, strict: nothing', async () => {
    expect(await found([], true)).toEqual({});
  });

  test('EXACT user: that user alone and with clients; strict: that user alone', async () => {
    expect(await found([{ entityType: 'user', matchType: EXACT, match: 'alice' }])).toEqual({
      'user=alice': { producer_byte_rate: 1 },
      'user=alice,client-id=app': { producer_byte_rate: 3 },
    });
    expect(await found([{ entityType: 'user', matchType: EXACT, match: 'alice' }], true)).toEqual({ 'user=alice': { producer_byte_rate: 1 } });
  });

  test('DEFAULT user: the default user entities', async () => {
    expect(await found([{ entityType: 'user', matchType: DEFAULT }])).toEqual({
      'user=<default>': { producer_byte_rate: 2 },
      'user=<default>,client-id=<default>': { producer_byte_rate: 4 },
    });
    expect(await found([{ entityType: 'user', matchType: DEFAULT }], true)).toEqual({ 'user=<default>': { producer_byte_rate: 2 } });
  });

  test('SPECIFIED user: any user, default included', async () => {
    expect(Object.keys(await found([{ entityType: 'user', matchType: SPECIFIED }])).sort()).toEqual(
      ['user=<default>', 'user=<default>,client-id=<default>', 'user=alice', 'user=alice,client-id=app'].sort(),
    );
    expect(Object.keys(await found([{ entityType: 'user', matchType: SPECIFIED }], true)).sort()).toEqual(['user=<default>', 'user=alice']);
  });

  test('user and client-id components together', async () => {
    expect(await found([{ entityType: 'user', matchType: EXACT, match: 'alice' }, { entityType: 'client-id', matchType: EXACT, match: 'app' }])).toEqual({
      'user=alice,client-id=app': { producer_byte_rate: 3 },
    });
    expect(await found([{ entityType: 'user', matchType: SPECIFIED }, { entityType: 'client-id', matchType: DEFAULT }], true)).toEqual({
      'user=<default>,client-id=<default>': { producer_byte_rate: 4 },
    });
    expect(await found([{ entityType: 'client-id', matchType: EXACT, match: 'app' }], true)).toEqual({ 'client-id=app': { request_percentage: 5.5 } });
    expect(await found([{ entityType: 'client-id', matchType: EXACT, match: 'nobody' }])).toEqual({});
  });

  test('ip components', async () => {
    expect(await found([{ entityType: 'ip', matchType: EXACT, match: '10.0.0.1' }])).toEqual({ 'ip=10.0.0.1': { connection_creation_rate: 7 } });
    expect(await found([{ entityType: 'ip', matchType: DEFAULT }])).toEqual({ 'ip=<default>': { connection_creation_rate: 8 } });
    expect(Object.keys(await found([{ entityType: 'ip', matchType: SPECIFIED }], true)).sort()).toEqual(['ip=10.0.0.1', 'ip=<default>']);
  });

  test("every filter Kafka refuses, with its error and message on the whole response (v0 too)", async () => {
    const refused = async (components: Parameters<typeof describe_>[0], version = 1) => {
      const res = await describe_(components, false, version);
      return [res.errorCode, res.errorMessage, res.entries];
    };
    expect(await refused([{ entityType: 'user', matchType: SPECIFIED }, { entityType: 'user', matchType: DEFAULT }])).toEqual([ErrorCode.INVALID_REQUEST, 'Duplicate user filter component entity type', null]);
    expect(await refused([{ entityType: 'client-id', matchType: SPECIFIED }, { entityType: 'client-id', matchType: DEFAULT }])).toEqual([ErrorCode.INVALID_REQUEST, 'Duplicate client filter component entity type', null]);
    expect(await refused([{ entityType: 'ip', matchType: SPECIFIED }, { entityType: 'ip', matchType: DEFAULT }], 0)).toEqual([ErrorCode.INVALID_REQUEST, 'Duplicate ip filter component entity type', null]);
    expect(await refused([{ entityType: '', matchType: SPECIFIED }])).toEqual([ErrorCode.INVALID_REQUEST, 'Unexpected empty filter component entity type', null]);
    expect(await refused([{ entityType: 'group', matchType: SPECIFIED }])).toEqual([ErrorCode.UNSUPPORTED_VERSION, "Custom entity type 'group' not supported", null]);
    expect(await refused([{ entityType: 'user', matchType: SPECIFIED }, { entityType: 'ip', matchType: SPECIFIED }])).toEqual([
      ErrorCode.INVALID_REQUEST,
      'Invalid entity filter component combination, IP filter component should not be used with user or clientId filter component.',
      null,
    ]);
    expect(await refused([{ entityType: 'user', matchType: 3 }])).toEqual([ErrorCode.UNKNOWN_SERVER_ERROR, null, null]);
    expect(await refused([{ entityType: 'user', matchType: EXACT, match: null }])).toEqual([ErrorCode.UNKNOWN_SERVER_ERROR, null, null]);
  });
});
