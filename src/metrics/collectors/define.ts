// Metrics whose values are read from the broker when Prometheus scrapes, never kept up to date on
// the request path: each collect() clears the family and sets every sample anew.

import { Counter, Gauge, Registry } from 'prom-client';

export type Labels = Record<string, string | number>;
export type Sample = readonly [Labels, number];

export function gauge(registry: Registry, name: string, help: string, labelNames: readonly string[], samples: () => Iterable<Sample>): void {
  new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, value] of samples()) this.set(labels, value);
    },
  });
}

/** A counter whose running total the broker keeps: each scrape reports it as it is. */
export function counter(registry: Registry, name: string, help: string, labelNames: readonly string[], samples: () => Iterable<Sample>): void {
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, value] of samples()) this.inc(labels, value);
    },
  });
}
