// What a ZooKeeper-mode broker settles before anything else (KafkaServer.startup): Kafka's
// persistent top-level znodes, the cluster id kept in /cluster/id, and its own broker id.

import { BrokerConfig } from '../config';
import { StoredIdentity } from '../cluster/cluster';
import { randomUuid } from '../cluster/topic';
import { Logger } from '../logger';
import { isZkError, ZooKeeperSession } from '../zookeeper';
import { BROKER_SEQID, CLUSTER_ID, PERSISTENT_PATHS } from './zk-paths';
import { decodeClusterId, encodeClusterId } from './znode-payloads';

/** createRecursive that tolerates an existing node (makeSurePersistentPathExists). */
export async function ensurePath(zk: ZooKeeperSession, path: string, data: Buffer | null = null): Promise<void> {
  try {
    await zk.createRecursive(path, data);
  } catch (err) {
    if (!isZkError(err, 'NODE_EXISTS')) throw err;
  }
}

export async function createTopLevelPaths(zk: ZooKeeperSession): Promise<void> {
  for (const path of PERSISTENT_PATHS) await ensurePath(zk, path);
}

/** /cluster/id, created with a new id when absent; must match the id the log dirs remember. */
export async function clusterIdOf(zk: ZooKeeperSession, stored: StoredIdentity): Promise<string> {
  let id: string;
  const existing = await zk.getData(CLUSTER_ID);
  if (existing) {
    id = decodeClusterId(existing.data);
  } else {
    try {
      id = randomUuid();
      await zk.createRecursive(CLUSTER_ID, encodeClusterId(id));
    } catch (err) {
      if (!isZkError(err, 'NODE_EXISTS')) throw err;
      // Another broker created it first.
      id = decodeClusterId((await zk.getData(CLUSTER_ID))?.data ?? null);
    }
  }
  if (stored.clusterId !== undefined && stored.clusterId !== id) {
    throw new Error(
      `The Cluster ID ${id} doesn't match stored clusterId Some(${stored.clusterId}) in meta.properties. ` +
        'The broker is trying to join the wrong cluster. Configured zookeeper.connect may be wrong.',
    );
  }
  return id;
}

/** broker.id if set, else the one meta.properties remembers, else a new one from /brokers/seqid. */
export async function brokerIdOf(zk: ZooKeeperSession, config: BrokerConfig, stored: StoredIdentity, log: Logger): Promise<number> {
  if (config.brokerId >= 0) return config.brokerId;
  if (stored.brokerId !== undefined) return stored.brokerId;
  if (!config.brokerIdGenerationEnable) throw new Error('broker.id is not set and broker.id.generation.enable is false');
  const id = (await nextBrokerSequenceId(zk)) + config.reservedBrokerMaxId;
  log.info(`Generated broker.id ${id} from ${BROKER_SEQID}`);
  return id;
}

/** Every write to /brokers/seqid bumps its version: a cluster-wide counter (generateBrokerSequenceId). */
async function nextBrokerSequenceId(zk: ZooKeeperSession): Promise<number> {
  for (;;) {
    try {
      return (await zk.setData(BROKER_SEQID, Buffer.alloc(0), -1)).version;
    } catch (err) {
      if (!isZkError(err, 'NO_NODE')) throw err;
      await ensurePath(zk, BROKER_SEQID, Buffer.alloc(0));
    }
  }
}
