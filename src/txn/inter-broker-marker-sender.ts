// WriteTxnMarkers v1 to other brokers (and to this one) over the inter-broker listener, with the
// project's own client: one connection per broker, opened on first use and again after a failure.
import { Apis } from '../../protocol';
import { KafkaConnection } from '../client/kafka-connection';
import type { Clock } from '../clock';
import type { MarkerResults, MarkerSender, TxnMarker } from './marker-channel';

const WRITE_TXN_MARKERS_VERSION = 1;
/** Kafka's request.timeout.ms default for the marker requests. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface InterBrokerSenderOptions {
  brokerId: number;
  /** The broker's endpoint on the inter-broker listener; null when it is not alive. */
  endpointOf(brokerId: number): { host: string; port: number } | null;
  clock: Clock;
}

export class InterBrokerMarkerSender implements MarkerSender {
  /** The channel sends one request per broker at a time, so one connection each is enough. */
  private readonly connections = new Map<number, KafkaConnection>();

  constructor(private readonly opts: InterBrokerSenderOptions) {}

  async send(brokerId: number, markers: TxnMarker[]): Promise<MarkerResults> {
    const conn = await this.connection(brokerId);
    try {
      const response = await conn.request(
        Apis.WriteTxnMarkers,
        WRITE_TXN_MARKERS_VERSION,
        {
          markers: markers.map((m) => ({
            producerId: m.producerId,
            producerEpoch: m.producerEpoch,
            transactionResult: m.commit,
            coordinatorEpoch: m.coordinatorEpoch,
            topics: groupByTopic(m.partitions),
          })),
        },
        REQUEST_TIMEOUT_MS,
      );
      return response.markers;
    } catch (err) {
      conn.close();
      throw err;
    }
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
    const conn = await KafkaConnection.connect(endpoint.host, endpoint.port, {
      clientId: `broker-${this.opts.brokerId}-txn-marker-sender`,
      timeoutMs: REQUEST_TIMEOUT_MS,
      clock: this.opts.clock,
    });
    this.connections.set(brokerId, conn);
    return conn;
  }
}

function groupByTopic(partitions: { topic: string; partition: number }[]) {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  return [...byTopic].map(([name, partitionIndexes]) => ({ name, partitionIndexes }));
}
