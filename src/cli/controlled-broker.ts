// The broker of a process, as its control plane sees it: the same config, clock and controls for
// every start, so the control listener can take the broker down (kill or clean stop) and bring it
// up again while the process, and the listener, stay.

import { Broker } from '../broker';
import { Clock, ControllableClock } from '../clock';
import { BrokerConfig, Listener } from '../config';
import { BrokerControls } from '../control/broker-controls';
import { ControlConflict, ControlTarget, DownMode } from '../control/control-target';
import { endpointString } from '../zk/znode-payloads';
import { ZkCluster } from '../zk/zk-cluster';
import { ErrorCode, KafkaError } from '../../protocol';
import { Logger } from '../logger';

export class ControlledBroker implements ControlTarget {
  readonly controls = new BrokerControls();
  private current: Broker | null = null;
  /** A start or stop in progress: the next one waits for it. */
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private config: BrokerConfig,
    private readonly log: Logger,
    private readonly systemClock: Clock,
    readonly clock: ControllableClock | null,
  ) {}

  get brokerId(): number {
    return this.config.brokerId;
  }

  get running(): boolean {
    return this.current !== null;
  }

  get broker(): Broker | null {
    return this.current;
  }

  up(): Promise<void> {
    return this.serially(async () => {
      if (this.current) return;
      this.current = await Broker.start(this.config, this.log, this.clock ?? this.systemClock, { controls: this.controls });
      this.config = onBoundPorts(this.config, this.current.boundListeners);
    });
  }

  down(mode: DownMode): Promise<void> {
    return this.serially(async () => {
      const broker = this.current;
      if (!broker) return;
      this.current = null;
      if (mode === 'kill') await broker.kill();
      else await broker.shutdown();
    });
  }

  enforceRetention(): number {
    return this.current?.logs.runRetention() ?? 0;
  }

  async compact(): Promise<number> {
    return (await this.current?.logs.runCleaner()) ?? 0;
  }

  async moveLeader(topic: string, partition: number, brokerId: number): Promise<void> {
    await this.onController((zk) => zk.moveLeader(topic, partition, brokerId));
  }

  async shrinkIsr(topic: string, partition: number, isr: readonly number[]): Promise<void> {
    await this.onController((zk) => zk.shrinkIsr(topic, partition, isr));
  }

  /** Resolves once this broker's fetchers no longer have a fetch out from before the change. */
  lagFollower(topic: string, partition: number, records: number): Promise<void> {
    this.controls.followerLag.set(topic, partition, records);
    return this.controls.followerLag.applied();
  }

  /** Leaders and ISRs are the controller's to change: another broker's control plane points at it. */
  private async onController<T>(change: (zk: ZkCluster) => Promise<T>): Promise<T> {
    const cluster = this.current?.cluster;
    if (!(cluster instanceof ZkCluster)) throw new ControlConflict('Leaders and ISRs move only in a cluster (ZooKeeper mode); a standalone broker leads every partition');
    try {
      return await change(cluster);
    } catch (err) {
      if (!(err instanceof KafkaError && err.code === ErrorCode.NOT_CONTROLLER)) throw err;
      throw new ControlConflict(`Broker ${this.brokerId} is not the controller (broker ${cluster.controllerId()} is): ask its control plane`);
    }
  }

  private serially(work: () => Promise<void>): Promise<void> {
    const next = this.pending.then(work);
    this.pending = next.catch(() => undefined);
    return next;
  }
}

/**
 * Listeners on port 0 keep the port their first start bound, so clients find the broker again after
 * a restart. The props change too: the broker's dynamic config re-reads its listeners from them.
 */
function onBoundPorts(config: BrokerConfig, bound: readonly Listener[]): BrokerConfig {
  const port = (l: Listener): Listener => (l.port === 0 ? { ...l, port: bound.find((b) => b.name === l.name)?.port ?? 0 } : l);
  const listeners = config.listeners.map(port);
  const advertisedListeners = config.advertisedListeners.map(port);
  const props = new Map(config.props);
  props.set('listeners', listeners.map(endpointText).join(','));
  if (props.has('advertised.listeners')) props.set('advertised.listeners', advertisedListeners.map(endpointText).join(','));
  return { ...config, listeners, advertisedListeners, props };
}

const endpointText = (l: Listener): string => endpointString({ listener: l.name, host: l.host, port: l.port });
