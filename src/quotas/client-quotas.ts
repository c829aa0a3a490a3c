// The quota service: Kafka's QuotaManagers (produce and fetch byte rates, request percentage, and
// the per-IP connection creation rate) fed from the users, clients and ips entity configs, which it
// re-reads when a change notification names them (DynamicConfigManager with ClientIdConfigHandler,
// UserConfigHandler and IpConfigHandler), and the DescribeClientQuotas/AlterClientQuotas admin.
// controller_mutation_rate is stored and described but not enforced.

import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { BrokerConfig } from '../config';
import { DEFAULT_ENTITY, EntityConfigView } from '../cluster/entity-configs';
import { ClientQuotaManager, DEFAULT_PART, EntityPart } from './client-quota-manager';
import { ConnectionQuotas } from './connection-quotas';
import { CONNECTION_CREATION_RATE, CONSUMER_BYTE_RATE, PRODUCER_BYTE_RATE, REQUEST_PERCENTAGE } from './quota-configs';
import { QuotaAdmin, QuotaEntityPart, QuotaEntry, QuotaFilterComponent, QuotaOp } from './quota-admin';
import { QuotaWindow } from './rate-sensor';
import { desanitize } from './sanitizer';

/** What handlers and the request path see. Users are principal names ("User:alice" is alice). */
export interface ClientQuotas {
  describe(components: readonly QuotaFilterComponent[], strict: boolean): QuotaEntry[];
  alter(entity: readonly QuotaEntityPart[], ops: readonly QuotaOp[], validateOnly: boolean): Promise<void>;
  /** A produce request of `bytes`: the throttle time in ms, 0 within the quota. */
  recordProduce(principal: string, clientId: string | null, bytes: number, now: number): number;
  /** Whether any consumer_byte_rate is set: only then is a fetch response measured. */
  readonly fetchQuotaEnabled: boolean;
  recordFetch(principal: string, clientId: string | null, bytes: number, now: number): number;
  /** A throttled fetch is answered empty: its bytes are taken back. */
  unrecordFetch(principal: string, clientId: string | null, bytes: number, now: number): void;
  /** The most a fetch may return under the consumer quota (the whole quota window's worth). */
  maxFetchBytes(principal: string, clientId: string | null): number;
  /** Handler time of a request as a percentage of a second: the throttle time, at most one window. */
  recordRequest(principal: string, clientId: string | null, handlerNanos: number, now: number): number;
}

/** ClientRequestQuotaManager's nanosToPercentage. */
const PERCENT_PER_NANO = 100 / 1e9;

const userOf = (principal: string): string => principal.slice(principal.indexOf(':') + 1);

export class QuotaService implements ClientQuotas {
  readonly produce: ClientQuotaManager;
  readonly fetch: ClientQuotaManager;
  readonly request: ClientQuotaManager;
  readonly connections: ConnectionQuotas;
  private readonly admin: QuotaAdmin;

  constructor(
    config: Pick<BrokerConfig, 'quotaWindowNum' | 'quotaWindowSizeSeconds'>,
    private readonly entities: EntityConfigView,
    store: (entityPath: string, configs: Record<string, string>) => Promise<void>,
    private readonly warn: (line: string) => void,
    resolvable: (host: string) => Promise<boolean> = resolves,
  ) {
    const window = (): QuotaWindow => ({ samples: config.quotaWindowNum, windowMs: config.quotaWindowSizeSeconds * 1000 });
    this.produce = new ClientQuotaManager(window);
    this.fetch = new ClientQuotaManager(window);
    this.request = new ClientQuotaManager(window, () => window().windowMs);
    this.connections = new ConnectionQuotas(window);
    this.admin = new QuotaAdmin(entities, store, resolvable);
    this.apply([...entities.list('users/'), ...entities.list('clients/'), ...entities.list('ips/')]);
  }

  /** Takes the changed entities' configs; paths of other entities (brokers) are ignored. */
  apply(entityPaths: readonly string[]): void {
    for (const path of entityPaths) {
      const parts = path.split('/');
      const configs = this.entities.get(path);
      if (parts[0] === 'ips' && parts.length === 2) this.applyIp(parts[1], configs);
      else if (parts[0] === 'users' && parts.length === 2) this.applyUserClient(partOf(parts[1]), undefined, configs, path);
      else if (parts[0] === 'users' && parts.length === 4 && parts[2] === 'clients') this.applyUserClient(partOf(parts[1]), partOf(parts[3]), configs, path);
      else if (parts[0] === 'clients' && parts.length === 2) this.applyUserClient(undefined, partOf(parts[1]), configs, path);
    }
  }

  describe(components: readonly QuotaFilterComponent[], strict: boolean): QuotaEntry[] {
    return this.admin.describe(components, strict);
  }

  alter(entity: readonly QuotaEntityPart[], ops: readonly QuotaOp[], validateOnly: boolean): Promise<void> {
    return this.admin.alter(entity, ops, validateOnly);
  }

  // Every request passes here: with no quota of the kind set, nothing is worked out.
  recordProduce(principal: string, clientId: string | null, bytes: number, now: number): number {
    return this.produce.enabled ? this.produce.record(userOf(principal), clientId ?? '', bytes, now) : 0;
  }

  get fetchQuotaEnabled(): boolean {
    return this.fetch.enabled;
  }

  recordFetch(principal: string, clientId: string | null, bytes: number, now: number): number {
    return this.fetch.record(userOf(principal), clientId ?? '', bytes, now);
  }

  unrecordFetch(principal: string, clientId: string | null, bytes: number, now: number): void {
    this.fetch.unrecord(userOf(principal), clientId ?? '', bytes, now);
  }

  maxFetchBytes(principal: string, clientId: string | null): number {
    return this.fetch.maxValueInWindow(userOf(principal), clientId ?? '');
  }

  recordRequest(principal: string, clientId: string | null, handlerNanos: number, now: number): number {
    return this.request.enabled ? this.request.record(userOf(principal), clientId ?? '', handlerNanos * PERCENT_PER_NANO, now) : 0;
  }

  /** QuotaConfigHandler.updateQuotaConfig: each type's quota set or removed with the entity's configs. */
  private applyUserClient(user: EntityPart, client: EntityPart, configs: Readonly<Record<string, string>>, path: string): void {
    const read = (key: string, whole: boolean): number | null => {
      const raw = configs[key];
      if (raw === undefined) return null;
      const value = Number(raw);
      if (raw.trim() === '' || Number.isNaN(value) || (whole && !Number.isInteger(value))) {
        this.warn(`Ignoring ${key}=${raw} of ${path}: not a ${whole ? 'long' : 'double'}`);
        return null;
      }
      return value;
    };
    this.produce.setQuota(user, client, read(PRODUCER_BYTE_RATE, true));
    this.fetch.setQuota(user, client, read(CONSUMER_BYTE_RATE, true));
    this.request.setQuota(user, client, read(REQUEST_PERCENTAGE, false));
  }

  /** IpConfigHandler. */
  private applyIp(name: string, configs: Readonly<Record<string, string>>): void {
    const raw = configs[CONNECTION_CREATION_RATE];
    const rate = raw === undefined ? null : Number(raw);
    if (rate !== null && !Number.isInteger(rate)) {
      this.warn(`Ignoring ${CONNECTION_CREATION_RATE}=${raw} of ips/${name}: not an int`);
      return;
    }
    this.connections.setRate(name === DEFAULT_ENTITY ? null : desanitize(name), rate);
  }
}

function partOf(sanitized: string): EntityPart {
  return sanitized === DEFAULT_ENTITY ? DEFAULT_PART : { name: desanitize(sanitized) };
}

/** InetAddress.getByName: an address literal, or a host name that resolves. */
async function resolves(host: string): Promise<boolean> {
  if (isIP(host) !== 0) return true;
  try {
    await lookup(host);
    return true;
  } catch {
    return false;
  }
}
