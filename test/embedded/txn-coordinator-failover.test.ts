// A transaction survives a kill -9 of its coordinator between EndTxn and the markers: three
// in-process brokers (startKafka). The data partition's leader refuses WriteTxnMarkers (an injected
// NOT_LEADER_OR_FOLLOWER, which the coordinator retries) from before EndTxn, so the coordinator can
// write PrepareCommit and answer, but no marker can land; once a marker was refused the coordinator
// is killed and the fault removed. The broker that takes over the transaction log partition must load
// PrepareCommit, send the markers itself and reach CompleteCommit; a read_committed fetch then sees
// the records exactly once, as does a read_committed kafkajs consumer group, and the producer's next
// InitProducerId works on the new coordinator.

import { Kafka, logLevel } from 'kafkajs';
import { Apis, ErrorCode } from '../../protocol';
import { buildBatch, decodeBatch, forEachBatch, isControl, readBatchHeader } from '../../protocol/records';
import type { KafkaConnection } from '../../src/client/kafka-connection';
import { useEmbeddedCluster } from '../helpers/embedded-cluster';
import { waitFor } from '../helpers/wait';
import { TRANSACTION_KEY, coordinatorOf } from '../helpers/find-coordinator';

const TXN_LOG = '__transaction_state';
const TOPIC = 'eos';
const VALUES = ['a', 'b', 'c'];
const READ_COMMITTED = 1;
const PROPS = {
  // The reader's group creates the offsets topic after the kill, with two brokers left.
  'offsets.topic.replication.factor': 1,
  'replica.lag.time.max.ms': 1000,
  'transaction.state.log.num.partitions': 3,
  'transaction.state.log.replication.factor': 3,
  'transaction.state.log.min.isr': 2,
};

const WRITE_TXN_MARKERS = 27;

const h = useEmbeddedCluster(PROPS);
const { client, createTopic, state } = h;

/** A transactional id coordinated by a broker other than the controller, so killing its coordinator leaves the controller alone. */
async function idOffTheController(via: KafkaConnection, controller: number): Promise<{ transactionalId: string; coordinator: number }> {
  for (let i = 0; ; i++) {
    const transactionalId = `txn-${i}`;
    const coordinator = await coordinatorOf(via, TRANSACTION_KEY, transactionalId);
    if (coordinator !== controller) return { transactionalId, coordinator };
  }
}

async function describe(via: KafkaConnection, transactionalId: string) {
  return (await via.request(Apis.DescribeTransactions, 0, { transactionalIds: [transactionalId] })).transactionStates[0];
}

/** What a read_committed kafkajs consumer group reads of the topic, once it has read `count` records. */
async function consumeCommitted(bootstrap: string[], count: number): Promise<string[]> {
  const consumer = new Kafka({ brokers: bootstrap, logLevel: logLevel.NOTHING }).consumer({ groupId: 'reader', readUncommitted: false, maxWaitTimeInMs: 100 });
  const values: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value!.toString()) });
    await waitFor(() => values.length >= count, `${count} committed records`);
    return values;
  } finally {
    await consumer.disconnect();
  }
}

/** Committed values of the partition, read_committed, with the last stable offset. */
async function readCommitted(via: KafkaConnection): Promise<{ values: string[]; lastStableOffset: bigint }> {
  const res = await via.request(Apis.Fetch, 12, {
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 1 << 20,
    isolationLevel: READ_COMMITTED,
    topics: [{ topic: TOPIC, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] }],
  });
  const p = res.responses[0].partitions[0];
  expect(p.errorCode).toBe(ErrorCode.NONE);
  const aborted = p.abortedTransactions ?? [];
  const values: string[] = [];
  const records = p.records ?? Buffer.alloc(0);
  forEachBatch(records, (pos) => {
    const header = readBatchHeader(records, pos);
    if (isControl(header.attributes) || aborted.some((a) => a.producerId === header.producerId)) return;
    for (const r of decodeBatch(records, pos).records) values.push(r.value!.toString());
  });
  return { values, lastStableOffset: p.lastStableOffset };
}

test('a coordinator killed between EndTxn and the markers: the new coordinator completes the commit, read once', async () => {
  const cluster = await h.start();
  const controller = await h.controllerId();
  const one = await client(controller);
  const { transactionalId, coordinator } = await idOffTheController(one, controller);
  const dataLeader = 3 - controller - coordinator;
  for (let p = 0; p < PROPS['transaction.state.log.num.partitions']; p++) {
    await waitFor(() => state(TXN_LOG, p)?.isr.length === 3, `${TXN_LOG}-${p} to have its full ISR`);
  }
  await createTopic(TOPIC, [[dataLeader, controller, coordinator]]);

  const coord = await client(coordinator);
  const init = await coord.request(Apis.InitProducerId, 4, { transactionalId, transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 });
  expect(init.errorCode).toBe(ErrorCode.NONE);
  const { producerId, producerEpoch } = init;
  const added = await coord.request(Apis.AddPartitionsToTxn, 3, {
    v3AndBelowTransactionalId: transactionalId,
    v3AndBelowProducerId: producerId,
    v3AndBelowProducerEpoch: producerEpoch,
    v3AndBelowTopics: [{ name: TOPIC, partitions: [0] }],
  });
  expect(added.resultsByTopicV3AndBelow[0].resultsByPartition[0].partitionErrorCode).toBe(ErrorCode.NONE);
  const records = buildBatch(VALUES.map((v) => ({ key: null, value: Buffer.from(v) })), { producerId, producerEpoch, baseSequence: 0, transactional: true });
  const produced = await (await client(dataLeader)).request(Apis.Produce, 9, {
    transactionalId,
    acks: -1,
    timeoutMs: 10_000,
    topicData: [{ name: TOPIC, partitionData: [{ index: 0, records }] }],
  });
  expect(produced.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);

  const refusal = cluster.brokers[dataLeader].faults.inject({ apiKey: WRITE_TXN_MARKERS, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER });
  const ended = await coord.request(Apis.EndTxn, 3, { transactionalId, producerId, producerEpoch, committed: true });
  expect(ended.errorCode).toBe(ErrorCode.NONE);
  await waitFor(() => refusal.fired > 0, 'the coordinator to send its markers');
  expect((await describe(coord, transactionalId)).transactionState).toBe('PrepareCommit');
  await cluster.kill(coordinator);
  const killedAt = Date.now();
  cluster.brokers[dataLeader].faults.remove(refusal.id);

  const next = await coordinatorOf(one, TRANSACTION_KEY, transactionalId, coordinator);
  const successor = await client(next);
  await waitFor(async () => (await describe(successor, transactionalId)).transactionState === 'CompleteCommit', 'the new coordinator to complete the commit');
  const recoveredMs = Date.now() - killedAt;

  const leader = await client(dataLeader);
  const read = await readCommitted(leader);
  expect(read.values).toEqual(VALUES);
  expect(read.lastStableOffset).toBeGreaterThanOrEqual(BigInt(VALUES.length + 1));

  expect(await consumeCommitted(cluster.bootstrapServers.split(','), VALUES.length)).toEqual(VALUES);

  const again = await successor.request(Apis.InitProducerId, 4, { transactionalId, transactionTimeoutMs: 60_000, producerId, producerEpoch });
  expect(again.errorCode).toBe(ErrorCode.NONE);
  expect(again.producerEpoch).toBeGreaterThan(producerEpoch);
  process.stdout.write(`transaction completed by broker ${next} ${recoveredMs} ms after its coordinator ${coordinator} was killed\n`);
}, 120_000);
