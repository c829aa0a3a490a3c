// The broker of a process, as its control plane sees it: the same config, clock and controls for
// every start, so the control listener can take the broker down (kill or clean stop) and bring it
// up again while the process, and the listener, stay.

import { Broker } from '../broker';
import { Clock, ControllableClock } from '../clock';
import { BrokerConfig, Listener } from '../config';
import { BrokerControls } from '../control/broker-controls';
import type { ControlTarget, DownMode } from '../control/control-target';
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
  props.set('listeners', listeners.map(listenerText).join(','));
  if (props.has('advertised.listeners')) props.set('advertised.listeners', advertisedListeners.map(listenerText).join(','));
  return { ...config, listeners, advertisedListeners, props };
}

function listenerText(l: Listener): string {
  return `${l.name}://${l.host.includes(':') ? `[${l.host}]` : l.host}:${l.port}`;
}
