// Throughput for the overview's charts, from the brokers' Prometheus endpoints (kafka-ts's
// kafkats.metrics.listener, or a JMX exporter in front of Kafka): the counters
// kafka_server_brokertopicmetrics_bytesin_total / _bytesout_total, per topic and for all topics,
// turned into rates between two scrapes. The first call scrapes twice, a second apart.

export interface MetricsEndpoint {
  url: string;
  /** The broker it belongs to; without one, its position in the list. */
  brokerId?: number;
}

interface Scrape {
  at: number;
  /** Counters by topic ('' for all topics). */
  bytesIn: Map<string, number>;
  bytesOut: Map<string, number>;
}

export interface ThroughputView {
  at: number;
  brokers: { id: number; bytesInPerSec: number; bytesOutPerSec: number }[];
  topics: { name: string; bytesInPerSec: number; bytesOutPerSec: number }[];
}

const FIRST_INTERVAL_MS = 1000;
const SAMPLE = /^kafka_server_brokertopicmetrics_(bytesin|bytesout)_total(?:\{([^}]*)\})?\s+(\S+)/;

/** The byte counters of one scrape's text (Prometheus exposition format). */
export function parseCounters(text: string, at: number): Scrape {
  const scrape: Scrape = { at, bytesIn: new Map(), bytesOut: new Map() };
  for (const line of text.split('\n')) {
    const m = SAMPLE.exec(line);
    if (!m) continue;
    const topic = /(?:^|,)topic="((?:[^"\\]|\\.)*)"/.exec(m[2] ?? '')?.[1] ?? '';
    (m[1] === 'bytesin' ? scrape.bytesIn : scrape.bytesOut).set(topic, Number(m[3]));
  }
  return scrape;
}

export class ThroughputSource {
  private readonly last = new Map<string, Scrape>();

  constructor(private readonly endpoints: () => readonly MetricsEndpoint[]) {}

  get available(): boolean {
    return this.endpoints().length > 0;
  }

  async rates(): Promise<ThroughputView> {
    const endpoints = this.endpoints();
    if (endpoints.some((e) => !this.last.has(e.url))) {
      await Promise.all(endpoints.map((e) => this.scrape(e.url)));
      await new Promise((r) => setTimeout(r, FIRST_INTERVAL_MS));
    }
    const brokers: ThroughputView['brokers'] = [];
    const topics = new Map<string, { bytesInPerSec: number; bytesOutPerSec: number }>();
    await Promise.all(
      endpoints.map(async (e, i) => {
        const before = this.last.get(e.url)!;
        const now = await this.scrape(e.url);
        const seconds = Math.max(0.001, (now.at - before.at) / 1000);
        const rate = (a: Map<string, number>, b: Map<string, number>, topic: string) => Math.max(0, ((a.get(topic) ?? 0) - (b.get(topic) ?? 0)) / seconds);
        brokers.push({ id: e.brokerId ?? i, bytesInPerSec: rate(now.bytesIn, before.bytesIn, ''), bytesOutPerSec: rate(now.bytesOut, before.bytesOut, '') });
        for (const topic of new Set([...now.bytesIn.keys(), ...now.bytesOut.keys()])) {
          if (topic === '') continue;
          const t = topics.get(topic) ?? { bytesInPerSec: 0, bytesOutPerSec: 0 };
          t.bytesInPerSec += rate(now.bytesIn, before.bytesIn, topic);
          t.bytesOutPerSec += rate(now.bytesOut, before.bytesOut, topic);
          topics.set(topic, t);
        }
      }),
    );
    return {
      at: Date.now(),
      brokers: brokers.sort((a, b) => a.id - b.id),
      topics: [...topics].map(([name, t]) => ({ name, ...t })).sort((a, b) => a.name.localeCompare(b.name)),
    };
  }

  private async scrape(url: string): Promise<Scrape> {
    let text: string;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      text = await res.text();
    } catch (err) {
      throw new ThroughputError(`Cannot scrape ${url}: ${(err as Error).message}`);
    }
    const scrape = parseCounters(text, Date.now());
    this.last.set(url, scrape);
    return scrape;
  }
}

export class ThroughputError extends Error {}
