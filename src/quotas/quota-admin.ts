// DescribeClientQuotas and AlterClientQuotas as ZooKeeper-mode Kafka answers them (ZkAdminManager):
// quotas are entity configs under users/<user>, users/<user>/clients/<client-id>, clients/<client-id>
// and ips/<ip>, names sanitized, <default> for the default entity. The checks, their order and
// their messages are Kafka's; Kafka's internal failures (a STRING key, a bad match type) are
// UNKNOWN_SERVER_ERROR as there. Kafka's whole-number check adds 1e-6 and truncates toward zero,
// so it refuses negative whole numbers: so does this.

import { ErrorCode, KafkaError } from '../../protocol';
import { DEFAULT_ENTITY, EntityConfigView } from '../cluster/entity-configs';
import { CLIENT_KEYS, IP_KEYS, QuotaKeyType, USER_KEYS, isClientOrUserQuotaKey, javaDouble } from './quota-configs';
import { desanitize, sanitize } from './sanitizer';

export const USER = 'user';
export const CLIENT_ID = 'client-id';
export const IP = 'ip';

export const MATCH_EXACT = 0;
export const MATCH_DEFAULT = 1;
export const MATCH_SPECIFIED = 2;

export interface QuotaFilterComponent {
  entityType: string;
  matchType: number;
  match: string | null;
}

/** One part of an entity: a name, or null for the default entity. */
export interface QuotaEntityPart {
  entityType: string;
  entityName: string | null;
}

export interface QuotaEntry {
  entity: QuotaEntityPart[];
  values: { key: string; value: number }[];
}

/** A value, or null to remove the key. */
export interface QuotaOp {
  key: string;
  value: number | null;
}

/** A filter component's match: a name, null for the default entity, undefined for any specified one. */
type Match = string | null | undefined;
/** A name found in the store: a name, or null for <default>. */
type Found = string | null;
/** An entity's user or client part: absent (undefined), default (null) or a name. */
type Part = string | null | undefined;

const invalid = (message: string) => new KafkaError(ErrorCode.INVALID_REQUEST, message);
const internal = (message: string) => new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, message);

const sanitizeName = (name: string | null): string => (name === null ? DEFAULT_ENTITY : sanitize(name));
const desanitizeName = (name: string): Found => (name === DEFAULT_ENTITY ? null : desanitize(name));

export class QuotaAdmin {
  constructor(
    private readonly entities: EntityConfigView,
    private readonly store: (entityPath: string, configs: Record<string, string>) => Promise<void>,
    /** InetAddress.getByName succeeds: an address, or a name that resolves. */
    private readonly resolvable: (host: string) => Promise<boolean>,
  ) {}

  /** ZkAdminManager.describeClientQuotas: KafkaError on a filter Kafka refuses. */
  describe(components: readonly QuotaFilterComponent[], strict: boolean): QuotaEntry[] {
    // DescribeClientQuotasRequest.filter() first: an unknown match type or an exact match of null fail there.
    for (const c of components) {
      if (c.matchType !== MATCH_EXACT && c.matchType !== MATCH_DEFAULT && c.matchType !== MATCH_SPECIFIED) throw internal(`Unexpected match type: ${c.matchType}`);
      if (c.matchType === MATCH_EXACT && c.match === null) throw internal('entityName');
    }
    const byType = new Map<string, QuotaFilterComponent>();
    for (const c of components) {
      const name = c.entityType === CLIENT_ID ? 'client' : c.entityType;
      if (c.entityType === USER || c.entityType === CLIENT_ID || c.entityType === IP) {
        if (byType.has(c.entityType)) throw invalid(`Duplicate ${name} filter component entity type`);
        byType.set(c.entityType, c);
      } else if (c.entityType === '') {
        throw invalid('Unexpected empty filter component entity type');
      } else {
        throw new KafkaError(ErrorCode.UNSUPPORTED_VERSION, `Custom entity type '${c.entityType}' not supported`);
      }
    }
    const user = byType.get(USER);
    const client = byType.get(CLIENT_ID);
    const ip = byType.get(IP);
    if ((user || client) && ip) {
      throw invalid('Invalid entity filter component combination, IP filter component should not be used with user or clientId filter component.');
    }
    const entries: QuotaEntry[] = [];
    if (!ip) entries.push(...this.describeUserClient(user, client, strict));
    if (!user && !client) entries.push(...this.describeIps(ip, strict));
    return entries;
  }

  /** ZkAdminManager.alterClientQuotas for one entity: KafkaError when Kafka refuses it. */
  async alter(entity: readonly QuotaEntityPart[], ops: readonly QuotaOp[], validateOnly: boolean): Promise<void> {
    const { path, keys } = await this.entityPath(entity);
    const configs: Record<string, string> = { ...this.entities.get(path) };
    for (const op of ops) {
      if (op.value === null) {
        delete configs[op.key];
        continue;
      }
      const type = keys[op.key];
      if (type === undefined) throw invalid(`Invalid configuration key ${op.key}`);
      configs[op.key] = quotaValue(op.key, op.value, type);
    }
    if (!validateOnly) await this.store(path, configs);
  }

  /** parseAndSanitizeQuotaEntity, then the entity's path and keys. */
  private async entityPath(entity: readonly QuotaEntityPart[]): Promise<{ path: string; keys: Readonly<Record<string, QuotaKeyType>> }> {
    if (entity.length === 0) throw invalid('Invalid empty client quota entity');
    let user: string | undefined;
    let client: string | undefined;
    let ip: string | undefined;
    for (const { entityType, entityName } of entity) {
      const sanitized = sanitizeName(entityName);
      if (entityType === USER) user = sanitized;
      else if (entityType === CLIENT_ID) client = sanitized;
      else if (entityType === IP) ip = sanitized;
      else throw invalid(`Unhandled client quota entity type: ${entityType}`);
      if (entityName === '') throw invalid(`Empty ${entityType} not supported`);
    }
    if (ip !== undefined) {
      if (user !== undefined || client !== undefined) throw invalid('Invalid quota entity combination, IP entity should not be used with user/client ID entity.');
      if (ip !== DEFAULT_ENTITY && !(await this.resolvable(ip))) throw invalid(`${ip} is not a valid IP or resolvable host.`);
      return { path: `ips/${ip}`, keys: IP_KEYS };
    }
    if (user !== undefined) return { path: client === undefined ? `users/${user}` : `users/${user}/clients/${client}`, keys: USER_KEYS };
    if (client !== undefined) return { path: `clients/${client}`, keys: CLIENT_KEYS };
    throw invalid('Invalid client quota entity');
  }

  /** handleDescribeClientQuotas: user, client-id and user/client-id entities the filter matches. */
  private describeUserClient(userComponent: QuotaFilterComponent | undefined, clientComponent: QuotaFilterComponent | undefined, strict: boolean): QuotaEntry[] {
    const user = matchOf(userComponent);
    const client = matchOf(clientComponent);
    const exactUser = userComponent !== undefined && user !== undefined;
    const exactClient = clientComponent !== undefined && client !== undefined;
    const excludeUser = strict && !userComponent;
    const excludeClient = strict && !clientComponent;
    const found: { user: Part; client: Part; configs: Readonly<Record<string, string>> }[] = [];
    const users = () => this.children('users/').filter((p) => !p.includes('/'));
    const userClients = () => this.children('users/').filter((p) => p.includes('/clients/'));

    if (exactUser && excludeClient) found.push({ user: user as Found, client: undefined, configs: this.entities.get(`users/${sanitizeName(user as Found)}`) });
    else if (!excludeUser && !exactClient) for (const n of users()) found.push({ user: desanitizeName(n), client: undefined, configs: this.entities.get(`users/${n}`) });

    if (excludeUser && exactClient) found.push({ user: undefined, client: client as Found, configs: this.entities.get(`clients/${sanitizeName(client as Found)}`) });
    else if (!exactUser && !excludeClient) for (const n of this.children('clients/')) found.push({ user: undefined, client: desanitizeName(n), configs: this.entities.get(`clients/${n}`) });

    if (exactUser && exactClient) {
      found.push({ user: user as Found, client: client as Found, configs: this.entities.get(`users/${sanitizeName(user as Found)}/clients/${sanitizeName(client as Found)}`) });
    } else if (!excludeUser && !excludeClient) {
      for (const p of userClients()) {
        const [u, , c] = p.split('/');
        found.push({ user: desanitizeName(u), client: desanitizeName(c), configs: this.entities.get(`users/${p}`) });
      }
    }

    const matches = (component: QuotaFilterComponent | undefined, part: Part): boolean => {
      if (!component) return part === undefined || !strict;
      const match = matchOf(component);
      return match === undefined ? part !== undefined : part === match;
    };
    const entries: QuotaEntry[] = [];
    for (const f of found) {
      const values = quotaValues(f.configs, isClientOrUserQuotaKey);
      if (values.length === 0 || !matches(userComponent, f.user) || !matches(clientComponent, f.client)) continue;
      const entity: QuotaEntityPart[] = [];
      if (f.user !== undefined) entity.push({ entityType: USER, entityName: f.user });
      if (f.client !== undefined) entity.push({ entityType: CLIENT_ID, entityName: f.client });
      entries.push({ entity, values });
    }
    return entries;
  }

  /** handleDescribeIpQuotas. */
  private describeIps(component: QuotaFilterComponent | undefined, strict: boolean): QuotaEntry[] {
    const ip = matchOf(component);
    const found: { ip: Found; configs: Readonly<Record<string, string>> }[] = [];
    if (component && ip !== undefined) found.push({ ip, configs: this.entities.get(`ips/${sanitizeName(ip)}`) });
    else if (component || !strict) for (const n of this.children('ips/')) found.push({ ip: desanitizeName(n), configs: this.entities.get(`ips/${n}`) });
    const entries: QuotaEntry[] = [];
    for (const f of found) {
      const values = quotaValues(f.configs, (key) => key in IP_KEYS);
      if (values.length > 0) entries.push({ entity: [{ entityType: IP, entityName: f.ip }], values });
    }
    return entries;
  }

  /** Names under a type, the type prefix removed ("alice", "alice/clients/app"). */
  private children(prefix: string): string[] {
    return this.entities.list(prefix).map((p) => p.slice(prefix.length));
  }
}

function matchOf(component: QuotaFilterComponent | undefined): Match {
  if (!component || component.matchType === MATCH_SPECIFIED) return undefined;
  return component.matchType === MATCH_DEFAULT ? null : component.match;
}

/** The stored quota values the filter keeps, as doubles (a value that is not a number is Kafka's IllegalStateException). */
function quotaValues(configs: Readonly<Record<string, string>>, keep: (key: string) => boolean): { key: string; value: number }[] {
  const values: { key: string; value: number }[] = [];
  for (const [key, raw] of Object.entries(configs)) {
    if (!keep(key)) continue;
    const value = raw.trim() === '' ? NaN : Number(raw);
    if (Number.isNaN(value) && raw.trim() !== 'NaN') throw internal(`Unexpected client quota configuration value: ${key} -> ${raw}`);
    values.push({ key, value });
  }
  return values;
}

const EPSILON = 1e-6;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;

/** The stored string of a value: a DOUBLE as Java prints it, a LONG or INT only when the value is whole. */
function quotaValue(key: string, value: number, type: QuotaKeyType): string {
  if (type === 'DOUBLE') return javaDouble(value);
  if (type === 'STRING') throw internal(`Unexpected config type ${type}`);
  // Scala's Double.toLong / toInt: truncated toward zero, NaN as 0, saturated at the type's range.
  const shifted = value + EPSILON;
  const [min, max] = type === 'LONG' ? [LONG_MIN, LONG_MAX] : [INT_MIN, INT_MAX];
  const truncated = Number.isNaN(shifted) ? 0n : shifted >= Number(max) ? max : shifted <= Number(min) ? min : BigInt(Math.trunc(shifted));
  if (Math.abs(Number(truncated) - value) > EPSILON) throw invalid(`Configuration ${key} must be a ${type} value`);
  return truncated.toString();
}
