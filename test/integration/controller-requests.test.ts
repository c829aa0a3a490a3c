// The controller's requests to brokers in ZooKeeper mode: LeaderAndIsr tells replicas their role
// when leadership moves, StopReplica deletes the log of a replica a reassignment removed, and a
// broker rejects requests from an older controller epoch or for another broker epoch.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Apis, ErrorCode } from '../../protocol';
import { ZERO_UUID } from '../../src/cluster/topic';
import { waitFor } from '../helpers/wait';
import { useZkCluster } from '../helpers/zk-cluster-harness';

const h = useZkCluster('controller-requests', { 'replica.lag.time.max.ms': 1500, 'replica.fetch.backoff.ms': 100, 'auto.leader.rebalance.enable': 'false' });
const { brokers, startCluster, client, createTopic, state } = h;

const count = (id: number, text: string) => brokers.get(id)!.output().split(text).length - 1;

async function controllerEpoch(): Promise<number> {
  return Number((await h.admin.getData('/controller_epoch'))!.data!.toString());
}

async function topicId(name: string): Promise<string> {
  const md = await (await client(1)).request(Apis.Metadata, 12, { topics: [{ topicId: ZERO_UUID, name }], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
  return md.topics[0].topicId;
}

function leaderAndIsr(epoch: number, brokerEpoch: bigint, topicName: string, id: string, leaderEpoch: number) {
  return {
    controllerId: 1,
    isKRaftController: false,
    controllerEpoch: epoch,
    brokerEpoch,
    type: 0,
    ungroupedPartitionStates: [],
    topicStates: [
      {
        topicName,
        topicId: id,
        partitionStates: [
          { topicName, partitionIndex: 0, controllerEpoch: epoch, leader: 2, leaderEpoch, isr: [2, 3], partitionEpoch: 0, replicas: [2, 3], addingReplicas: [], removingReplicas: [], isNew: false, leaderRecoveryState: 0 },
        ],
      },
    ],
    liveLeaders: [],
  };
}

test('replicas hear LeaderAndIsr when leadership moves and take their new roles', async () => {
  await startCluster();
  await createTopic('roles', [[2, 3]]);
  await waitFor(() => count(3, 'Handling LeaderAndIsr request') > 0, 'broker 3 to hear LeaderAndIsr for the new partition');
  const before = count(3, 'Handling LeaderAndIsr request');

  expect(await brokers.get(2)!.stop()).toBe(0);
  await waitFor(async () => (await state('roles', 0))?.leader === 3, 'broker 3 to be elected');
  await waitFor(() => count(3, 'Handling LeaderAndIsr request') > before, 'broker 3 to hear LeaderAndIsr for its leadership');
  await waitFor(() => brokers.get(3)!.output().includes('[Partition roles-0 broker=3] Leading at epoch 1 '), 'broker 3 to lead roles-0');
  await waitFor(async () => {
    const res = await (await client(3)).request(Apis.Metadata, 9, { topics: [{ name: 'roles' }], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
    return res.topics[0].partitions[0].leaderId === 3;
  }, 'broker 3 to report itself the leader');

  // Leader epoch 0 is older than the one broker 3 now has.
  const epoch = await controllerEpoch();
  const fenced = await (await client(3)).request(Apis.LeaderAndIsr, 7, leaderAndIsr(epoch, -1n, 'roles', await topicId('roles'), 0));
  expect(fenced.errorCode).toBe(ErrorCode.NONE);
  expect(fenced.topics[0].partitionErrors[0].errorCode).toBe(ErrorCode.FENCED_LEADER_EPOCH);
  expect((await state('roles', 0))!.leader).toBe(3);
}, 90_000);

test('StopReplica deletes the log of a replica a reassignment removed', async () => {
  await startCluster();
  await createTopic('moved', [[1, 2]]);
  const dir = join(brokers.get(1)!.logDir, 'data', 'moved-0');
  expect(existsSync(dir)).toBe(true);
  const res = await (await client(1)).request(Apis.AlterPartitionReassignments, 0, { timeoutMs: 10_000, topics: [{ name: 'moved', partitions: [{ partitionIndex: 0, replicas: [2, 3] }] }] });
  expect(res.errorCode).toBe(ErrorCode.NONE);
  await waitFor(() => count(1, 'Handling StopReplica request') > 0, 'broker 1 to hear StopReplica');
  await waitFor(() => !existsSync(dir), 'broker 1 to delete its log of moved-0');
}, 90_000);

test('requests from an older controller epoch or for another broker epoch are rejected', async () => {
  await startCluster();
  await createTopic('fenced', [[2, 3]]);
  await waitFor(() => count(2, 'Handling UpdateMetadata request') > 0, 'broker 2 to hear from the controller');
  const epoch = await controllerEpoch();
  const id = await topicId('fenced');
  const c = await client(2);

  const stale = await c.request(Apis.LeaderAndIsr, 7, leaderAndIsr(epoch - 1, -1n, 'fenced', id, 5));
  expect(stale.errorCode).toBe(ErrorCode.STALE_CONTROLLER_EPOCH);
  expect(stale.topics[0].partitionErrors[0].errorCode).toBe(ErrorCode.STALE_CONTROLLER_EPOCH);
  expect((await state('fenced', 0))!.leader_epoch).toBe(0);

  const otherBroker = await c.request(Apis.LeaderAndIsr, 7, leaderAndIsr(epoch, 12345n, 'fenced', id, 5));
  expect(otherBroker.errorCode).toBe(ErrorCode.STALE_BROKER_EPOCH);

  const metadata = await c.request(Apis.UpdateMetadata, 8, {
    controllerId: 1,
    isKRaftController: false,
    type: 0,
    controllerEpoch: epoch - 1,
    brokerEpoch: -1n,
    ungroupedPartitionStates: [],
    topicStates: [],
    liveBrokers: [],
  });
  expect(metadata.errorCode).toBe(ErrorCode.STALE_CONTROLLER_EPOCH);
  // The broker's stdout reaches the test through a pipe, possibly after the response.
  await waitFor(() => count(2, 'Ignoring UpdateMetadata request') === 1, 'broker 2 to log the ignored request');
}, 90_000);
