// Who the console talks to the cluster as. With client properties that do not use SASL, every
// browser shares one ClusterClient. With SASL, each browser logs in (username, password,
// mechanism): the login opens a ClusterClient with those credentials, so the cluster's ACLs apply
// to what that user sees; the session lives in memory behind an HttpOnly, SameSite=Strict cookie
// and expires after a time without use.

import { randomBytes } from 'node:crypto';
import { ConnectionOptions } from 'node:tls';
import { ClusterClient, refusedCredentials } from '../client/cluster-client';
import { BrokerConnector, securedConnector } from '../client/broker-connector';
import { clientConnector } from '../client/client-security';
import { SASL_CLIENT_MECHANISMS, SaslMechanism } from '../client/sasl-client';
import { clientTlsOptions } from '../auth/tls/ssl-config';
import { ApiError, badRequest } from './api-error';

export const SESSION_COOKIE = 'kafkats_console';
export const DEFAULT_SESSION_IDLE_MS = 30 * 60_000;

export interface ClientSettings {
  bootstrapServers: () => string;
  props: ReadonlyMap<string, string>;
  clientId: string;
  requestTimeoutMs: number;
}

interface Session {
  user: string;
  client: ClusterClient;
  expiresAt: number;
}

export class Sessions {
  readonly secured: boolean;
  /** The mechanism a login uses when it names none: the client properties' sasl.mechanism, else PLAIN. */
  readonly defaultMechanism: string;
  private shared: Promise<ClusterClient> | null = null;
  private readonly sessions = new Map<string, Session>();
  private readonly tls: ConnectionOptions | undefined;
  /** The shared client's connector (made up front, so bad client properties fail at start). */
  private readonly sharedConnector: BrokerConnector | null;

  constructor(
    private readonly settings: ClientSettings,
    private readonly idleMs: number = DEFAULT_SESSION_IDLE_MS,
  ) {
    const protocol = (settings.props.get('security.protocol') ?? 'PLAINTEXT').toUpperCase();
    this.secured = protocol.startsWith('SASL_');
    this.defaultMechanism = settings.props.get('sasl.mechanism') ?? 'PLAIN';
    this.tls = protocol === 'SASL_SSL' ? clientTlsOptions(settings.props, null) : undefined;
    this.sharedConnector = this.secured ? null : clientConnector(settings.props);
  }

  /** The logged-in user of a session cookie, or null; asking does not keep the session alive. */
  user(sessionId: string | null): string | null {
    return this.live(sessionId, false)?.user ?? null;
  }

  /** The client for a request: the shared one, or the session's (401 when a login is needed). */
  async client(sessionId: string | null): Promise<ClusterClient> {
    if (this.secured) {
      const s = this.live(sessionId);
      if (!s) throw new ApiError(401, 'Log in to use this cluster');
      return s.client;
    }
    if (!this.shared) {
      const connecting = this.connect(this.sharedConnector!);
      this.shared = connecting;
      connecting.catch(() => {
        if (this.shared === connecting) this.shared = null;
      });
    }
    return this.shared;
  }

  /** Opens a client with these credentials; the new session id, or 401 when the cluster refuses them. */
  async login(username: string, password: string, mechanism: string): Promise<string> {
    if (!this.secured) throw badRequest('This cluster needs no login');
    if (!SASL_CLIENT_MECHANISMS.includes(mechanism)) throw badRequest(`Unknown mechanism ${mechanism}: use ${SASL_CLIENT_MECHANISMS.join(', ')}`);
    let client: ClusterClient;
    try {
      client = await this.connect(securedConnector(this.tls, { mechanism: mechanism as SaslMechanism, username, password, tokenAuth: false }));
    } catch (err) {
      if (refusedCredentials(err)) throw new ApiError(401, 'Login failed: the cluster refused these credentials');
      throw err;
    }
    const id = randomBytes(24).toString('base64url');
    this.sessions.set(id, { user: username, client, expiresAt: Date.now() + this.idleMs });
    return id;
  }

  logout(sessionId: string | null): void {
    const s = sessionId === null ? undefined : this.sessions.get(sessionId);
    if (!s) return;
    s.client.close();
    this.sessions.delete(sessionId!);
  }

  close(): void {
    for (const s of this.sessions.values()) s.client.close();
    this.sessions.clear();
    void this.shared?.then((c) => c.close(), () => undefined);
    this.shared = null;
  }

  /** The session if it has not expired (its time then extended when `touch`); expired ones are closed. */
  private live(sessionId: string | null, touch = true): Session | null {
    const now = Date.now();
    for (const [id, s] of this.sessions) {
      if (s.expiresAt <= now) {
        s.client.close();
        this.sessions.delete(id);
      }
    }
    const s = sessionId === null ? undefined : this.sessions.get(sessionId);
    if (!s) return null;
    if (touch) s.expiresAt = now + this.idleMs;
    return s;
  }

  private connect(connector: BrokerConnector): Promise<ClusterClient> {
    return ClusterClient.connect({
      bootstrapServers: this.settings.bootstrapServers(),
      clientId: this.settings.clientId,
      connector,
      requestTimeoutMs: this.settings.requestTimeoutMs,
    });
  }
}

/** The session id in a Cookie header, or null. */
export function sessionIdOf(cookieHeader: string | undefined): string | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=') || null;
  }
  return null;
}

export function sessionCookie(id: string, maxAgeMs: number): string {
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(maxAgeMs / 1000)}`;
}

export const clearedCookie = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
