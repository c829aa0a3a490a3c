// Finalized features of a standalone broker: a small file in its first log dir, in /feature's
// format plus the epoch (the count of writes, as /feature's znode version counts them). Created
// empty and enabled at first start, as a ZooKeeper-mode controller creates /feature.

import { join } from 'node:path';
import { readLogDirJson, writeLogDirJson } from './log-dir-json';
import { FeatureHandling, FeatureResult, FeatureUpdate, FinalizedFeatures, SUPPORTED_FEATURES, VersionRange, applyFeatureUpdates } from './features';

export const STANDALONE_FEATURES_FILE = 'kafka-ts-features.json';

interface StoredFeatures {
  epoch: number;
  features: Record<string, { max_version_level: number }>;
}

export class FileFeatures implements FeatureHandling {
  private readonly file: string;
  private current: FinalizedFeatures;

  constructor(
    logDir: string,
    readonly supported: ReadonlyMap<string, VersionRange> = SUPPORTED_FEATURES,
  ) {
    this.file = join(logDir, STANDALONE_FEATURES_FILE);
    const stored = readLogDirJson<StoredFeatures>(this.file);
    if (stored !== undefined) {
      this.current = { epoch: BigInt(stored.epoch), levels: new Map(Object.entries(stored.features).map(([k, v]) => [k, v.max_version_level])) };
    } else {
      this.current = this.write(new Map(), 0);
    }
  }

  finalized(): FinalizedFeatures {
    return this.current;
  }

  updateFeatures(updates: readonly FeatureUpdate[], validateOnly: boolean): Promise<Map<string, FeatureResult>> {
    return applyFeatureUpdates(updates, validateOnly, this.current.levels, this.supported, async (levels) => {
      this.current = this.write(levels, Number(this.current.epoch) + 1);
    });
  }

  private write(levels: ReadonlyMap<string, number>, epoch: number): FinalizedFeatures {
    const features: StoredFeatures['features'] = {};
    for (const [name, level] of levels) features[name] = { max_version_level: level };
    writeLogDirJson(this.file, { epoch, features } satisfies StoredFeatures);
    return { epoch: BigInt(epoch), levels: new Map(levels) };
  }
}
