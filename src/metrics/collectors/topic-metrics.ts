// kafka.server:type=BrokerTopicMetrics as the JMX exporter's Kafka rules name them: one counter
// family per meter (kafka_server_brokertopicmetrics_<name>_total), a sample per topic (label topic)
// and one for all topics (no label), as Kafka registers both MBeans.

import { Registry } from 'prom-client';
import { TopicCount, TopicStats } from '../topic-stats';
import { Sample, counter } from './define';

const METERS: readonly [string, TopicCount, string][] = [
  ['messagesin', 'messagesIn', 'MessagesInPerSec: records appended'],
  ['bytesin', 'bytesIn', 'BytesInPerSec: bytes appended by producers'],
  ['bytesout', 'bytesOut', 'BytesOutPerSec: bytes sent to consumers'],
  ['bytesrejected', 'bytesRejected', 'BytesRejectedPerSec: bytes of produce requests refused by validation'],
  ['totalproducerequests', 'totalProduceRequests', 'TotalProduceRequestsPerSec: partitions of produce requests'],
  ['failedproducerequests', 'failedProduceRequests', 'FailedProduceRequestsPerSec: partitions of produce requests that failed'],
  ['totalfetchrequests', 'totalFetchRequests', 'TotalFetchRequestsPerSec: partitions of fetch requests'],
  ['failedfetchrequests', 'failedFetchRequests', 'FailedFetchRequestsPerSec: partitions of fetch requests that failed'],
];

export function registerTopicMetrics(registry: Registry, stats: TopicStats): void {
  for (const [name, field, help] of METERS) {
    counter(registry, `kafka_server_brokertopicmetrics_${name}_total`, help, ['topic'], function* (): Iterable<Sample> {
      yield [{}, stats.all[field]];
      for (const [topic, counts] of stats.topics()) yield [{ topic }, counts[field]];
    });
  }
  counter(registry, 'kafka_server_brokertopicmetrics_replicationbytesout_total', 'ReplicationBytesOutPerSec: bytes sent to followers', [], () => [
    [{}, stats.all.replicationBytesOut],
  ]);
}
