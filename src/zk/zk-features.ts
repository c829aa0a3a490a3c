// Finalized features in ZooKeeper mode: every broker watches /feature and reports its levels with
// the znode's version as epoch (FinalizedFeatureChangeListener into ZkMetadataCache); the controller
// writes it, at failover (enableFeatureVersioning) and for UpdateFeatures. A disabled or absent node
// means no finalized features (epoch -1). Levels this broker does not support are refused and the
// last good ones kept, with an error in the log, where Kafka's broker would exit.

import {
  FeatureHandling,
  FeatureResult,
  FeatureUpdate,
  FinalizedFeatures,
  NO_FINALIZED_FEATURES,
  SUPPORTED_FEATURES,
  applyFeatureUpdates,
  unsupportedFeatures,
} from '../cluster/features';
import { Logger } from '../logger';
import { ZooKeeperSession, isZkError } from '../zookeeper';
import { FEATURE } from './zk-paths';
import { FEATURES_ENABLED, decodeFeatures, encodeFeatures } from './znode-payloads';

export class ZkFeatures implements FeatureHandling {
  readonly supported = SUPPORTED_FEATURES;
  private current: FinalizedFeatures = NO_FINALIZED_FEATURES;
  private readonly watch = (): void => void this.reload().catch((err) => this.log.warn(`Reading ${FEATURE} failed: ${(err as Error).message}`));

  constructor(
    private readonly zk: ZooKeeperSession,
    private readonly log: Logger,
  ) {}

  finalized(): FinalizedFeatures {
    return this.current;
  }

  /** Reads /feature and sets the next watch (also after reconnecting: watches may be gone). */
  async reload(): Promise<void> {
    const node = await this.zk.getData(FEATURE, this.watch);
    if (!node) return this.set(NO_FINALIZED_FEATURES, `${FEATURE} does not exist`);
    let decoded;
    try {
      decoded = decodeFeatures(node.data);
    } catch (err) {
      return this.log.error(`Ignoring unreadable ${FEATURE}: ${(err as Error).message}`);
    }
    if (decoded.status !== FEATURES_ENABLED) return this.set(NO_FINALIZED_FEATURES, `${FEATURE} has disabled status`);
    const epoch = BigInt(node.stat.version);
    // A read that lost a race with a newer one.
    if (epoch < this.current.epoch) return;
    const unsupported = unsupportedFeatures(decoded.features, this.supported);
    if (unsupported.length > 0) {
      return this.log.error(`Finalized features at epoch ${epoch} include features this broker does not support (${unsupported.join(', ')}); keeping epoch ${this.current.epoch}`);
    }
    this.set({ epoch, levels: decoded.features }, `epoch ${epoch}`);
  }

  /** The controller's side: writes the new levels and answers once this broker's cache has them. */
  updateFeatures(updates: readonly FeatureUpdate[], validateOnly: boolean): Promise<Map<string, FeatureResult>> {
    return applyFeatureUpdates(updates, validateOnly, this.current.levels, this.supported, async (levels) => {
      try {
        const stat = await this.zk.setData(FEATURE, encodeFeatures(levels), -1);
        await this.reload();
        if (this.current.epoch < BigInt(stat.version)) throw new Error(`finalized features did not reach epoch ${stat.version}`);
      } catch (err) {
        this.log.warn(`Processing of feature updates failed due to error: ${(err as Error).message}`);
        throw err;
      }
    });
  }

  private set(features: FinalizedFeatures, why: string): void {
    if (features.epoch === this.current.epoch && features.levels.size === this.current.levels.size) return;
    this.current = features;
    this.log.info(`Updated finalized features cache (${why}): ${[...features.levels].map(([k, v]) => `${k}=${v}`).join(', ') || 'none'}`);
  }
}

/**
 * KafkaController.enableFeatureVersioning at failover: creates /feature enabled with nothing
 * finalized, or rewrites one that is disabled (dropping its levels) or of version 1.
 */
export async function enableFeatureVersioning(zk: ZooKeeperSession, log: Logger): Promise<void> {
  const node = await zk.getData(FEATURE);
  if (!node) {
    try {
      await zk.create(FEATURE, encodeFeatures(new Map()), 'persistent');
    } catch (err) {
      if (!isZkError(err, 'NODE_EXISTS')) throw err;
    }
    return;
  }
  const existing = decodeFeatures(node.data);
  const enabled = existing.status === FEATURES_ENABLED;
  if (!enabled && existing.features.size > 0) log.warn(`FeatureZNode at path: ${FEATURE} with disabled status contains non-empty features`);
  if (enabled && existing.version === 2) return;
  await zk.setData(FEATURE, encodeFeatures(enabled ? existing.features : new Map()), -1);
}
