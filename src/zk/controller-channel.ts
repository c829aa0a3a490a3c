// The controller's connections to brokers (Kafka's ControllerChannelManager): one per target broker
// over the inter-broker listener, requests sent one at a time in the order queued. A failed send is
// retried on a fresh connection while the broker is live; a broker that left loses its queue. Each
// request is built at send time, so it carries the target's broker epoch as the view knows it then.

import { ApiSpec, MessageInput } from '../../protocol';
import type { BrokerConnector } from '../client/broker-connector';
import type { KafkaConnection } from '../client/kafka-connection';
import { Clock, sleep } from '../clock';
import { BrokerConfig } from '../config';
import { Logger } from '../logger';
import { ClusterView } from './cluster-view';

const RETRY_DELAY_MS = 300;

export interface ControllerRequest<S extends ApiSpec = ApiSpec> {
  spec: S;
  version: number;
  build: (brokerEpoch: bigint) => MessageInput<S['request']>;
  /** Called with the broker's answer (not on a failed send, which is retried). */
  onResponse?: (response: unknown) => void;
}

interface BrokerQueue {
  requests: ControllerRequest[];
  connection: KafkaConnection | null;
  sending: boolean;
}

export class ControllerChannel {
  private readonly queues = new Map<number, BrokerQueue>();
  private readonly abort = new AbortController();
  private closed = false;

  constructor(
    private readonly view: ClusterView,
    private readonly config: BrokerConfig,
    private readonly controllerId: number,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly connect: BrokerConnector,
  ) {}

  /** The listener brokers are reached on. */
  get listener(): string {
    return this.config.interBrokerListenerName;
  }

  send<S extends ApiSpec>(brokerId: number, request: ControllerRequest<S>): void {
    if (this.closed || !this.view.brokers.has(brokerId)) return;
    const queue = this.queues.get(brokerId) ?? { requests: [], connection: null, sending: false };
    this.queues.set(brokerId, queue);
    queue.requests.push(request as ControllerRequest);
    if (!queue.sending) void this.drain(brokerId, queue);
  }

  close(): void {
    this.closed = true;
    this.abort.abort();
    for (const queue of this.queues.values()) {
      queue.requests.length = 0;
      queue.connection?.close();
    }
    this.queues.clear();
  }

  private async drain(brokerId: number, queue: BrokerQueue): Promise<void> {
    queue.sending = true;
    try {
      while (queue.requests.length > 0 && !this.closed) {
        if (!this.view.brokers.has(brokerId)) {
          queue.requests.length = 0;
          break;
        }
        const request = queue.requests[0];
        try {
          const connection = await this.connectionTo(brokerId, queue);
          const body = request.build(this.view.brokerEpochs.get(brokerId) ?? -1n);
          const response = await connection.request(request.spec, request.version, body, this.config.replicaSocketTimeoutMs);
          queue.requests.shift();
          request.onResponse?.(response);
          // Not retried: a stale epoch means the view or the broker moved on, and the next change resends.
          const errorCode = (response as { errorCode?: number }).errorCode ?? 0;
          if (errorCode !== 0) this.log.warn(`Broker ${brokerId} answered ${request.spec.name} with error ${errorCode}`);
        } catch (err) {
          if (this.closed) break;
          queue.connection?.close();
          queue.connection = null;
          this.log.debug(`Sending ${request.spec.name} to broker ${brokerId} failed, retrying: ${(err as Error).message}`);
          await sleep(this.clock, RETRY_DELAY_MS);
        }
      }
    } finally {
      queue.sending = false;
      // The connection stays open for the next requests unless the broker left.
      if (!this.view.brokers.has(brokerId) && this.queues.get(brokerId) === queue) {
        queue.connection?.close();
        this.queues.delete(brokerId);
      }
    }
  }

  private async connectionTo(brokerId: number, queue: BrokerQueue): Promise<KafkaConnection> {
    if (queue.connection?.isOpen) return queue.connection;
    const endpoint = this.view.brokers.get(brokerId)?.endpoints.find((e) => e.listener === this.config.interBrokerListenerName);
    if (!endpoint) throw new Error(`broker ${brokerId} has no ${this.config.interBrokerListenerName} endpoint`);
    queue.connection = await this.connect(endpoint.host, endpoint.port, {
      clientId: `controller-${this.controllerId}`,
      timeoutMs: this.config.replicaSocketTimeoutMs,
      maxFrameBytes: this.config.socketRequestMaxBytes,
      signal: this.abort.signal,
      clock: this.clock,
    });
    return queue.connection;
  }
}
