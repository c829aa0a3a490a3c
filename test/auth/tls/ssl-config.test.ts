// Per-listener ssl.* settings: listener prefixes, protocols, cipher suites, client auth, and the
// server and client sides shaking hands over real sockets.

import { once } from 'node:events';
import { AddressInfo } from 'node:net';
import { TLSSocket, connect, createServer } from 'node:tls';
import { ConfigError } from '../../../src/config';
import { cipherList, clientAuth, clientTlsOptions, listenerClientAuth, protocolRange, serverTls } from '../../../src/auth/tls/ssl-config';
import { ListenerConfigs } from '../../../src/auth/listener-configs';
import { STORE_PASSWORD, TestCerts, makeTestCerts } from '../../helpers/certs';

let certs: TestCerts;
beforeAll(() => (certs = makeTestCerts()));
afterAll(() => certs.cleanup());

const settings = (props: Record<string, string>, listener: string | null = 'INTERNAL_SSL') => new ListenerConfigs(new Map(Object.entries(props)), listener);

describe('listener prefixes', () => {
  test("listener.name.<listener lower-case>.<key> wins over the plain key, which wins over Kafka's default", () => {
    const s = settings({ 'ssl.client.auth': 'requested', 'listener.name.internal_ssl.ssl.client.auth': 'required', 'ssl.enabled.protocols': 'TLSv1.3' });
    expect(s.get('ssl.client.auth')).toBe('required');
    expect(s.keyOf('ssl.client.auth')).toBe('listener.name.internal_ssl.ssl.client.auth');
    expect(s.get('ssl.enabled.protocols')).toBe('TLSv1.3');
    expect(s.get('ssl.keystore.type')).toBe('JKS');
    expect(s.get('ssl.keystore.location')).toBeNull();
    expect(settings({ 'ssl.client.auth': 'requested' }, 'OTHER').get('ssl.client.auth')).toBe('requested');
  });
});

describe('protocols', () => {
  test("Kafka's default is TLSv1.2 and TLSv1.3", () => {
    expect(protocolRange(settings({}))).toEqual({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' });
    expect(protocolRange(settings({ 'ssl.enabled.protocols': 'TLSv1.3' }))).toEqual({ minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' });
  });

  test('unknown names and gaps are config errors naming the key', () => {
    expect(() => protocolRange(settings({ 'listener.name.internal_ssl.ssl.enabled.protocols': 'TLSv1.2,SSLv3' }))).toThrow(
      'Invalid value TLSv1.2,SSLv3 for configuration listener.name.internal_ssl.ssl.enabled.protocols: unsupported protocol SSLv3; supported are TLSv1, TLSv1.1, TLSv1.2, TLSv1.3',
    );
    expect(() => protocolRange(settings({ 'ssl.enabled.protocols': 'TLSv1.1,TLSv1.3' }))).toThrow(ConfigError);
    expect(() => protocolRange(settings({ 'ssl.enabled.protocols': '' }))).toThrow(/at least one protocol/);
  });
});

describe('cipher suites', () => {
  test('JSSE names become OpenSSL names; none means OpenSSL defaults', () => {
    expect(cipherList(settings({}))).toBeUndefined();
    expect(cipherList(settings({ 'ssl.cipher.suites': 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256,TLS_RSA_WITH_AES_256_CBC_SHA' }))).toBe(
      'ECDHE-RSA-AES128-GCM-SHA256:TLS_AES_128_GCM_SHA256:AES256-SHA',
    );
  });

  test('an unknown suite is refused', () => {
    expect(() => cipherList(settings({ 'ssl.cipher.suites': 'TLS_RSA_WITH_RC4_128_MD5' }))).toThrow(
      'Invalid value TLS_RSA_WITH_RC4_128_MD5 for configuration ssl.cipher.suites: Unsupported CipherSuite: TLS_RSA_WITH_RC4_128_MD5',
    );
  });
});

describe('client auth', () => {
  test('none, requested, required', () => {
    expect(clientAuth(settings({}))).toBe('none');
    expect(clientAuth(settings({ 'ssl.client.auth': 'REQUIRED' }))).toBe('required');
    expect(() => clientAuth(settings({ 'ssl.client.auth': 'maybe' }))).toThrow(/ssl.client.auth/);
  });
});

describe('client auth on SASL_SSL listeners', () => {
  test('only the listener-prefixed ssl.client.auth applies; a broker-wide one is warned about', () => {
    const warnings: string[] = [];
    const warn = (line: string) => warnings.push(line);
    expect(listenerClientAuth(settings({ 'ssl.client.auth': 'required' }, 'SASL_SSL'), 'SASL_SSL', warn)).toBe('none');
    expect(warnings).toEqual([expect.stringMatching(/^Broker configuration 'ssl.client.auth' is applied only to SSL listeners\./)]);
    expect(listenerClientAuth(settings({ 'listener.name.sasl_ssl.ssl.client.auth': 'required' }, 'SASL_SSL'), 'SASL_SSL', warn)).toBe('required');
    expect(listenerClientAuth(settings({ 'ssl.client.auth': 'required' }, 'SSL'), 'SSL', warn)).toBe('required');
    expect(listenerClientAuth(settings({}, 'SASL_SSL'), 'SASL_SSL', warn)).toBe('none');
    expect(warnings).toHaveLength(1);
  });
});

describe('server and client sides', () => {
  const brokerStore = { 'ssl.keystore.type': 'PKCS12', 'ssl.keystore.location': '', 'ssl.keystore.password': STORE_PASSWORD };
  const trust = () => ({ 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': certs.caCert });

  async function handshake(serverProps: Record<string, string>, clientProps: Record<string, string>, servername?: string): Promise<{ ok: boolean; peer?: string; error?: string }> {
    const props = new Map(Object.entries(serverProps));
    const listener = serverTls(props, 'SSL', clientAuth(new ListenerConfigs(props, 'SSL')));
    const server = createServer(listener);
    const peers: string[] = [];
    server.on('secureConnection', (s: TLSSocket) => {
      peers.push(s.getPeerX509Certificate()?.subject ?? 'none');
      s.end();
    });
    server.on('tlsClientError', () => undefined);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const options = clientTlsOptions(new Map(Object.entries(clientProps)), 'SSL');
      const socket = connect({ ...options, host: '127.0.0.1', port: (server.address() as AddressInfo).port, servername });
      socket.on('data', () => undefined);
      const outcome = await new Promise<string>((resolve) => {
        socket.once('secureConnect', () => resolve('ok'));
        socket.once('error', (e) => resolve(e.message));
      });
      await once(socket, 'close');
      return outcome === 'ok' ? { ok: true, peer: peers[0] } : { ok: false, error: outcome };
    } finally {
      server.close();
    }
  }

  test('the client trusts the truststore and checks the host name (IP SAN)', async () => {
    const result = await handshake({ ...brokerStore, 'ssl.keystore.location': certs.broker.p12 }, trust());
    expect(result).toEqual({ ok: true, peer: 'none' });
  });

  test('a host name not in the certificate fails unless identification is disabled', async () => {
    const server = { ...brokerStore, 'ssl.keystore.location': certs.broker.p12 };
    expect((await handshake(server, trust(), 'broker.example')).error).toMatch(/does not match|not in the cert/);
    expect((await handshake(server, { ...trust(), 'ssl.endpoint.identification.algorithm': '' }, 'broker.example')).ok).toBe(true);
  });

  test('with a keystore the client presents its certificate', async () => {
    const result = await handshake(
      { ...brokerStore, 'ssl.keystore.location': certs.broker.p12, 'ssl.client.auth': 'required', ...trust() },
      { ...trust(), 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': certs.alice.keyAndChain },
    );
    expect(result.ok).toBe(true);
    expect(result.peer).toContain('CN=alice');
  });

  test('the listener and client agree on the configured protocol and cipher suite', async () => {
    const restricted = { 'ssl.enabled.protocols': 'TLSv1.2', 'ssl.cipher.suites': 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' };
    const listener = serverTls(new Map(Object.entries({ ...brokerStore, 'ssl.keystore.location': certs.broker.p12, ...restricted })), 'SSL', 'none');
    const server = createServer(listener, (s) => s.end());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const client = clientTlsOptions(new Map(Object.entries(trust())), 'SSL');
      const socket = connect({ ...client, host: '127.0.0.1', port: (server.address() as AddressInfo).port });
      socket.on('data', () => undefined);
      await once(socket, 'secureConnect');
      expect(socket.getProtocol()).toBe('TLSv1.2');
      expect(socket.getCipher().name).toBe('ECDHE-RSA-AES256-GCM-SHA384');
      await once(socket, 'close');
    } finally {
      server.close();
    }
  });

  test('a listener without a keystore fails naming the key', () => {
    expect(() => serverTls(new Map(), 'SSL', 'none')).toThrow('no keystore: set ssl.keystore.location (or ssl.keystore.key and ssl.keystore.certificate.chain)');
  });
});
