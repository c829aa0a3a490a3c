// What handlers may know of the cluster: this broker's and the cluster's ids, the controller, the
// topics and the live brokers, each with its endpoint on the listener a client came in on.

import { Cluster, TopicView } from './cluster';

export interface BrokerEndpoint {
  id: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface MetadataView {
  readonly brokerId: number;
  readonly clusterId: string;
  readonly topics: TopicView;
  /** Id of the active controller, -1 when there is none. */
  controllerId(): number;
  /** Whether this broker is the active controller (a standalone broker always is). */
  isController(): boolean;
  liveBrokerIds(): number[];
  /** Live brokers with their endpoint on that listener; brokers without it are left out, as Kafka does. */
  liveBrokers(listenerName: string): BrokerEndpoint[];
}

export function metadataViewOf(cluster: Cluster): MetadataView {
  return {
    brokerId: cluster.brokerId,
    clusterId: cluster.clusterId,
    get topics() {
      return cluster.topics;
    },
    controllerId: () => cluster.controllerId(),
    isController: () => cluster.controllerId() === cluster.brokerId,
    liveBrokerIds: () => cluster.liveBrokers().map((b) => b.id),
    liveBrokers: (listenerName) =>
      cluster.liveBrokers().flatMap((b) => {
        const e = b.endpoints.find((x) => x.listener === listenerName);
        return e ? [{ id: b.id, host: e.host, port: e.port, rack: b.rack }] : [];
      }),
  };
}
