// The internal-topic coordinator base with fake broker services and fake time: topic creation on
// first use, loading and unloading as leadership moves, the coordinator errors, and writes that
// wait for the ISR up to the end of what they appended.
import { ErrorCode, KafkaError } from '../../protocol/errors';
import type { TopicInfo } from '../../src/cluster/topic';
import type { CoordinatorServices, InternalTopicSpec } from '../../src/coordinator/coordinator-services';
import { InternalTopicCoordinator } from '../../src/coordinator/internal-topic-coordinator';
import { partitionForKey } from '../../src/coordinator/key-partition';
import type { AppendOptions, PartitionLog } from '../../src/log/partition-log';
import { FakeClock } from '../helpers/fake-clock';

const ME = 1;
const SPEC: InternalTopicSpec = { name: '__internal_state', numPartitions: 2, replicationFactor: 3, configs: { 'cleanup.policy': 'compact' } };
const WRITE_TIMEOUT_MS = 5000;

/** A promise the test settles. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function settled(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  return (await Promise.race([promise, Promise.resolve(marker)])) !== marker;
}

/** A key of the given partition. */
function keyIn(partition: number): string {
  for (let i = 0; ; i++) if (partitionForKey(`key-${i}`, SPEC.numPartitions) === partition) return `key-${i}`;
}

/** Records what the base asks of the subclass; loads finish when the test says so. */
class TestCoordinator extends InternalTopicCoordinator {
  readonly loads: number[] = [];
  readonly unloads: number[] = [];
  readonly pendingLoads: (() => void)[] = [];

  protected async loadPartition(partition: number): Promise<void> {
    this.loads.push(partition);
    await new Promise<void>((done) => this.pendingLoads.push(done));
  }

  protected unloadPartition(partition: number): void {
    this.unloads.push(partition);
  }

  finishLoads(): void {
    this.pendingLoads.splice(0).forEach((done) => done());
  }
}

function setup() {
  const clock = new FakeClock();
  const topics = new Map<string, TopicInfo>();
  const created: InternalTopicSpec[] = [];
  const creation = deferred<void>();
  const appends: { partition: number; batch: Buffer; opts: AppendOptions }[] = [];
  const waits: { partition: number; endOffset: number; timeoutMs: number; done: (err: KafkaError | null) => void }[] = [];
  const env = { liveBrokers: 3, leaderEpoch: 7, nextOffset: 0 };
  const logOf = (partition: number) =>
    ({
      append(batch: Buffer, opts: AppendOptions) {
        appends.push({ partition, batch, opts });
        const firstOffset = env.nextOffset;
        env.nextOffset += 3;
        return { firstOffset, lastOffset: env.nextOffset - 1 };
      },
    }) as unknown as PartitionLog;
  const leaderOf = (partition: number) => topics.get(SPEC.name)?.partitions[partition]?.leader;
  const services: CoordinatorServices = {
    brokerId: () => ME,
    topic: (name) => topics.get(name),
    leaderLog: (_topic, partition) => {
      if (leaderOf(partition) !== ME) throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, 'not the leader');
      return logOf(partition);
    },
    localLog: (_topic, partition) => (leaderOf(partition) === undefined ? undefined : logOf(partition)),
    leaderEpoch: () => env.leaderEpoch,
    waitForReplication: (_topic, partition, endOffset, timeoutMs) => new Promise((done) => waits.push({ partition, endOffset, timeoutMs, done })),
    createTopic: async (spec) => {
      created.push(spec);
      await creation.promise;
      topics.set(spec.name, topicWith([ME, 2]));
    },
    liveBrokerCount: () => env.liveBrokers,
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    clock,
  };
  const coordinator = new TestCoordinator(services, {
    topic: SPEC,
    description: 'internal state topic',
    replicationFactorConfig: 'internal.state.replication.factor',
    writeTimeoutMs: WRITE_TIMEOUT_MS,
  });
  /** Sets the leader of each partition, as a new cluster view would. */
  const lead = (leaders: number[]) => topics.set(SPEC.name, topicWith(leaders));
  return { coordinator, clock, topics, created, creation, appends, waits, env, lead };
}

function topicWith(leaders: number[]): TopicInfo {
  return {
    name: SPEC.name,
    id: 'AAAAAAAAAAAAAAAAAAAAAQ',
    partitions: leaders.map((leader) => ({ leader, leaderEpoch: 0, replicas: [1, 2, 3], isr: [1, 2, 3] })),
    configs: {},
  };
}

describe('creating the topic', () => {
  test('happens once on first use, however many requests ask meanwhile', async () => {
    const s = setup();
    const first = s.coordinator.coordinatorFor(keyIn(0));
    const second = s.coordinator.coordinatorFor(keyIn(1));
    expect(s.created).toEqual([SPEC]);
    expect(await settled(first)).toBe(false);
    s.creation.resolve();
    expect(await first).toBe(ME);
    expect(await second).toBe(2);
    expect(await s.coordinator.coordinatorFor(keyIn(0))).toBe(ME);
    expect(s.created).toHaveLength(1);
  });

  test('is refused while fewer brokers are alive than the replication factor', async () => {
    const s = setup();
    s.env.liveBrokers = 2;
    await expect(s.coordinator.coordinatorFor('k')).rejects.toMatchObject({
      code: ErrorCode.COORDINATOR_NOT_AVAILABLE,
      message: expect.stringContaining("Number of alive brokers '2' does not meet the required replication factor '3' for the internal state topic (configured via 'internal.state.replication.factor')"),
    });
    expect(s.created).toEqual([]);
  });

  test('a partition without a leader has no coordinator yet', async () => {
    const s = setup();
    s.lead([-1, ME]);
    await expect(s.coordinator.coordinatorFor(keyIn(0))).rejects.toMatchObject({ code: ErrorCode.COORDINATOR_NOT_AVAILABLE });
    expect(s.created).toEqual([]);
  });
});

describe('following leadership', () => {
  test('loads a partition on gaining leadership, COORDINATOR_LOAD_IN_PROGRESS meanwhile', async () => {
    const s = setup();
    s.lead([ME, 2]);
    expect(s.coordinator.checkCoordinator(keyIn(0))).toBe(ErrorCode.NOT_COORDINATOR);
    const changed = s.coordinator.leadershipChanged();
    expect(s.coordinator.loads).toEqual([0]);
    expect(s.coordinator.checkCoordinator(keyIn(0))).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    expect(s.coordinator.checkCoordinator(keyIn(1))).toBe(ErrorCode.NOT_COORDINATOR);
    // A view change while loading does not load the partition twice.
    void s.coordinator.leadershipChanged();
    expect(s.coordinator.loads).toEqual([0]);
    s.coordinator.finishLoads();
    await changed;
    expect(s.coordinator.checkCoordinator(keyIn(0))).toBe(ErrorCode.NONE);
    expect(s.coordinator.checkCoordinator(keyIn(1))).toBe(ErrorCode.NOT_COORDINATOR);
  });

  test('unloads a partition on losing leadership, and loads it again on regaining it', async () => {
    const s = setup();
    s.lead([ME, ME]);
    const loading = s.coordinator.leadershipChanged();
    s.coordinator.finishLoads();
    await loading;
    s.lead([2, ME]);
    await s.coordinator.leadershipChanged();
    expect(s.coordinator.unloads).toEqual([0]);
    expect(s.coordinator.checkCoordinator(keyIn(0))).toBe(ErrorCode.NOT_COORDINATOR);
    expect(s.coordinator.checkCoordinator(keyIn(1))).toBe(ErrorCode.NONE);
    s.lead([ME, ME]);
    const again = s.coordinator.leadershipChanged();
    expect(s.coordinator.loads).toEqual([0, 1, 0]);
    s.coordinator.finishLoads();
    await again;
    expect(s.coordinator.checkCoordinator(keyIn(0))).toBe(ErrorCode.NONE);
  });

  test('a partition whose leadership moved away during its load is unloaded when the load ends', async () => {
    const s = setup();
    s.lead([ME, 2]);
    const loading = s.coordinator.leadershipChanged();
    s.lead([2, 2]);
    s.coordinator.finishLoads();
    await loading;
    expect(s.coordinator.unloads).toEqual([0]);
    expect(s.coordinator.checkCoordinator(keyIn(0))).toBe(ErrorCode.NOT_COORDINATOR);
  });
});

describe('writing', () => {
  test('appends as the leader, with its epoch and the clock, and returns the exclusive end offset', () => {
    const s = setup();
    s.lead([ME, ME]);
    s.env.nextOffset = 40;
    expect(s.coordinator.append(1, Buffer.from('batch'))).toBe(43);
    expect(s.appends).toEqual([{ partition: 1, batch: Buffer.from('batch'), opts: { leaderEpoch: 7, timestampType: 0, now: s.clock.now(), origin: 'coordinator' } }]);
  });

  test('a replicated write waits for the ISR up to the exclusive end offset of its own records', async () => {
    const s = setup();
    s.lead([ME, ME]);
    s.env.nextOffset = 10;
    const write = s.coordinator.appendReplicated(0, Buffer.from('batch'));
    expect(s.waits.map(({ partition, endOffset, timeoutMs }) => ({ partition, endOffset, timeoutMs }))).toEqual([
      { partition: 0, endOffset: 13, timeoutMs: WRITE_TIMEOUT_MS },
    ]);
    expect(await settled(write)).toBe(false);
    s.waits[0].done(null);
    expect(await write).toBe(ErrorCode.NONE);
  });

  test('a replicated write resolves with the error of its append or of its wait', async () => {
    const s = setup();
    s.lead([2, ME]);
    expect(await s.coordinator.appendReplicated(0, Buffer.from('batch'))).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    expect(s.waits).toEqual([]);
    const write = s.coordinator.appendReplicated(1, Buffer.from('batch'));
    s.waits[0].done(new KafkaError(ErrorCode.REQUEST_TIMED_OUT, 'not replicated in time'));
    expect(await write).toBe(ErrorCode.REQUEST_TIMED_OUT);
  });
});
