// Fetch sessions end to end: two kafka-ts broker processes in ZooKeeper mode, the follower
// replicating a busy topic through one incremental fetch session with the leader. The leader's
// debug log (Kafka's FetchManager lines) shows the session created by the first full fetch and
// the incremental fetches that follow it, each naming only the partition a write moved.

import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import { waitFor } from '../helpers/wait';
import { useZkCluster } from '../helpers/zk-cluster-harness';

// The brokers' debug lines are what this test reads.
const h = useZkCluster('fetch-sessions', { 'group.initial.rebalance.delay.ms': 0, 'replica.fetch.backoff.ms': 100 }, { KAFKA_TS_DEBUG: '1' });

test('a follower replicates through incremental fetches in one session', async () => {
  await h.broker(1);
  await h.broker(2);
  await waitFor(async () => (await h.controllerId()) === 1, 'broker 1 to be the controller');
  const via = await h.client(1);
  await waitFor(async () => (await via.request(Apis.Metadata, 12, { topics: [], allowAutoTopicCreation: false })).brokers.length === 2, 'broker 1 to see both brokers');
  await h.createTopic('busy', [
    [1, 2],
    [1, 2],
  ]);

  const rounds = 30;
  for (let i = 0; i < rounds; i++) {
    const records = buildBatch([{ key: null, value: Buffer.from(`record-${i}`) }]);
    const res = await via.request(Apis.Produce, 9, {
      acks: -1,
      timeoutMs: 10_000,
      // One partition at a time: the fetch that copies a write names only that partition.
      topicData: [{ name: 'busy', partitionData: [{ index: i % 2, records }] }],
    });
    // acks=all: each write is on the follower before it is acknowledged.
    expect(res.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);
  }
  expect(await h.isrOf('busy', 0)).toBe('1,2');

  const leaderLog = () => h.brokers.get(1)!.output();
  const created = /Full fetch context with session id (\d+) returning 2 partition\(s\)/.exec(leaderLog());
  expect(created).not.toBeNull();
  const session = created![1];
  expect(Number(session)).toBeGreaterThan(0);
  const incremental = () => leaderLog().match(new RegExp(`Created a new incremental FetchContext for session id ${session}, `, 'g'))?.length ?? 0;
  await waitFor(async () => incremental() >= rounds, `${rounds} incremental fetches in session ${session}`);
  expect(leaderLog()).toMatch(new RegExp(`session id ${session}, epoch \\d+: added 0 partition\\(s\\), updated 1 partition\\(s\\), removed 0`));
  expect(leaderLog()).not.toMatch(/Session error for/);
}, 120_000);
