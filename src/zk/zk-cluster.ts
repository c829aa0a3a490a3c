// ZooKeeper mode (being written).
import { BrokerConfig } from '../config';
import { Cluster, StoredIdentity } from '../cluster/cluster';
import { Logger } from '../logger';

export class ZkCluster {
  static async connect(_config: BrokerConfig, _stored: StoredIdentity, _log: Logger): Promise<Cluster> {
    throw new Error('ZooKeeper mode is not available yet');
  }
}
