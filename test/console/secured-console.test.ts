// The console of a SASL_SSL cluster with an authorizer: every API call needs a login, the login
// opens a client with the user's own credentials (PLAIN or SCRAM), so ACLs decide what each user
// sees; the session cookie is HttpOnly and SameSite=Strict; a wrong password is a 401. SCRAM users
// and ACLs are set up through an unsecured console on the plaintext listener.

import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { STORE_PASSWORD, TestCerts, makeTestCerts } from '../helpers/certs';
import { ConsoleServer } from '../../src/console/console-server';
import { waitFor } from '../helpers/wait';
import { call, get } from './console-helpers';
import { saslSslBrokerProps } from '../helpers/sasl-ssl-broker';

let broker: BrokerProcess;
let certs: TestCerts;
let admin: ConsoleServer;
let secured: ConsoleServer;


beforeAll(async () => {
  certs = makeTestCerts();
  broker = await startBroker({
    waitForStarted: true,
    props: { ...saslSslBrokerProps(certs), 'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer', 'super.users': 'User:admin;User:ANONYMOUS' },
  });
  admin = await ConsoleServer.start({ host: '127.0.0.1', port: 0 }, { bootstrapServers: broker.bootstrap });
  secured = await ConsoleServer.start(
    { host: '127.0.0.1', port: 0 },
    {
      bootstrapServers: `localhost:${broker.listenerPorts()[1]}`,
      clientProps: clientProps(),
    },
  );
  for (const name of ['open', 'hidden']) expect((await call(admin.url, 'POST', '/api/topics', { name, partitions: 1, replicationFactor: 1 })).status).toBe(201);
  expect((await call(admin.url, 'POST', '/api/users', { user: 'alice', password: 'alice-secret', mechanism: 'SCRAM-SHA-512', iterations: 4096 })).status).toBe(201);
  for (const operation of ['DESCRIBE', 'READ']) {
    const added = await call(admin.url, 'POST', '/api/acls', { resourceType: 'TOPIC', resourceName: 'open', patternType: 'LITERAL', principal: 'User:alice', host: '*', operation, permissionType: 'ALLOW' });
    expect(added.status).toBe(201);
  }
});

afterAll(async () => {
  await admin?.close();
  await secured?.close();
  await cleanup(broker);
  certs?.cleanup();
});

function clientProps(): Map<string, string> {
  return new Map([
    ['security.protocol', 'SASL_SSL'],
    ['ssl.truststore.type', 'PKCS12'],
    ['ssl.truststore.location', certs.trustP12],
    ['ssl.truststore.password', STORE_PASSWORD],
  ]);
}

const login = async (username: string, password: string, mechanism: string) => {
  const res = await call(secured.url, 'POST', '/api/login', { username, password, mechanism });
  const cookie = res.headers.get('set-cookie') ?? '';
  return { status: res.status, body: res.body, setCookie: cookie, cookie: cookie.split(';')[0] };
};

test('users and ACLs are listed as set', async () => {
  expect((await get(admin.url, '/api/users')).body).toEqual([{ user: 'alice', credentials: [{ mechanism: 'SCRAM-SHA-512', iterations: 4096 }] }]);
  expect((await get(admin.url, '/api/acls')).body).toEqual(
    expect.arrayContaining([{ resourceType: 'TOPIC', resourceName: 'open', patternType: 'LITERAL', principal: 'User:alice', host: '*', operation: 'READ', permissionType: 'ALLOW' }]),
  );
  expect((await get(admin.url, '/api/features')).body.acls).toBe(true);
});

test('every API call needs a login; a wrong password is a 401', async () => {
  expect((await get(secured.url, '/api/session')).body).toEqual({ secured: true, loggedIn: false, user: null });
  const refused = await get(secured.url, '/api/topics');
  expect(refused.status).toBe(401);
  expect(refused.body.error).toMatch(/Log in/);
  const wrong = await login('alice', 'nope', 'SCRAM-SHA-512');
  expect(wrong.status).toBe(401);
  expect(wrong.setCookie).toBe('');
});

test('a user sees what the ACLs let them see; logging out ends the session', async () => {
  const alice = await login('alice', 'alice-secret', 'SCRAM-SHA-512');
  expect(alice.status).toBe(200);
  expect(alice.body).toEqual({ user: 'alice' });
  expect(alice.setCookie).toMatch(/HttpOnly/);
  expect(alice.setCookie).toMatch(/SameSite=Strict/);
  expect((await get(secured.url, '/api/session', alice.cookie)).body).toEqual({ secured: true, loggedIn: true, user: 'alice' });
  expect((await get(secured.url, '/api/topics', alice.cookie)).body.map((t: { name: string }) => t.name)).toEqual(['open']);
  expect((await get(secured.url, '/api/topics/hidden', alice.cookie)).status).toBe(403);
  expect((await call(secured.url, 'POST', '/api/topics', { name: 'mine', partitions: 1 }, alice.cookie)).status).toBe(403);

  const root = await login('admin', 'admin-secret', 'PLAIN');
  expect((await get(secured.url, '/api/topics?internal=false', root.cookie)).body.map((t: { name: string }) => t.name)).toEqual(['hidden', 'open']);

  expect((await call(secured.url, 'POST', '/api/logout', undefined, alice.cookie)).status).toBe(200);
  expect((await get(secured.url, '/api/topics', alice.cookie)).status).toBe(401);
});

test('a session expires after its idle time; cross-site changes are refused', async () => {
  const brief = await ConsoleServer.start(
    { host: '127.0.0.1', port: 0 },
    { bootstrapServers: `localhost:${broker.listenerPorts()[1]}`, clientProps: clientProps(), sessionIdleMs: 300 },
  );
  try {
    const res = await call(brief.url, 'POST', '/api/login', { username: 'admin', password: 'admin-secret' });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    expect((await get(brief.url, '/api/session', cookie)).body.loggedIn).toBe(true);
    await waitFor(async () => (await get(brief.url, '/api/session', cookie)).body.loggedIn === false, 'the session expired', 5000);
    expect((await get(brief.url, '/api/topics', cookie)).status).toBe(401);
  } finally {
    await brief.close();
  }
  const crossSite = await fetch(new URL('/api/topics', admin.url), { method: 'POST', headers: { 'Sec-Fetch-Site': 'cross-site' }, body: JSON.stringify({ name: 'evil' }) });
  expect(crossSite.status).toBe(403);
});

test('ACLs and SCRAM users are removed', async () => {
  const binding = { resourceType: 'TOPIC', resourceName: 'open', patternType: 'LITERAL', principal: 'User:alice', host: '*', operation: 'READ', permissionType: 'ALLOW' };
  expect((await call(admin.url, 'POST', '/api/acls/delete', binding)).body).toEqual({ removed: 1 });
  expect((await get(admin.url, '/api/acls')).body).not.toContainEqual(binding);
  expect((await call(admin.url, 'POST', '/api/acls', { ...binding, operation: 'FLY' })).status).toBe(400);
  expect((await call(admin.url, 'DELETE', '/api/users/alice?mechanism=SCRAM-SHA-512')).status).toBe(200);
  expect((await get(admin.url, '/api/users')).body).toEqual([]);
});
