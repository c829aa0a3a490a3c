// A broker capped to an older Kafka release, end to end: ApiVersions advertises the release's set
// (also in the KIP-511 answer to a too-new ApiVersions), a request above the cap closes the
// connection as any unsupported version does, and kafkajs falls back to older requests and still
// produces and consumes, capped to 2.0 and to 2.8.

import { Kafka, logLevel } from 'kafkajs';
import { Apis, ErrorCode, codecFor } from '../../protocol';
import { releaseApiVersions } from '../../protocol/kafka-releases';
import { KafkaCluster, startKafka } from '../../src/embedded/start-kafka';
import { encodeRequestBody } from '../../src/client/request-frames';
import { HANDLERS } from '../../src/handlers';
import { ApiRange } from '../../src/handlers/handler';
import { connectClient } from '../helpers/test-client';
import { waitFor } from '../helpers/wait';

let cluster: KafkaCluster;

beforeAll(async () => {
  cluster = await startKafka({ brokers: 1 });
});

afterEach(() => cluster.brokers[0].controls.versions.set(null));

afterAll(async () => {
  await cluster?.stop();
});

/** What a broker capped to the release should advertise: each handler's range cut to the release's. */
function expectedApis(release: string): ApiRange[] {
  const served = releaseApiVersions(release);
  return HANDLERS.filter((h) => served.has(h.spec.apiKey))
    .map((h) => ({ apiKey: h.spec.apiKey, minVersion: h.minVersion, maxVersion: Math.min(h.maxVersion, served.get(h.spec.apiKey)!.max) }))
    .sort((a, b) => a.apiKey - b.apiKey);
}

/** An ApiVersions answer's list as plain ranges. */
function ranges(apiKeys: readonly ApiRange[]): ApiRange[] {
  return apiKeys.map((a) => ({ apiKey: a.apiKey, minVersion: a.minVersion, maxVersion: a.maxVersion }));
}

it('advertises only what Kafka 2.0 served, and closes the connection on a newer request', async () => {
  cluster.brokers[0].controls.versions.set('2.0');
  const conn = await connectClient(cluster.brokers[0].port);

  // The answer to a too-new ApiVersions is a v0 body (KIP-511), so it is decoded as v0 here.
  const v3 = encodeRequestBody(Apis.ApiVersions, 3, { clientSoftwareName: 'version-cap-test', clientSoftwareVersion: '1' });
  const tooNew = codecFor(Apis.ApiVersions, 0).response.decode(await conn.send(Apis.ApiVersions.apiKey, 3, v3));
  expect(tooNew.errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
  const answer = await conn.request(Apis.ApiVersions, 2, {});
  expect(answer.errorCode).toBe(ErrorCode.NONE);
  const advertised = ranges(answer.apiKeys);
  expect(advertised).toEqual(expectedApis('2.0'));
  expect(ranges(tooNew.apiKeys)).toEqual(advertised);
  const byKey = new Map(advertised.map((a) => [a.apiKey, a.maxVersion]));
  expect([byKey.get(0), byKey.get(1), byKey.get(3), byKey.get(18)]).toEqual([6, 8, 6, 2]);
  expect(byKey.has(60)).toBe(false); // DescribeCluster came in 2.8
  expect(advertised.length).toBeLessThan(HANDLERS.length);

  expect((await conn.request(Apis.Metadata, 6, { topics: [] })).brokers).toHaveLength(1);
  await expect(conn.request(Apis.Metadata, 7, { topics: [] })).rejects.toThrow(/closed/);
  await conn.closed;
  expect(conn.isOpen).toBe(false);
});

it('advertises everything again once the cap is lifted', async () => {
  const versions = cluster.brokers[0].controls.versions;
  versions.set('2.8');
  versions.set(null);
  const conn = await connectClient(cluster.brokers[0].port);
  const answer = await conn.request(Apis.ApiVersions, 3, { clientSoftwareName: 'version-cap-test', clientSoftwareVersion: '1' });
  conn.close();
  expect(answer.apiKeys).toHaveLength(HANDLERS.length);
  expect(answer.apiKeys.find((a) => a.apiKey === 0)?.maxVersion).toBe(11);
});

it.each([
  ['2.0', 6, 8],
  ['2.8', 7, 11], // kafkajs's own newest Produce and Fetch, both below 2.8's
])('lets kafkajs produce and consume against a broker capped to %s (Produce v%d, Fetch v%d)', async (release, produceVersion, fetchVersion) => {
  cluster.brokers[0].controls.versions.set(release);
  const topic = `capped-${release}`;
  const kafka = new Kafka({ clientId: 'version-cap-test', brokers: [cluster.bootstrapServers], logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 50 } });
  const used = new Map<number, Set<number>>();
  const note = (e: { payload: { apiKey: number; apiVersion: number } }) => used.set(e.payload.apiKey, (used.get(e.payload.apiKey) ?? new Set()).add(e.payload.apiVersion));

  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();

  const producer = kafka.producer();
  producer.on(producer.events.REQUEST, note);
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: [{ key: 'a', value: 'one' }, { key: 'b', value: 'two' }] });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: `group-${release}` });
  consumer.on(consumer.events.REQUEST, note);
  const values: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value!.toString()) });
  await waitFor(() => values.length === 2, `kafkajs to consume both records from a ${release} broker`);
  await consumer.disconnect();

  expect(values).toEqual(['one', 'two']);
  expect([...(used.get(Apis.Produce.apiKey) ?? [])]).toEqual([produceVersion]);
  expect([...(used.get(Apis.Fetch.apiKey) ?? [])]).toEqual([fetchVersion]);
  const served = releaseApiVersions(release);
  for (const [apiKey, versions] of used) for (const v of versions) expect(v).toBeLessThanOrEqual(served.get(apiKey)!.max);
});

test('the project client reads a KIP-511 v0 answer to its ApiVersions v3 and works capped to 2.0', async () => {
  cluster.brokers[0].controls.versions.set('2.0');
  await cluster.admin.createTopic('capped-admin', { partitions: 1 });
  expect(await cluster.admin.leader('capped-admin', 0)).toBe(0);
});
