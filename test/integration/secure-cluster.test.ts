// A three-broker ZooKeeper-mode cluster whose brokers talk to each other only over SASL_SSL
// (SCRAM-SHA-512 over TLS with host name verification), with ACLs on: the inter-broker user's SCRAM
// credential is written to /config/users before the brokers start, as Kafka's operators bootstrap
// it. Followers replicate over the secured listener, the controller reaches every broker over it,
// and when the leader is killed a follower takes over with every acknowledged record.

import { rmSync } from 'node:fs';
import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import { formatCredential, generateCredential } from '../../src/auth/scram-credential';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { STORE_PASSWORD, TestCerts, makeTestCerts } from '../helpers/certs';
import { waitFor } from '../helpers/wait';
import { useZkCluster } from '../helpers/zk-cluster-harness';

const SCRAM = 'org.apache.kafka.common.security.scram.ScramLoginModule';
const h = useZkCluster('secure-cluster', { 'replica.lag.time.max.ms': 2000, 'replica.fetch.backoff.ms': 100 });
const { brokers, startCluster, client, createTopic, state, isrOf } = h;

let certs: TestCerts;
beforeAll(() => (certs = makeTestCerts()));
afterAll(() => rmSync(certs.dir, { recursive: true, force: true }));

function secureProps(): Record<string, string> {
  return {
    listeners: 'PLAINTEXT://127.0.0.1:0,INTERNAL://127.0.0.1:0',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,INTERNAL:SASL_SSL',
    'inter.broker.listener.name': 'INTERNAL',
    'sasl.enabled.mechanisms': 'SCRAM-SHA-512',
    'sasl.mechanism.inter.broker.protocol': 'SCRAM-SHA-512',
    'listener.name.internal.scram-sha-512.sasl.jaas.config': `${SCRAM} required username="broker" password="broker-secret";`,
    'ssl.keystore.location': certs.broker.p12,
    'ssl.keystore.password': STORE_PASSWORD,
    'ssl.truststore.type': 'PEM',
    'ssl.truststore.location': certs.caCert,
    'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer',
    // The test's own client is ANONYMOUS on PLAINTEXT.
    'super.users': 'User:broker;User:ANONYMOUS',
  };
}

async function produce(via: KafkaConnection, topic: string, values: string[]) {
  const records = buildBatch(values.map((v) => ({ key: null, value: Buffer.from(v) })));
  const res = await via.request(Apis.Produce, 9, { acks: -1, timeoutMs: 10_000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] });
  return res.responses[0].partitionResponses[0];
}

test('brokers replicate and fail over over a SASL_SSL inter-broker listener', async () => {
  await h.admin.createRecursive('/config/users/broker', Buffer.from(JSON.stringify({ version: 1, config: { 'SCRAM-SHA-512': formatCredential(generateCredential('SCRAM-SHA-512', 'broker-secret')) } })));
  await startCluster(secureProps());
  await createTopic('secured', [[1, 2, 3]], { 'min.insync.replicas': '2' });

  const first = await produce(await client(1), 'secured', ['a', 'b', 'c']);
  expect(first.errorCode).toBe(ErrorCode.NONE);
  await waitFor(async () => (await isrOf('secured')) === '1,2,3', 'the full ISR after the write');
  for (const id of [1, 2, 3]) {
    expect(brokers.get(id)!.output()).not.toMatch(/Failed authentication|SaslAuthenticationError/);
  }

  await brokers.get(1)!.kill();
  await waitFor(async () => [2, 3].includes((await state('secured', 0))?.leader ?? -1), 'a follower to take over');
  const leader = (await state('secured', 0))!.leader;
  const via = await client(leader);
  expect((await produce(via, 'secured', ['d'])).errorCode).toBe(ErrorCode.NONE);
  const read = await via.request(Apis.Fetch, 12, {
    maxWaitMs: 0,
    minBytes: 1,
    maxBytes: 1 << 20,
    topics: [{ topic: 'secured', partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] }],
  });
  expect(read.responses[0].partitions[0].highWatermark).toBe(4n);
});
