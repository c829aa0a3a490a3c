// What the broker counts on its request path for the metrics: topic traffic and request times.
// Counted whether or not a metrics listener serves them, as Kafka always keeps its metrics.

import { RequestStats } from './request-stats';
import { TopicStats } from './topic-stats';

export class BrokerStats {
  readonly topics = new TopicStats();
  readonly requests = new RequestStats();
}
