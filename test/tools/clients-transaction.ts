// Test setup for read_committed: one transaction written through the protocol (InitProducerId,
// AddPartitionsToTxn, a transactional Produce, EndTxn), committed or aborted.

import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import { ClusterClient } from '../../src/client/cluster-client';
import { waitFor } from '../helpers/wait';

/** Writes one transaction of `values` to partition 0 of `topic` and commits or aborts it, through the protocol. */
export async function writeTransaction(c: ClusterClient, transactionalId: string, topic: string, values: string[], commit: boolean): Promise<void> {
  let coordinator = -1;
  await waitFor(async () => {
    coordinator = await c.coordinator(transactionalId, 1).catch(() => -1);
    return coordinator >= 0;
  }, 'transaction coordinator');
  let init: { errorCode: number; producerId: bigint; producerEpoch: number } = { errorCode: -1, producerId: -1n, producerEpoch: -1 };
  await waitFor(async () => {
    init = await c.request(Apis.InitProducerId, { transactionalId, transactionTimeoutMs: 60_000 }, { to: coordinator });
    return init.errorCode === ErrorCode.NONE;
  }, 'a producer id');
  const { producerId, producerEpoch } = init;
  const added = await c.request(
    Apis.AddPartitionsToTxn,
    { v3AndBelowTransactionalId: transactionalId, v3AndBelowProducerId: producerId, v3AndBelowProducerEpoch: producerEpoch, v3AndBelowTopics: [{ name: topic, partitions: [0] }] },
    { to: coordinator, maxVersion: 3 },
  );
  check('AddPartitionsToTxn', added.resultsByTopicV3AndBelow[0].resultsByPartition[0].partitionErrorCode);
  const records = buildBatch(
    values.map((v) => ({ key: null, value: Buffer.from(v) })),
    { producerId, producerEpoch, baseSequence: 0, transactional: true },
  );
  const produced = await c.request(Apis.Produce, { transactionalId, acks: -1, timeoutMs: 10_000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] }, { to: 0 });
  check('Produce', produced.responses[0].partitionResponses[0].errorCode);
  const ended = await c.request(Apis.EndTxn, { transactionalId, producerId, producerEpoch, committed: commit }, { to: coordinator });
  check('EndTxn', ended.errorCode);
}

function check(what: string, errorCode: number): void {
  if (errorCode !== ErrorCode.NONE) throw new Error(`${what} failed with error code ${errorCode}`);
}
