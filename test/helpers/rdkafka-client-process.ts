// A librdkafka producer and consumer (node-rdkafka) of one partition, run as their own process:
// librdkafka's native callbacks must not outlive a jest environment. The producer is idempotent
// (acks=all) with delivery reports; the consumer reads partition 0 from offset 0. Commands come as
// JSON lines on stdin ({"produce": ["v1", "v2"]}); events go out as JSON lines on stdout: "ready",
// each record's delivery or failure, each record consumed, and the client errors librdkafka reports
// (a broker going down among them). Both disconnect and the process exits when stdin closes.
// Usage: node rdkafka-client-process.js BOOTSTRAP TOPIC

import { createInterface } from 'node:readline';
import { KafkaConsumer, LibrdKafkaError, Message, Producer } from 'node-rdkafka';

export type RdkafkaEvent =
  | { ready: true }
  | { delivered: string; offset: number }
  | { failed: string; error: string }
  | { consumed: string; offset: number }
  | { error: number; message: string };

export interface RdkafkaCommand {
  produce: string[];
}

const [bootstrap, topic] = process.argv.slice(2);
const emit = (event: RdkafkaEvent) => process.stdout.write(`${JSON.stringify(event)}\n`);
const reportError = (err: LibrdKafkaError) => emit({ error: err.code, message: err.message });
// Reconnect and refresh metadata quickly, so that a broker's return or a new leader is seen soon.
const reconnect = { 'reconnect.backoff.ms': 50, 'reconnect.backoff.max.ms': 500, 'retry.backoff.ms': 50, 'retry.backoff.max.ms': 500 };

const producer = new Producer({
  'bootstrap.servers': bootstrap,
  'enable.idempotence': true,
  dr_msg_cb: true,
  'linger.ms': 5,
  ...reconnect,
}, { 'request.required.acks': -1, 'message.timeout.ms': 60_000 });
const consumer = new KafkaConsumer(
  { 'bootstrap.servers': bootstrap, 'group.id': `${topic}-readers`, 'enable.auto.commit': false, 'fetch.wait.max.ms': 100, ...reconnect },
  { 'auto.offset.reset': 'earliest' },
);

producer.on('delivery-report', (err, report) => {
  const value = report.value!.toString();
  emit(err ? { failed: value, error: err.message } : { delivered: value, offset: report.offset });
});
producer.on('event.error', reportError);
consumer.on('event.error', reportError);
consumer.on('data', (m: Message) => emit({ consumed: m.value!.toString(), offset: m.offset }));

function connected(client: Producer | KafkaConsumer): Promise<void> {
  return new Promise((resolve, reject) => client.connect({ timeout: 20_000 }, (err) => (err ? reject(err) : resolve())));
}

function disconnected(client: Producer | KafkaConsumer): Promise<void> {
  return new Promise((resolve) => client.disconnect(() => resolve()));
}

async function main(): Promise<void> {
  await Promise.all([connected(producer), connected(consumer)]);
  producer.setPollInterval(20);
  consumer.assign([{ topic, partition: 0, offset: 0 }]);
  consumer.consume();
  emit({ ready: true });
  const commands = createInterface({ input: process.stdin });
  commands.on('line', (line) => {
    for (const value of (JSON.parse(line) as RdkafkaCommand).produce) producer.produce(topic, 0, Buffer.from(value), null);
  });
  commands.on('close', () => void Promise.all([disconnected(producer), disconnected(consumer)]).then(() => process.exit(0)));
}

main().catch((err: Error) => {
  process.stderr.write(`rdkafka client failed: ${err.message}\n`);
  process.exit(1);
});
