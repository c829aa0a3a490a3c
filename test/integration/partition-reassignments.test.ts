// AlterPartitionReassignments and ListPartitionReassignments against a standalone broker: a single
// broker has nowhere to move replicas, so only its own assignment is accepted and nothing is listed.

import { Apis, ErrorCode } from '../../protocol';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { connectClient } from '../helpers/test-client';

const BROKER_ID = 7;
let broker: BrokerProcess;
let client: KafkaConnection;

beforeAll(async () => {
  broker = await startBroker({ props: { 'broker.id': BROKER_ID } });
  client = await connectClient(broker.port);
  await client.request(Apis.CreateTopics, 7, { topics: [{ name: 'alone', numPartitions: 1, replicationFactor: 1 }], timeoutMs: 1000 });
});

afterAll(async () => {
  client.close();
  await cleanup(broker);
});

async function code(topic: string, replicas: number[] | null): Promise<number> {
  const res = await client.request(Apis.AlterPartitionReassignments, 0, { timeoutMs: 1000, topics: [{ name: topic, partitions: [{ partitionIndex: 0, replicas }] }] });
  expect(res.errorCode).toBe(ErrorCode.NONE);
  return res.responses[0].partitions[0].errorCode;
}

test('only the broker itself is a valid target', async () => {
  expect(await code('alone', [BROKER_ID])).toBe(ErrorCode.NONE);
  expect(await code('alone', [BROKER_ID, 8])).toBe(ErrorCode.INVALID_REPLICA_ASSIGNMENT);
  expect(await code('alone', null)).toBe(ErrorCode.NO_REASSIGNMENT_IN_PROGRESS);
  expect(await code('missing', [BROKER_ID])).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
});

test('nothing is ever being reassigned', async () => {
  const res = await client.request(Apis.ListPartitionReassignments, 0, { timeoutMs: 1000, topics: null });
  expect(res).toMatchObject({ errorCode: ErrorCode.NONE, topics: [] });
});
