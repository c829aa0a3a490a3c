// The Prometheus registry of a broker: every collector over the broker's counts and views, and
// Node's process metrics (prom-client's defaults: event-loop lag, heap, GC, open fds).

import { Registry, collectDefaultMetrics } from 'prom-client';
import { BrokerStats } from './broker-stats';
import { registerControllerMetrics } from './collectors/controller-metrics';
import { registerExporterTopicMetrics } from './collectors/exporter-topic-metrics';
import { registerGroupMetrics } from './collectors/group-metrics';
import { registerReplicaMetrics } from './collectors/replica-metrics';
import { registerRequestMetrics } from './collectors/request-metrics';
import { registerServerMetrics } from './collectors/server-metrics';
import { registerSocketMetrics } from './collectors/socket-metrics';
import { registerTopicMetrics } from './collectors/topic-metrics';
import { registerZookeeperMetrics } from './collectors/zookeeper-metrics';
import { BrokerViews } from './views';

export interface RegistryOptions {
  /** Node's process metrics: they start an event-loop delay monitor and a GC observer. */
  processMetrics: boolean;
}

export function brokerRegistry(stats: BrokerStats, views: BrokerViews, options: RegistryOptions): Registry {
  const registry = new Registry();
  registerTopicMetrics(registry, stats.topics);
  registerRequestMetrics(registry, stats.requests);
  registerReplicaMetrics(registry, views.cluster, views.logs, views.events);
  registerControllerMetrics(registry, views.cluster, views.events);
  registerGroupMetrics(registry, views.groups, views.logs);
  registerExporterTopicMetrics(registry, views.cluster, views.logs);
  registerSocketMetrics(registry, views.connections);
  registerServerMetrics(registry);
  if (views.zookeeper) registerZookeeperMetrics(registry, views.zookeeper);
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  return registry;
}
