// A log dir failing on a partition leader in a three-broker ZooKeeper-mode cluster: the leader's
// next roll in that dir fails (the partition dir was replaced by a regular file), a produce gets
// KAFKA_STORAGE_ERROR (or, once leadership moved, NOT_LEADER_OR_FOLLOWER), the broker keeps running on its other dir and writes a log dir event; the
// controller asks it, and leadership moves to another ISR member, the failed replica out of the ISR.

import { existsSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import { useZkCluster } from '../helpers/zk-cluster-harness';
import { waitFor } from '../helpers/wait';

const h = useZkCluster('log-dir-failure', { 'zookeeper.session.timeout.ms': 6000 });

test('a failed log dir on the leader moves leadership to another ISR member', async () => {
  const root = mkdtempSync(join(tmpdir(), 'kafka-ts-test-'));
  const dirs = [join(root, 'a'), join(root, 'b')];
  await h.broker(1);
  await h.broker(2, { 'log.dirs': dirs.join(',') }, root);
  await h.broker(3);
  await waitFor(async () => (await h.controllerId()) === 1, 'broker 1 to be the controller');
  const via = await h.client(1);
  await waitFor(async () => (await via.request(Apis.Metadata, 12, { topics: [], allowAutoTopicCreation: false })).brokers.length === 3, 'broker 1 to see all three brokers');
  await h.createTopic('failing', [[2, 1, 3]], { 'segment.bytes': '2048' });
  expect((await h.state('failing', 0))?.leader).toBe(2);

  const leader = await h.client(2);
  const batch = () => buildBatch([{ key: null, value: Buffer.alloc(1500, 'x') }]);
  const produce = async () =>
    (await leader.request(Apis.Produce, 9, { acks: 1, timeoutMs: 5000, topicData: [{ name: 'failing', partitionData: [{ index: 0, records: batch() }] }] })).responses[0]
      .partitionResponses[0].errorCode;
  // Broker 2 leads once it has taken the controller's LeaderAndIsr; until then it answers
  // NOT_LEADER_OR_FOLLOWER, which below must mean that leadership moved away.
  await waitFor(async () => (await produce()) === ErrorCode.NONE, 'broker 2 to take leadership');

  const partitionDir = dirs.map((d) => join(d, 'failing-0')).find((d) => existsSync(d))!;
  // Moved away in one step: removing it file by file races with the broker's own writes into it.
  renameSync(partitionDir, join(root, 'moved-failing-0'));
  writeFileSync(partitionDir, 'not a dir');
  let errorCode: number = ErrorCode.NONE;
  for (let i = 0; i < 3 && errorCode === ErrorCode.NONE; i++) errorCode = await produce();
  // The write that fails may be the one after an acknowledged append; by the next produce the
  // controller may already have moved leadership, so NOT_LEADER_OR_FOLLOWER is as right as
  // KAFKA_STORAGE_ERROR. The log lines below show the dir failure itself.
  expect([ErrorCode.KAFKA_STORAGE_ERROR, ErrorCode.NOT_LEADER_OR_FOLLOWER]).toContain(errorCode);

  await waitFor(async () => {
    const s = await h.state('failing', 0);
    return s !== undefined && s.leader !== 2 && s.leader > 0 && !s.isr.includes(2);
  }, 'leadership to move off broker 2');
  await waitFor(() => /Stopping serving logs in dir/.test(h.brokers.get(2)!.output()), 'broker 2 to log the failed dir');
  await waitFor(() => /Mark replicas failing-0 on broker 2 as offline/.test(h.brokers.get(1)!.output()), 'the controller to log the offline replica');
  // Broker 2 keeps running on its other dir.
  const md = await via.request(Apis.Metadata, 12, { topics: [], allowAutoTopicCreation: false });
  expect(md.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
}, 120_000);
