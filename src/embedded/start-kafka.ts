// kafka-ts embedded in a test's own process: `startKafka({ brokers: 3 })` starts that many brokers on
// ephemeral ports and temp dirs. One broker or several, they form a ZooKeeper-mode cluster on an
// in-memory ensemble shared by this process's brokers (controller election, partition states,
// watches as with ZooKeeper), replicating over real loopback sockets with Kafka's protocol. All
// brokers share one controllable clock, so a test can jump time forward.

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
}

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

class BrokerSlot implements EmbeddedBroker {
  broker: Broker | null = null;
  port = 0;
  /** The metadata session of the running broker, ended as a dying process's would be. */
  sessionId: bigint | null = null;
  readonly controls = new BrokerControls();

  constructor(
    readonly id: number,
    readonly logDir: string,
  ) {}

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
    this.slots = Array.from({ length: count }, (_, id) => new BrokerSlot(id, path.join(root, `broker-${id}`)));
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
  }

  /** Stops broker `i` cleanly: controlled shutdown, logs flushed. */
  async stopBroker(i: number): Promise<void> {
    const slot = this.slot(i);
    const broker = slot.broker;
    if (!broker) return;
    slot.broker = null;
    await broker.shutdown();
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
    return this.slots.reduce((n, s) => n + (s.broker?.logs.runRetention() ?? 0), 0);
  }

  /** Stops every broker and removes the temp dir (a given dir stays). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    // The controller last: a broker whose controlled shutdown finds no controller waits out
    // controlled.shutdown.retry.backoff.ms (5 s) before it gives up and stops anyway.
    const controllerId = this.controller?.brokerId;
    await Promise.all(this.slots.filter((s) => s.id !== controllerId).map((s) => this.stopBroker(s.id)));
    await Promise.all(this.slots.map((s) => this.stopBroker(s.id)));
    if (this.ownsRoot) rmSync(this.root, { recursive: true, force: true });
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
