// kafka-ts embedded in a test's own process: `startKafka({ brokers: 3 })` starts that many brokers on
// ephemeral ports and temp dirs. One broker or several, they form a ZooKeeper-mode cluster on an
// in-memory ensemble shared by this process's brokers (controller election, partition states,
// watches as with ZooKeeper), replicating over real loopback sockets with Kafka's protocol. All
// brokers share one controllable clock, so a test can jump time forward. Tests can also move a
// partition's leader, shrink its ISR (both through the active controller, as its own elections
// and ISR changes go), hold a follower some records behind its leader, and compact now.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Broker } from '../broker';
import { ControllableClock } from '../clock';
import { parseConfig } from '../config';
import { createLogger, Logger } from '../logger';
import { InMemoryEnsemble } from '../zookeeper';
import { BrokerControls } from '../control/broker-controls';
import { RequestFaults } from '../control/request-faults';
import type { ControlTarget, DownMode } from '../control/control-target';
import { ControlServer } from '../control/http/control-server';
import { ZkCluster } from '../zk/zk-cluster';
import { ErrorCode, KafkaError } from '../../protocol';
import { ClusterAdmin } from './cluster-admin';

export type ConfigValue = string | number | boolean;

export interface StartKafkaOptions {
  /** How many brokers, ids 0 to n-1 (1 by default). */
  brokers?: number;
  /** Where the brokers' log dirs go (a temp dir, removed by stop(), by default; a given dir is kept). */
  dir?: string;
  /** server.properties keys for every broker. */
  config?: Record<string, ConfigValue>;
  /** Broker log lines (none by default). */
  log?: (line: string) => void;
}

export interface EmbeddedBroker {
  readonly id: number;
  /** "127.0.0.1:port"; the port stays the same across restarts. */
  readonly bootstrapServer: string;
  readonly port: number;
  /** Whether the broker is running (not stopped or killed). */
  readonly running: boolean;
  /** The running broker itself, for the control plane. */
  readonly broker: Broker | null;
  /** Faults injected into this broker's requests; they stay across restarts. */
  readonly faults: RequestFaults;
  /** Everything a test can change in this broker (faults among them); kept across restarts. */
  readonly controls: BrokerControls;
  /** The broker's HTTP control plane (with kafkats.control.listener set, e.g. to 127.0.0.1:0), else null. */
  readonly controlUrl: string | null;
}

/** How long the cluster controls wait for a change to show everywhere before giving up. */
const CONTROL_TIMEOUT_MS = 30_000;
/** How often they look again meanwhile. */
const CONTROL_POLL_MS = 10;

/** Defaults fit for tests, each one a Kafka key a user can override. */
function testDefaults(brokers: number): Record<string, ConfigValue> {
  return {
    'offsets.topic.replication.factor': Math.min(3, brokers),
    'transaction.state.log.replication.factor': Math.min(3, brokers),
    'transaction.state.log.min.isr': Math.min(2, brokers),
    'default.replication.factor': Math.min(3, brokers),
    'group.initial.rebalance.delay.ms': 0,
  };
}

/** How many requests each embedded broker's request log keeps. */
const EMBEDDED_REQUEST_LOG_CAPACITY = 1000;

/** What a slot asks its cluster to do, so the control plane can drive it like the TypeScript API. */
interface SlotLife {
  start(i: number): Promise<void>;
  stopBroker(i: number): Promise<void>;
  kill(i: number): Promise<void>;
  moveLeader(topic: string, partition: number, brokerId: number): Promise<void>;
  shrinkIsr(topic: string, partition: number, isr: readonly number[]): Promise<void>;
  lagFollower(brokerId: number, topic: string, partition: number, records: number): Promise<void>;
}

class BrokerSlot implements EmbeddedBroker, ControlTarget {
  broker: Broker | null = null;
  port = 0;
  /** The HTTP control plane, when kafkats.control.listener is set; it stays up while the broker is down. */
  controlServer: ControlServer | null = null;
  /** The metadata session of the running broker, ended as a dying process's would be. */
  sessionId: bigint | null = null;
  readonly controls = new BrokerControls();

  constructor(
    readonly id: number,
    readonly logDir: string,
    readonly clock: ControllableClock,
    private readonly life: SlotLife,
  ) {
    // On in tests by default: a failing test can look back at what its clients asked and got.
    this.controls.requestLog.resize(EMBEDDED_REQUEST_LOG_CAPACITY);
  }

  get brokerId(): number {
    return this.id;
  }

  get controlUrl(): string | null {
    return this.controlServer?.url ?? null;
  }

  down(mode: DownMode): Promise<void> {
    return mode === 'kill' ? this.life.kill(this.id) : this.life.stopBroker(this.id);
  }

  up(): Promise<void> {
    return this.life.start(this.id);
  }

  enforceRetention(): number {
    return this.broker?.logs.runRetention() ?? 0;
  }

  async compact(): Promise<number> {
    return (await this.broker?.logs.runCleaner()) ?? 0;
  }

  /** Any broker's control plane moves leaders: the cluster finds its controller. */
  moveLeader(topic: string, partition: number, brokerId: number): Promise<void> {
    return this.life.moveLeader(topic, partition, brokerId);
  }

  shrinkIsr(topic: string, partition: number, isr: readonly number[]): Promise<void> {
    return this.life.shrinkIsr(topic, partition, isr);
  }

  lagFollower(topic: string, partition: number, records: number): Promise<void> {
    return this.life.lagFollower(this.id, topic, partition, records);
  }

  get faults(): RequestFaults {
    return this.controls.faults;
  }

  get running(): boolean {
    return this.broker !== null;
  }

  get bootstrapServer(): string {
    return `127.0.0.1:${this.port}`;
  }
}

export class KafkaCluster {
  readonly clock = new ControllableClock();
  readonly admin: ClusterAdmin;
  private readonly ensemble = new InMemoryEnsemble();
  private readonly slots: BrokerSlot[];
  private stopped = false;

  private constructor(
    private readonly root: string,
    private readonly ownsRoot: boolean,
    private readonly props: Record<string, ConfigValue>,
    private readonly write: (line: string) => void,
    count: number,
  ) {
    this.slots = Array.from({ length: count }, (_, id) => new BrokerSlot(id, path.join(root, `broker-${id}`), this.clock, this));
    this.admin = new ClusterAdmin(
      () => this.bootstrapServers,
      () => Math.min(3, this.slots.length),
    );
  }

  static async start(options: StartKafkaOptions = {}): Promise<KafkaCluster> {
    const count = options.brokers ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`brokers must be a positive integer, not ${count}`);
    const root = options.dir ?? mkdtempSync(path.join(tmpdir(), 'kafka-ts-'));
    const cluster = new KafkaCluster(root, options.dir === undefined, { ...testDefaults(count), ...options.config }, options.log ?? (() => undefined), count);
    try {
      await Promise.all(cluster.slots.map((_, i) => cluster.start(i)));
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** Every running broker's address, comma-separated, as clients take it. */
  get bootstrapServers(): string {
    return this.slots
      .filter((s) => s.running)
      .map((s) => s.bootstrapServer)
      .join(',');
  }

  get brokers(): readonly EmbeddedBroker[] {
    return this.slots;
  }

  /** The broker that is the active controller, if one is. */
  get controller(): Broker | null {
    return this.slots.find((s) => s.broker && s.broker.cluster.controllerId() === s.id)?.broker ?? null;
  }

  /** Starts broker `i` again after a stop or kill, on the same port and log dir. */
  async start(i: number): Promise<void> {
    const slot = this.slot(i);
    if (slot.running) return;
    const log = this.logger(`kafka.server.KafkaServer`, i);
    const config = parseConfig(
      new Map(
        Object.entries({
          ...this.props,
          'broker.id': slot.id,
          'log.dirs': slot.logDir,
          listeners: `PLAINTEXT://127.0.0.1:${slot.port}`,
          'advertised.listeners': `PLAINTEXT://127.0.0.1:${slot.port}`,
        }).map(([k, v]) => [k, String(v)]),
      ),
      (line) => log.warn(line),
    );
    slot.broker = await Broker.start(config, log, this.clock, {
      controls: slot.controls,
      metadataSession: async () => {
        const session = this.ensemble.openSession();
        slot.sessionId = session.sessionId;
        return session;
      },
    });
    slot.port = slot.broker.boundListeners[0].port;
    if (config.controlListener && slot.controlServer === null) {
      slot.controlServer = await ControlServer.forBroker(config, slot, () => slot.broker?.boundListeners ?? [], this.logger('kafka.control.ControlServer', i));
    }
  }

  /** Stops broker `i` cleanly: controlled shutdown (unless `controlled` is false), logs flushed. */
  async stopBroker(i: number, options: { controlled?: boolean } = {}): Promise<void> {
    const slot = this.slot(i);
    const broker = slot.broker;
    if (!broker) return;
    slot.broker = null;
    await broker.shutdown(options);
  }

  /** As kill -9: the broker's connections and metadata session end at once, nothing is flushed. */
  async kill(i: number): Promise<void> {
    const slot = this.slot(i);
    const broker = slot.broker;
    if (!broker) return;
    slot.broker = null;
    if (slot.sessionId !== null) this.ensemble.crash(slot.sessionId);
    await broker.kill();
  }

  /** A clean stop, then a start. */
  async restart(i: number): Promise<void> {
    await this.stopBroker(i);
    await this.start(i);
  }

  /** Moves every broker's clock forward: session timeouts, retention, expiries fire as if the time had passed. */
  advanceTime(ms: number): void {
    this.clock.advance(ms);
  }

  /** One retention pass on every running broker now, not at its schedule; answers the segments deleted. */
  enforceRetention(): number {
    return this.slots.reduce((n, s) => n + s.enforceRetention(), 0);
  }

  /**
   * Moves a partition's leadership to broker `brokerId`, which must be a live replica in the ISR,
   * as the controller's preferred election moves it (ISR kept, leader epoch + 1). Resolves once
   * every running broker's metadata names the new leader; clients follow on NOT_LEADER_OR_FOLLOWER.
   */
  async moveLeader(topic: string, partition: number, brokerId: number): Promise<void> {
    const state = await this.withController((zk) => zk.moveLeader(topic, partition, brokerId));
    await this.untilEveryBrokerSees(topic, partition, state.leaderEpoch);
  }

  /**
   * Shrinks a partition's ISR to `isr` (a subset of it holding the leader), as Kafka's controller
   * takes a replica out (leader epoch + 1). Resolves once every running broker's metadata has it.
   * The leader takes a removed follower back as soon as it catches up, as Kafka's leaders do: to
   * keep one out, hold it back first with lagFollower.
   */
  async shrinkIsr(topic: string, partition: number, isr: readonly number[]): Promise<void> {
    const state = await this.withController((zk) => zk.shrinkIsr(topic, partition, isr));
    await this.untilEveryBrokerSees(topic, partition, state.leaderEpoch);
  }

  /**
   * Holds broker `brokerId`, as a follower of `topic`-`partition`, `records` records behind its
   * leader's log end (whole batches: it may stay further behind); it stays across restarts.
   * Resolves once no fetch sent before is still out, so the leader hears nothing more of the
   * partition from it while held. 0 clears it and resolves once the follower has caught up with
   * the leader's log end of that moment.
   */
  async lagFollower(brokerId: number, topic: string, partition: number, records: number): Promise<void> {
    const slot = this.slot(brokerId);
    slot.controls.followerLag.set(topic, partition, records);
    let applied = false;
    void slot.controls.followerLag.applied().then(() => (applied = true));
    await this.until(() => applied, `broker ${brokerId}'s fetchers to apply the lag`);
    if (records > 0 || !slot.broker) return;
    const leader = this.slots.find((s) => s.broker?.cluster.topics.get(topic)?.partitions[partition]?.leader === s.id);
    const target = leader?.broker?.logs.get(topic, partition)?.logEndOffset;
    if (target === undefined || leader === slot) return;
    await this.until(() => (slot.broker?.logs.get(topic, partition)?.logEndOffset ?? -1) >= target, `broker ${brokerId} to catch up on ${topic}-${partition}`);
  }

  /**
   * Compacts now on every running broker what the log cleaner would compact were
   * min.cleanable.dirty.ratio and min.compaction.lag.ms met: every compacted log up to its last
   * stable offset, never its active segment. Answers how many logs (replicas) were cleaned.
   */
  async compact(): Promise<number> {
    const counts = await Promise.all(this.slots.map((s) => s.compact()));
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Stops every broker and removes the temp dir (a given dir stays). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    // One at a time and the controller last: brokers stopping together would send their controlled
    // shutdowns to a controller that is itself stopping, and wait out its retries.
    const controllerId = this.controller?.brokerId;
    const order = this.slots.filter((s) => s.running).sort((a, b) => Number(a.id === controllerId) - Number(b.id === controllerId));
    for (const [n, slot] of order.entries()) await this.stopBroker(slot.id, { controlled: n < order.length - 1 });
    await Promise.all(this.slots.map((s) => s.controlServer?.close()));
    if (this.ownsRoot) rmSync(this.root, { recursive: true, force: true });
  }

  /** Runs `change` on the active controller, waiting for one (and again if it moved meanwhile). */
  private async withController<T>(change: (controller: ZkCluster) => Promise<T>): Promise<T> {
    const deadline = Date.now() + CONTROL_TIMEOUT_MS;
    for (;;) {
      const cluster = this.controller?.cluster;
      if (cluster instanceof ZkCluster) {
        try {
          return await change(cluster);
        } catch (err) {
          if (!(err instanceof KafkaError && err.code === ErrorCode.NOT_CONTROLLER) || Date.now() > deadline) throw err;
        }
      }
      if (Date.now() > deadline) throw new Error('No active controller');
      await new Promise((resolve) => setTimeout(resolve, CONTROL_POLL_MS));
    }
  }

  /** Resolves once every running broker's metadata has the partition at `leaderEpoch` or later. */
  private untilEveryBrokerSees(topic: string, partition: number, leaderEpoch: number): Promise<void> {
    return this.until(
      () => this.slots.every((s) => !s.broker || (s.broker.cluster.topics.get(topic)?.partitions[partition]?.leaderEpoch ?? -1) >= leaderEpoch),
      `every broker to see ${topic}-${partition} at leader epoch ${leaderEpoch}`,
    );
  }

  /** Resolves once `done()` holds, looking every few milliseconds; rejects after CONTROL_TIMEOUT_MS. */
  private async until(done: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + CONTROL_TIMEOUT_MS;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, CONTROL_POLL_MS));
    }
  }

  private slot(i: number): BrokerSlot {
    const slot = this.slots[i];
    if (!slot) throw new RangeError(`No broker ${i}: this cluster has brokers 0 to ${this.slots.length - 1}`);
    return slot;
  }

  private logger(component: string, i: number): Logger {
    return createLogger(`${component} broker=${i}`, this.write);
  }
}

/** Starts an embedded cluster; see StartKafkaOptions. */
export function startKafka(options: StartKafkaOptions = {}): Promise<KafkaCluster> {
  return KafkaCluster.start(options);
}
