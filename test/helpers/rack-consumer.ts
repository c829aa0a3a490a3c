// A librdkafka consumer (node-rdkafka) with client.rack, run as its own process: librdkafka's
// native callbacks must not outlive a jest environment. It reads a partition from offset 0 and
// prints, as JSON lines, the records received so far and librdkafka's bytes received per broker
// id. It disconnects and exits when its stdin closes.
// Usage: node rack-consumer.js BOOTSTRAP TOPIC RACK
import { KafkaConsumer } from 'node-rdkafka';

const [bootstrap, topic, rack] = process.argv.slice(2);
let received = 0;
const consumer = new KafkaConsumer(
  {
    'metadata.broker.list': bootstrap,
    'group.id': `${topic}-readers`,
    'client.rack': rack,
    'enable.auto.commit': false,
    'statistics.interval.ms': 200,
    'fetch.wait.max.ms': 100,
  },
  { 'auto.offset.reset': 'earliest' },
);
consumer.on('event.stats', (e) => {
  const stats = JSON.parse(e.message) as { brokers: Record<string, { nodeid: number; rxbytes: number }> };
  const rxBytes: Record<number, number> = {};
  for (const b of Object.values(stats.brokers)) if (b.nodeid >= 0) rxBytes[b.nodeid] = b.rxbytes;
  process.stdout.write(`${JSON.stringify({ received, rxBytes })}\n`);
});
consumer.on('data', () => received++);
consumer.connect({ timeout: 20_000 }, (err) => {
  if (err) {
    process.stderr.write(`connect failed: ${err.message}\n`);
    process.exit(1);
  }
  consumer.assign([{ topic, partition: 0, offset: 0 }]);
  consumer.consume();
});
process.stdin.resume();
process.stdin.on('end', () => consumer.disconnect(() => process.exit(0)));
