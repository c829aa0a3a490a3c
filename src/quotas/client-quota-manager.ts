// Kafka's ClientQuotaManager for one quota type (produce bytes, fetch bytes, request percentage):
// the quotas set on <user, client-id> entities and one rate sensor per quota entity in use. A
// request's quota is the most specific of, in order:
//   /users/<user>/clients/<client-id>, /users/<user>/clients/<default>, /users/<user>,
//   /users/<default>/clients/<client-id>, /users/<default>/clients/<default>, /users/<default>,
//   /clients/<client-id>, /clients/<default>
// and clients sharing that entity share its sensor (all client ids of a user with a user quota).
// Without any quota nothing is recorded.

import { QuotaWindow, RateSensor } from './rate-sensor';

/** A part of a quota entity: absent, the <default> entity, or a name. */
export type EntityPart = undefined | typeof DEFAULT_PART | { name: string };
export const DEFAULT_PART = 'default' as const;

/** Sensors idle this long are dropped, as Kafka's expire after an hour. */
const SENSOR_EXPIRY_MS = 3_600_000;
const NO_LIMIT = Number.MAX_SAFE_INTEGER;

const CLIENT_ID_QUOTAS = 1;
const USER_QUOTAS = 2;
const USER_CLIENT_ID_QUOTAS = 4;

const partKey = (p: EntityPart): string => (p === undefined ? '-' : p === DEFAULT_PART ? '*' : `=${p.name}`);
const entityKey = (user: EntityPart, client: EntityPart): string => `${partKey(user)}\u0000${partKey(client)}`;

export class ClientQuotaManager {
  private readonly quotas = new Map<string, number>();
  private readonly sensors = new Map<string, RateSensor>();
  private typesEnabled = 0;
  private lastSweepMs = 0;

  constructor(
    private readonly window: () => QuotaWindow,
    /** ClientRequestQuotaManager bounds a throttle by one window; the byte-rate managers do not. */
    private readonly maxThrottleMs: () => number = () => Infinity,
  ) {}

  get enabled(): boolean {
    return this.typesEnabled !== 0;
  }

  /** ClientQuotaManager.updateQuota: sets (or with null removes) the quota of an entity. */
  setQuota(user: EntityPart, client: EntityPart, bound: number | null): void {
    const key = entityKey(user, client);
    if (bound === null) this.quotas.delete(key);
    else this.quotas.set(key, bound);
    this.typesEnabled = 0;
    for (const k of this.quotas.keys()) {
      const [u, c] = k.split('\u0000');
      this.typesEnabled |= u === '-' ? CLIENT_ID_QUOTAS : c === '-' ? USER_QUOTAS : USER_CLIENT_ID_QUOTAS;
    }
  }

  /** Records `value` for the user and client id; the throttle time in ms, 0 within the quota. */
  record(user: string, clientId: string, value: number, now: number): number {
    if (!this.enabled) return 0;
    const [tagUser, tagClient] = this.metricTags(user, clientId);
    const throttle = this.sensorOf(tagUser, tagClient, now).recordAndThrottle(value, this.limit(tagUser, tagClient), now);
    return Math.min(throttle, this.maxThrottleMs());
  }

  /** Takes back a recorded value (a fetch answered empty because it was throttled). */
  unrecord(user: string, clientId: string, value: number, now: number): void {
    if (!this.enabled) return;
    const [tagUser, tagClient] = this.metricTags(user, clientId);
    this.sensorOf(tagUser, tagClient, now).record(-value, now);
  }

  /** The bound that applies to the user and client id, NO_LIMIT when none does. */
  quotaOf(user: string, clientId: string): number {
    const [tagUser, tagClient] = this.metricTags(user, clientId);
    return this.limit(tagUser, tagClient);
  }

  /** The most the quota lets through in the whole window (getMaxValueInQuotaWindow). */
  maxValueInWindow(user: string, clientId: string): number {
    if (!this.enabled) return NO_LIMIT;
    const { samples, windowMs } = this.window();
    return this.quotaOf(user, clientId) * (samples - 1) * (windowMs / 1000);
  }

  /** DefaultQuotaCallback.quotaMetricTags: which (user, client id) the sensor is kept for ("" = not part of it). */
  metricTags(user: string, clientId: string): [string, string] {
    switch (this.typesEnabled) {
      case 0:
      case CLIENT_ID_QUOTAS:
        return ['', clientId];
      case USER_QUOTAS:
        return [user, ''];
      case USER_CLIENT_ID_QUOTAS:
        return [user, clientId];
    }
    const u = { name: user };
    const c = { name: clientId };
    if (this.has(u, c) || this.has(u, DEFAULT_PART)) return [user, clientId];
    if (this.has(u, undefined)) return [user, ''];
    if (this.has(DEFAULT_PART, c) || this.has(DEFAULT_PART, DEFAULT_PART)) return [user, clientId];
    if (this.has(DEFAULT_PART, undefined)) return [user, ''];
    return ['', clientId];
  }

  /** DefaultQuotaCallback.quotaLimit for a sensor's tags. */
  private limit(user: string, clientId: string): number {
    const u = { name: user };
    const c = { name: clientId };
    const order: [EntityPart, EntityPart][] =
      user && clientId
        ? [[u, c], [u, DEFAULT_PART], [DEFAULT_PART, c], [DEFAULT_PART, DEFAULT_PART]]
        : user
          ? [[u, undefined], [DEFAULT_PART, undefined]]
          : clientId
            ? [[undefined, c], [undefined, DEFAULT_PART]]
            : [];
    for (const [pu, pc] of order) {
      const bound = this.quotas.get(entityKey(pu, pc));
      if (bound !== undefined) return bound;
    }
    return NO_LIMIT;
  }

  private has(user: EntityPart, client: EntityPart): boolean {
    return this.quotas.has(entityKey(user, client));
  }

  private sensorOf(user: string, clientId: string, now: number): RateSensor {
    if (now - this.lastSweepMs >= SENSOR_EXPIRY_MS) {
      this.lastSweepMs = now;
      for (const [key, sensor] of this.sensors) if (now - sensor.lastRecordMs >= SENSOR_EXPIRY_MS) this.sensors.delete(key);
    }
    const key = `${user}\u0000${clientId}`;
    let sensor = this.sensors.get(key);
    if (!sensor) this.sensors.set(key, (sensor = new RateSensor(this.window)));
    return sensor;
  }
}
