// Kafka's per-IP connection creation rate (ConnectionQuotas, KIP-612): each new connection from an
// address with a connection_creation_rate (its own or the ips/<default> one) is recorded on that
// address's rate sensor; over the rate, the connection is throttled for the time the rate needs to
// come back under it, at most one quota window, and the acceptor then closes it unread.

import { QuotaWindow, RateSensor } from './rate-sensor';

const IDLE_EXPIRY_MS = 3_600_000;

export class ConnectionQuotas {
  private readonly rates = new Map<string, number>();
  private defaultRate: number | null = null;
  private readonly sensors = new Map<string, RateSensor>();
  private lastSweepMs = 0;

  constructor(private readonly window: () => QuotaWindow) {}

  /** updateIpConnectionRateQuota: ip null for the default; rate null removes it. Sensors keep their samples. */
  setRate(ip: string | null, rate: number | null): void {
    if (ip === null) this.defaultRate = rate;
    else if (rate === null) this.rates.delete(ip);
    else this.rates.set(ip, rate);
  }

  rateOf(ip: string): number | null {
    return this.rates.get(ip) ?? this.defaultRate;
  }

  /** Records a connection from `ip`; the time to hold it before closing it, 0 to accept it. */
  recordConnection(ip: string, now: number): number {
    const rate = this.rateOf(ip);
    if (rate === null) return 0;
    if (now - this.lastSweepMs >= IDLE_EXPIRY_MS) {
      this.lastSweepMs = now;
      for (const [key, sensor] of this.sensors) if (now - sensor.lastRecordMs >= IDLE_EXPIRY_MS) this.sensors.delete(key);
    }
    let sensor = this.sensors.get(ip);
    if (!sensor) this.sensors.set(ip, (sensor = new RateSensor(this.window)));
    return Math.min(sensor.recordAndThrottle(1, rate, now), this.window().windowMs);
  }
}
