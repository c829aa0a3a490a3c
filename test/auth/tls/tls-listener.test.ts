// A TLS listener's view of its clients over real sockets: the principal from the client's
// certificate (DEFAULT rules: the whole DN), none without one, and a refusal for an untrusted
// certificate (even when only requested) or a DN no rule maps.

import { once } from 'node:events';
import { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { TLSSocket, connect, createServer } from 'node:tls';
import { PeerIdentity, TlsListener } from '../../../src/auth/tls/tls-listener';
import { STORE_PASSWORD, TestCerts, makeTestCerts } from '../../helpers/certs';

let certs: TestCerts;
beforeAll(() => (certs = makeTestCerts()));
afterAll(() => certs.cleanup());

async function identify(props: Record<string, string>, client: 'alice' | 'mallory' | null): Promise<PeerIdentity> {
  const listener = TlsListener.build(
    new Map(Object.entries({ 'ssl.keystore.type': 'PKCS12', 'ssl.keystore.location': certs.broker.p12, 'ssl.keystore.password': STORE_PASSWORD, 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': certs.caCert, ...props })),
    'SSL',
    'SSL',
    () => undefined,
  );
  const server = createServer(listener.tls);
  const identities: PeerIdentity[] = [];
  server.on('secureConnection', (s: TLSSocket) => {
    identities.push(listener.identify(s));
    s.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const files = client === null ? {} : { cert: readFileSync(certs[client].cert), key: readFileSync(certs[client].key) };
    const socket = connect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, ca: readFileSync(certs.caCert), ...files });
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    await once(socket, 'close');
    return identities[0];
  } finally {
    server.close();
  }
}

test('the DN of a trusted client certificate, under DEFAULT rules', async () => {
  expect(await identify({ 'ssl.client.auth': 'required' }, 'alice')).toEqual({ ok: true, principal: 'User:CN=alice,OU=eng,O=kafka-ts' });
});

test('no certificate: no principal (the session stays User:ANONYMOUS)', async () => {
  expect(await identify({ 'ssl.client.auth': 'requested' }, null)).toEqual({ ok: true, principal: null });
  expect(await identify({}, 'alice')).toEqual({ ok: true, principal: null });
});

test('no certificate under required is refused', async () => {
  expect(await identify({ 'ssl.client.auth': 'required' }, null)).toEqual({ ok: false, reason: 'no client certificate; ssl.client.auth=required' });
});

test('an untrusted certificate is refused even when only requested', async () => {
  expect((await identify({ 'ssl.client.auth': 'required' }, 'mallory')).ok).toBe(false);
  const identity = await identify({ 'ssl.client.auth': 'requested' }, 'mallory');
  expect(identity.ok).toBe(false);
  expect(identity.ok === false && identity.reason).toMatch(/^client certificate not trusted: /);
});

test('a DN no rule maps is refused', async () => {
  const identity = await identify({ 'ssl.client.auth': 'required', 'ssl.principal.mapping.rules': 'RULE:^CN=(.*),OU=ops,.*$/$1/' }, 'alice');
  expect(identity).toEqual({ ok: false, reason: 'No rules apply to CN=alice,OU=eng,O=kafka-ts, rules [RULE:^CN=(.*),OU=ops,.*$/$1]' });
});

test('a bad rule fails the listener naming the key', () => {
  const props = new Map([
    ['ssl.keystore.type', 'PEM'],
    ['ssl.keystore.location', certs.broker.keyAndChain],
    ['listener.name.ssl.ssl.principal.mapping.rules', 'DEFAUL'],
  ]);
  expect(() => TlsListener.build(props, 'SSL', 'SSL', () => undefined)).toThrow(
    /^Listener SSL: Invalid value DEFAUL for configuration listener\.name\.ssl\.ssl\.principal\.mapping\.rules: Invalid rule/,
  );
});
