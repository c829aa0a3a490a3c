// Dynamic broker configs on a standalone broker: a cluster-wide default set through AlterConfigs
// changes what the logs do at once (a batch over the new message.max.bytes is refused), is kept in
// the log dir and still applies after a restart.
import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { connectClient } from '../helpers/test-client';

let broker: BrokerProcess | undefined;
afterEach(() => cleanup(broker));

test('a dynamic default takes effect at once and survives a restart', async () => {
  broker = await startBroker();
  let client = await connectClient(broker.port);
  await client.request(Apis.CreateTopics, 7, { topics: [{ name: 'sized', numPartitions: 1, replicationFactor: 1, configs: [] }], timeoutMs: 5000 });
  const produce = () =>
    client.request(Apis.Produce, 9, { acks: 1, timeoutMs: 5000, topicData: [{ name: 'sized', partitionData: [{ index: 0, records: buildBatch([{ key: null, value: Buffer.alloc(2000, 1) }]) }] }] });
  expect((await produce()).responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);

  const altered = await client.request(Apis.AlterConfigs, 2, { resources: [{ resourceType: 4, resourceName: '', configs: [{ name: 'message.max.bytes', value: '1024' }] }], validateOnly: false });
  expect(altered.responses[0].errorCode).toBe(ErrorCode.NONE);
  expect((await produce()).responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);

  client.close();
  const logDir = broker.logDir;
  await broker.stop();
  broker = await startBroker({ logDir });
  client = await connectClient(broker.port);
  expect((await produce()).responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
  const described = await client.request(Apis.DescribeConfigs, 4, { resources: [{ resourceType: 4, resourceName: '0', configurationKeys: ['message.max.bytes'] }], includeSynonyms: true });
  expect(described.results[0].configs[0]).toMatchObject({ value: '1024', configSource: 3 });
  expect(described.results[0].configs[0].synonyms.map((s) => [s.value, s.source])).toEqual([['1024', 3], ['1048588', 5]]);
  client.close();
}, 60_000);
