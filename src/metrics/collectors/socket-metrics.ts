// The socket server's selector metrics (kafka.server:type=socket-server-metrics) and the idle
// percentages of Kafka's network and request handler threads, as the JMX exporter's Kafka rules
// name them. One event loop does both jobs here, so both idle percentages are the event loop's idle
// share (1 − event-loop utilisation) since the previous scrape. The connection creation rate is
// likewise per second since the previous scrape.

import { performance } from 'node:perf_hooks';
import { Registry } from 'prom-client';
import { ConnectionsView } from '../views';
import { Sample, counter, gauge } from './define';

/** Kafka's selector labels: one event loop stands for the single network processor. */
const PROCESSOR = '0';

export function registerSocketMetrics(registry: Registry, connections: ConnectionsView): void {
  const selector = (l: { listener: string }) => ({ listener: l.listener, networkProcessor: PROCESSOR });
  const labels = ['listener', 'networkProcessor'];
  gauge(registry, 'kafka_server_socket_server_metrics_connection_count', 'connection-count: open connections', labels, () =>
    connections.connections().map((l): Sample => [selector(l), l.open]),
  );
  counter(registry, 'kafka_server_socket_server_metrics_connection_creation_total', 'connection-creation-total: connections accepted', labels, () =>
    connections.connections().map((l): Sample => [selector(l), l.created]),
  );
  const rates = new SinceLastScrape<string>();
  gauge(registry, 'kafka_server_socket_server_metrics_connection_creation_rate', 'connection-creation-rate: connections accepted per second', labels, () =>
    connections.connections().map((l): Sample => [selector(l), rates.rate(l.listener, l.created)]),
  );

  let last = performance.eventLoopUtilization();
  let idle = 1;
  const idleShare = () => {
    const now = performance.eventLoopUtilization();
    const elu = performance.eventLoopUtilization(now, last);
    // Scrapes close together (two gauges of one scrape) share the last figure.
    if (elu.active + elu.idle >= 100) {
      idle = 1 - elu.utilization;
      last = now;
    }
    return idle;
  };
  gauge(registry, 'kafka_network_socketserver_networkprocessoravgidle_percent', 'NetworkProcessorAvgIdlePercent: the event loop idle share', [], () => [
    [{}, idleShare()],
  ]);
  gauge(registry, 'kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent', 'RequestHandlerAvgIdlePercent: the event loop idle share', [], () => [
    [{}, idleShare()],
  ]);
}

/** Per-second rates of running totals between scrapes. */
class SinceLastScrape<K> {
  private readonly last = new Map<K, { at: number; total: number; rate: number }>();
  private readonly started = performance.now();

  rate(key: K, total: number): number {
    const now = performance.now();
    const prev = this.last.get(key) ?? { at: this.started, total: 0, rate: 0 };
    const seconds = (now - prev.at) / 1000;
    if (seconds < 1) return prev.rate;
    const rate = (total - prev.total) / seconds;
    this.last.set(key, { at: now, total, rate });
    return rate;
  }
}
