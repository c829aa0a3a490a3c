// Requests a transaction coordinator sends to other brokers (and to this one) over the inter-broker
// listener, with the project's own client: WriteTxnMarkers v1 to partition leaders, and the
// verify-only AddPartitionsToTxn v4 that partition leaders send to coordinators (KIP-890). One
// connection per broker, opened on first use and again after a failure.
import { ApiSpec, Apis, Message, MessageInput } from '../../protocol';
import type { BrokerConnector } from '../client/broker-connector';
import type { KafkaConnection } from '../client/kafka-connection';
import type { Clock } from '../clock';
import type { MarkerResults, MarkerSender, TxnMarker } from './marker-channel';

const WRITE_TXN_MARKERS_VERSION = 1;
/** Kafka's request.timeout.ms default for inter-broker requests. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface InterBrokerClientOptions {
  brokerId: number;
  /** The broker's endpoint on the inter-broker listener; null when it is not alive. */
  endpointOf(brokerId: number): { host: string; port: number } | null;
  clock: Clock;
  /** Opens a connection on the inter-broker listener's security protocol. */
  connect: BrokerConnector;
}

export class InterBrokerClient implements MarkerSender {
  private readonly connections = new Map<number, KafkaConnection>();

  constructor(private readonly opts: InterBrokerClientOptions) {}

  /** Rejects when the broker could not be reached or the connection failed; the next request reconnects. */
  async request<S extends ApiSpec>(brokerId: number, api: S, version: number, body: MessageInput<S['request']>): Promise<Message<S['response']>> {
    const conn = await this.connection(brokerId);
    try {
      return await conn.request(api, version, body, REQUEST_TIMEOUT_MS);
    } catch (err) {
      conn.close();
      throw err;
    }
  }

  async send(brokerId: number, markers: TxnMarker[]): Promise<MarkerResults> {
    const response = await this.request(brokerId, Apis.WriteTxnMarkers, WRITE_TXN_MARKERS_VERSION, {
      markers: markers.map((m) => ({
        producerId: m.producerId,
        producerEpoch: m.producerEpoch,
        transactionResult: m.commit,
        coordinatorEpoch: m.coordinatorEpoch,
        topics: groupByTopic(m.partitions),
      })),
    });
    return response.markers;
  }

  close(): void {
    for (const conn of this.connections.values()) conn.close();
    this.connections.clear();
  }

  private async connection(brokerId: number): Promise<KafkaConnection> {
    const existing = this.connections.get(brokerId);
    if (existing?.isOpen) return existing;
    const endpoint = this.opts.endpointOf(brokerId);
    if (!endpoint) throw new Error(`broker ${brokerId} has no inter-broker endpoint`);
    const conn = await this.opts.connect(endpoint.host, endpoint.port, {
      clientId: `broker-${this.opts.brokerId}-txn`,
      timeoutMs: REQUEST_TIMEOUT_MS,
      clock: this.opts.clock,
    });
    this.connections.set(brokerId, conn);
    return conn;
  }
}

/** Partitions grouped by topic, as the requests name them. */
export function groupByTopic(partitions: { topic: string; partition: number }[]) {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  return [...byTopic].map(([name, partitionIndexes]) => ({ name, partitionIndexes }));
}
