// One kafkajs group member, run as its own process so a test can stop it cleanly (SIGTERM: leave
// the group) or crash it (SIGKILL). Prints one JSON line per event on stdout:
//   {"event":"assigned","partitions":[0,2]}   {"event":"record","partition":0,"offset":"5","value":"v5"}
// Usage: node kafkajs-member.js BOOTSTRAP GROUP TOPIC

import { Kafka, logLevel } from 'kafkajs';

const [bootstrap, groupId, topic] = process.argv.slice(2);
const print = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');

async function main(): Promise<void> {
  const kafka = new Kafka({ brokers: [bootstrap], clientId: `member-${process.pid}`, logLevel: logLevel.NOTHING });
  // kafkajs heartbeats between fetches, so a fetch must not long-poll past the short session timeout.
  const consumer = kafka.consumer({ groupId, sessionTimeout: 3000, heartbeatInterval: 300, maxWaitTimeInMs: 100, rebalanceTimeout: 10000, retry: { retries: 20 } });
  consumer.on(consumer.events.GROUP_JOIN, (e) => print({ event: 'assigned', partitions: (e.payload.memberAssignment[topic] ?? []).sort((a, b) => a - b) }));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommitThreshold: 1,
    eachMessage: async ({ partition, message }) => {
      print({ event: 'record', partition, offset: message.offset, value: message.value?.toString() });
    },
  });
  process.once('SIGTERM', () => {
    void consumer.disconnect().then(() => process.exit(0));
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
