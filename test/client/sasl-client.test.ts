// The SASL client: RFC 7677's SCRAM-SHA-256 exchange with a fixed client nonce, the client's checks
// of the server's messages, and whole authentications over a real socket against a minimal broker
// built here (ApiVersions, SaslHandshake v1, SaslAuthenticate) whose SCRAM server checks proofs
// against stored credentials, delegation tokens' credentials (tokenauth) included.

import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo, Server, Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiSpec, Apis, ErrorCode, FrameReader, Reader, Writer, decodeRequest, encodeResponse, readRequestHeader, responseHeaderVersion, writeResponseHeader } from '../../protocol';
import { ScramCredential, ScramMechanism, generateCredential, hashName } from '../../src/auth/scram-credential';
import { DelegationTokenManager } from '../../src/auth/tokens/delegation-token-manager';
import { FileTokenStore } from '../../src/auth/tokens/file-token-store';
import { realClock } from '../../src/clock';
import { ScramClient, SaslAuthenticationError, authenticateSasl, saslName } from '../../src/client/sasl-client';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { CapturingLogger } from '../handlers/fake-context';

describe('ScramClient', () => {
  // RFC 7677 section 3.
  const serverFirst = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
  const rfcClient = () => new ScramClient('SCRAM-SHA-256', 'user', 'pencil', false, 'rOprNGfwEbeRWgbNEkqO');

  it("computes RFC 7677's SCRAM-SHA-256 messages and accepts its server signature", () => {
    const client = rfcClient();
    expect(client.clientFirstMessage()).toBe('n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
    expect(client.clientFinalMessage(serverFirst)).toBe('c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=');
    expect(() => client.verifyServerFinal('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=')).not.toThrow();
  });

  it('refuses a wrong server signature, a server error, a foreign nonce and too few iterations', () => {
    const client = rfcClient();
    client.clientFirstMessage();
    client.clientFinalMessage(serverFirst);
    expect(() => client.verifyServerFinal('v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=')).toThrow('SASL SCRAM-SHA-256: invalid server signature in server final message');
    expect(() => client.verifyServerFinal('e=invalid-proof')).toThrow('SASL SCRAM-SHA-256 authentication failed: invalid-proof');
    const other = rfcClient();
    other.clientFirstMessage();
    expect(() => other.clientFinalMessage('r=someoneElse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096')).toThrow('invalid server nonce');
    expect(() => other.clientFinalMessage('r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1000')).toThrow('requested iterations 1000 is less than the minimum 4096 for SCRAM-SHA-256');
    expect(() => other.clientFinalMessage('garbage')).toThrow(SaslAuthenticationError);
  });

  it('escapes the user name and asks for token authentication with the tokenauth extension', () => {
    expect(saslName('a=b,c')).toBe('a=3Db=2Cc');
    expect(new ScramClient('SCRAM-SHA-512', 'tok', 'hmac', true, 'nonce').clientFirstMessage()).toBe('n,,n=tok,r=nonce,tokenauth=true');
  });
});

/** What the test broker knows: PLAIN passwords, SCRAM credentials, delegation tokens. */
interface Users {
  mechanisms: string[];
  plain?: Record<string, string>;
  scram?: (user: string, mechanism: ScramMechanism, tokenAuth: boolean) => ScramCredential | undefined;
  /** Signs with this credential's server key instead: a server that does not know the password. */
  impostor?: ScramCredential;
  saslAuthenticateMax?: number;
}

interface Seen {
  versions: number[];
  tokenAuth: boolean;
}

/** A Kafka-speaking server with just enough of SASL for the client. */
async function saslBroker(users: Users): Promise<{ port: number; seen: Seen; close(): Promise<void> }> {
  const seen: Seen = { versions: [], tokenAuth: false };
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const frames = new FrameReader(1 << 20);
    let mechanism = '';
    let scram: { bare: string; serverFirst: string; nonce: string; credential: ScramCredential | undefined; mech: ScramMechanism } | null = null;
    const reply = <S extends ApiSpec>(spec: S, version: number, correlationId: number, body: unknown) => {
      const w = new Writer();
      writeResponseHeader(w, correlationId, responseHeaderVersion(spec.apiKey, version));
      encodeResponse(spec, version, w, body as never);
      const payload = Buffer.concat(w.finish());
      const size = Buffer.alloc(4);
      size.writeInt32BE(payload.length);
      socket.write(Buffer.concat([size, payload]));
    };
    socket.on('data', (chunk) => {
      for (const frame of frames.push(chunk)) {
        const r = new Reader(frame);
        const h = readRequestHeader(r);
        if (h.apiKey === Apis.ApiVersions.apiKey) {
          decodeRequest(Apis.ApiVersions, h.apiVersion, r);
          const apiKeys = [
            { apiKey: 17, minVersion: 0, maxVersion: 1 },
            { apiKey: 18, minVersion: 0, maxVersion: 3 },
            { apiKey: 36, minVersion: 0, maxVersion: users.saslAuthenticateMax ?? 2 },
          ];
          reply(Apis.ApiVersions, h.apiVersion, h.correlationId, { errorCode: 0, apiKeys, throttleTimeMs: 0 });
        } else if (h.apiKey === Apis.SaslHandshake.apiKey) {
          const req = decodeRequest(Apis.SaslHandshake, h.apiVersion, r);
          mechanism = req.mechanism;
          const errorCode = users.mechanisms.includes(mechanism) ? 0 : ErrorCode.UNSUPPORTED_SASL_MECHANISM;
          reply(Apis.SaslHandshake, h.apiVersion, h.correlationId, { errorCode, mechanisms: users.mechanisms });
        } else if (h.apiKey === Apis.SaslAuthenticate.apiKey) {
          seen.versions.push(h.apiVersion);
          const req = decodeRequest(Apis.SaslAuthenticate, h.apiVersion, r);
          const answer = (authBytes: string, errorCode = 0, errorMessage: string | null = null) =>
            reply(Apis.SaslAuthenticate, h.apiVersion, h.correlationId, { errorCode, errorMessage, authBytes: Buffer.from(authBytes), sessionLifetimeMs: 3_600_000n });
          const failed = () => answer('', ErrorCode.SASL_AUTHENTICATION_FAILED, `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}`);
          const message = req.authBytes.toString('utf8');
          if (mechanism === 'PLAIN') {
            const [, user, password] = message.split('\0');
            if (users.plain?.[user] === password) answer('');
            else answer('', ErrorCode.SASL_AUTHENTICATION_FAILED, 'Authentication failed: Invalid username or password');
          } else if (!scram) {
            const bare = message.slice('n,,'.length);
            const attrs = new Map(bare.split(',').map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
            const tokenAuth = attrs.get('tokenauth') === 'true';
            seen.tokenAuth = tokenAuth;
            const mech = mechanism as ScramMechanism;
            const credential = users.scram?.(attrs.get('n')!, mech, tokenAuth);
            const nonce = `${attrs.get('r')}server-part`;
            const shown = credential ?? generateCredential(mech, 'unknown user');
            const serverFirst = `r=${nonce},s=${shown.salt.toString('base64')},i=${shown.iterations}`;
            scram = { bare, serverFirst, nonce, credential, mech };
            answer(serverFirst);
          } else {
            const hash = hashName(scram.mech);
            const proofAt = message.lastIndexOf(',p=');
            const authMessage = `${scram.bare},${scram.serverFirst},${message.slice(0, proofAt)}`;
            const proof = Buffer.from(message.slice(proofAt + 3), 'base64');
            const { credential } = scram;
            if (!credential) return failed();
            const signature = createHmac(hash, credential.storedKey).update(authMessage).digest();
            const clientKey = Buffer.from(proof.map((b, i) => b ^ signature[i]));
            if (!createHash(hash).update(clientKey).digest().equals(credential.storedKey)) return failed();
            const serverKey = (users.impostor ?? credential).serverKey;
            answer(`v=${createHmac(hash, serverKey).update(authMessage).digest('base64')}`);
          }
        }
      }
    });
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('authenticateSasl', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function connectTo(users: Users) {
    const broker = await saslBroker(users);
    cleanups.push(() => broker.close());
    const conn = await KafkaConnection.connect('127.0.0.1', broker.port, { clientId: 'sasl-test', timeoutMs: 5000 });
    cleanups.push(() => conn.close());
    return { conn, seen: broker.seen };
  }

  const alice256 = generateCredential('SCRAM-SHA-256', 'alice-secret');
  const alice512 = generateCredential('SCRAM-SHA-512', 'alice-secret');
  const scramUsers: Users = {
    mechanisms: ['SCRAM-SHA-256', 'SCRAM-SHA-512'],
    scram: (user, mechanism) => (user === 'alice' ? (mechanism === 'SCRAM-SHA-256' ? alice256 : alice512) : undefined),
  };

  it('authenticates with PLAIN', async () => {
    const { conn, seen } = await connectTo({ mechanisms: ['PLAIN'], plain: { alice: 'alice-secret' } });
    expect(await authenticateSasl(conn, { mechanism: 'PLAIN', username: 'alice', password: 'alice-secret' })).toEqual({ sessionLifetimeMs: 3_600_000 });
    expect(seen.versions).toEqual([2]);
  });

  it('carries the broker error of a failed PLAIN authentication', async () => {
    const { conn } = await connectTo({ mechanisms: ['PLAIN'], plain: { alice: 'alice-secret' } });
    const failure = authenticateSasl(conn, { mechanism: 'PLAIN', username: 'alice', password: 'wrong' });
    await expect(failure).rejects.toThrow('SASL PLAIN authentication failed: Authentication failed: Invalid username or password');
    await expect(failure).rejects.toMatchObject({ errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED });
  });

  it.each(['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const)('authenticates with %s, using the SaslAuthenticate version the broker supports', async (mechanism) => {
    const { conn, seen } = await connectTo({ ...scramUsers, saslAuthenticateMax: 1 });
    await authenticateSasl(conn, { mechanism, username: 'alice', password: 'alice-secret' });
    expect(seen).toEqual({ versions: [1, 1], tokenAuth: false });
  });

  it('fails with a wrong SCRAM password, naming the mechanism and the broker message', async () => {
    const { conn } = await connectTo(scramUsers);
    await expect(authenticateSasl(conn, { mechanism: 'SCRAM-SHA-512', username: 'alice', password: 'wrong' })).rejects.toThrow(
      'SASL SCRAM-SHA-512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512',
    );
  });

  it('refuses a server that cannot prove it knows the password', async () => {
    const { conn } = await connectTo({ ...scramUsers, impostor: generateCredential('SCRAM-SHA-256', 'something else') });
    await expect(authenticateSasl(conn, { mechanism: 'SCRAM-SHA-256', username: 'alice', password: 'alice-secret' })).rejects.toThrow('invalid server signature');
  });

  it('reports a mechanism the broker does not enable, with the ones it does', async () => {
    const { conn } = await connectTo({ mechanisms: ['PLAIN'] });
    const failure = authenticateSasl(conn, { mechanism: 'SCRAM-SHA-256', username: 'alice', password: 'x' });
    await expect(failure).rejects.toThrow("Client SASL mechanism 'SCRAM-SHA-256' not enabled in the server, enabled mechanisms are [PLAIN]");
    await expect(failure).rejects.toMatchObject({ errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM });
  });

  it("authenticates with a delegation token: the token id and its HMAC against the token manager's credentials", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-ts-sasl-tokens-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const settings = { secretKey: 'secret', maxLifetimeMs: 3_600_000, expiryTimeMs: 3_600_000, expiryCheckIntervalMs: 3_600_000 };
    const tokens = new DelegationTokenManager(settings, new FileTokenStore(dir), realClock, new CapturingLogger());
    await tokens.start();
    cleanups.push(() => tokens.close());
    const token = await tokens.createToken('User:alice', 'User:alice', [], -1);
    const { conn, seen } = await connectTo({
      mechanisms: ['SCRAM-SHA-256'],
      scram: (user, mechanism, tokenAuth) => (tokenAuth ? tokens.tokenCredential(user, mechanism)?.credential : undefined),
    });
    await authenticateSasl(conn, { mechanism: 'SCRAM-SHA-256', username: token.tokenId, password: token.hmac.toString('base64'), tokenAuth: true });
    expect(seen.tokenAuth).toBe(true);
  });
});
