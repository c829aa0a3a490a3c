// kafka.network:type=RequestMetrics as the JMX exporter's Kafka rules name them:
// kafka_network_requestmetrics_requests_total{request,version} (RequestsPerSec), and for each
// request time a percentile gauge kafka_network_requestmetrics_<time>{request,quantile} with a
// kafka_network_requestmetrics_<time>_count counter (the rules export a histogram's Count and
// NNthPercentile attributes, no sum).

import { Registry } from 'prom-client';
import { REQUEST_TIMES, RequestStats, requestName } from '../request-stats';
import { Sample, counter, gauge } from './define';

/** Yammer's percentile attributes, labelled as the rules write them ("0.$N" of NNthPercentile). */
const PERCENTILES: readonly [number, string][] = [
  [0.5, '0.50'],
  [0.75, '0.75'],
  [0.95, '0.95'],
  [0.98, '0.98'],
  [0.99, '0.99'],
  [0.999, '0.999'],
];

export function registerRequestMetrics(registry: Registry, stats: RequestStats): void {
  counter(registry, 'kafka_network_requestmetrics_requests_total', 'RequestsPerSec: requests by type and version', ['request', 'version'], () =>
    stats.requestCounts().map(([type, version, count]): Sample => [{ request: requestName(type), version }, count]),
  );
  REQUEST_TIMES.forEach((time, i) => {
    const name = `kafka_network_requestmetrics_${time.toLowerCase()}`;
    gauge(registry, name, `${time}: percentiles over the last one to two minutes`, ['request', 'quantile'], function* (): Iterable<Sample> {
      const now = performance.now();
      for (const [type, times] of stats.requestTimes()) {
        const values = times[i].quantiles(
          PERCENTILES.map(([q]) => q),
          now,
        );
        for (let j = 0; j < PERCENTILES.length; j++) yield [{ request: requestName(type), quantile: PERCENTILES[j][1] }, values[j]];
      }
    });
    counter(registry, `${name}_count`, `${time}: requests timed`, ['request'], () =>
      stats.requestTimes().map(([type, times]): Sample => [{ request: requestName(type) }, times[i].count]),
    );
  });
}
