// Who may use the control plane. Without security (only PLAINTEXT listeners and no authorizer),
// anyone on this machine may: the listener is loopback-only. With security on, only a super user
// may: the caller sends HTTP Basic credentials, which are checked by a real SASL authentication
// against this broker's own SASL listener (so PLAIN, SCRAM and their stores behave exactly as for
// Kafka clients), and the principal User:<name> must be in super.users. Without a SASL listener
// there is no way to check a caller, and every request is refused: security fails closed.

import { createHash } from 'node:crypto';
import { ClusterClient, refusedCredentials } from '../../client/cluster-client';
import { securedConnector } from '../../client/broker-connector';
import { SASL_CLIENT_MECHANISMS, SaslMechanism } from '../../client/sasl-client';
import { ApiError } from '../../console/api-error';

/** A successful check is trusted this long, so a script's calls cost one SASL exchange, not one each. */
const VERIFIED_FOR_MS = 60_000;

export interface SaslEndpoint {
  /** host:port of one of this broker's SASL listeners, once bound. */
  address(): string;
  tls: boolean;
  /** The listener's enabled mechanisms, the first being used when the caller names none. */
  mechanisms: readonly string[];
}

export interface GateSettings {
  secured: boolean;
  superUsers: ReadonlySet<string>;
  sasl: SaslEndpoint | null;
}

export class SuperUserGate {
  private readonly verified = new Map<string, number>();

  constructor(private readonly settings: GateSettings) {}

  /** Resolves when the caller may go on; a 401 or 403 ApiError otherwise. */
  async admit(authorization: string | undefined, mechanismHeader: string | undefined): Promise<void> {
    if (!this.settings.secured) return;
    const { sasl, superUsers } = this.settings;
    if (sasl === null) throw new ApiError(403, 'Security is on and this broker has no SASL listener to check a super user against: the control plane is disabled');
    const credentials = basicCredentials(authorization);
    if (credentials === null) throw new ApiError(401, 'Security is on: send a super user\'s credentials (HTTP Basic)');
    const mechanism = mechanismHeader ?? sasl.mechanisms.find((m) => SASL_CLIENT_MECHANISMS.includes(m));
    if (mechanism === undefined || !SASL_CLIENT_MECHANISMS.includes(mechanism) || !sasl.mechanisms.includes(mechanism)) {
      throw new ApiError(401, `No usable SASL mechanism: the listener enables ${sasl.mechanisms.join(', ')}`);
    }
    if (!superUsers.has(`User:${credentials.username}`)) throw new ApiError(403, `User:${credentials.username} is not a super user`);
    const key = createHash('sha256').update(`${mechanism}\0${credentials.username}\0${credentials.password}`).digest('base64');
    const until = this.verified.get(key);
    if (until !== undefined && until > Date.now()) return;
    await this.authenticate(sasl, mechanism as SaslMechanism, credentials.username, credentials.password);
    this.verified.set(key, Date.now() + VERIFIED_FOR_MS);
  }

  private async authenticate(sasl: SaslEndpoint, mechanism: SaslMechanism, username: string, password: string): Promise<void> {
    // The broker's own loopback listener: its certificate is not what is being checked here.
    const tls = sasl.tls ? { rejectUnauthorized: false } : undefined;
    let address: string;
    try {
      address = sasl.address();
    } catch (err) {
      throw new ApiError(503, `Cannot check credentials now: ${(err as Error).message}`);
    }
    let client: ClusterClient;
    try {
      client = await ClusterClient.connect({
        bootstrapServers: address,
        clientId: 'kafka-ts-control-plane',
        connector: securedConnector(tls, { mechanism, username, password, tokenAuth: false }),
        requestTimeoutMs: 10_000,
      });
    } catch (err) {
      if (refusedCredentials(err)) throw new ApiError(401, 'The broker refused these credentials');
      throw new ApiError(503, `Cannot check credentials now: ${(err as Error).message}`);
    }
    client.close();
  }
}

function basicCredentials(header: string | undefined): { username: string; password: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return null;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0) return null;
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}
