// Finalized features (KIP-584) as a ZooKeeper-mode Kafka 3.9 cluster keeps them: the controller
// validates UpdateFeatures against what this broker supports (KafkaController.validateFeatureUpdate)
// and writes the new levels; every broker reports the levels and their epoch in ApiVersions v3+.
// A 3.9 broker in ZooKeeper mode supports no feature (BrokerFeatures.createEmpty()), so in practice
// every upgrade is refused as unsupported; the rules below are Kafka's all the same.

import { ErrorCode } from '../../protocol';

export const UPGRADE = 1;
export const SAFE_DOWNGRADE = 2;
export const UNSAFE_DOWNGRADE = 3;

export interface VersionRange {
  min: number;
  max: number;
}

/** What a ZooKeeper-mode 3.9 broker supports: nothing. */
export const SUPPORTED_FEATURES: ReadonlyMap<string, VersionRange> = new Map();

export interface FinalizedFeatures {
  /** The znode version of /feature (or the standalone file's count of writes), -1 when none. */
  epoch: bigint;
  levels: ReadonlyMap<string, number>;
}

export const NO_FINALIZED_FEATURES: FinalizedFeatures = { epoch: -1n, levels: new Map() };

export interface FeatureUpdate {
  feature: string;
  maxVersionLevel: number;
  upgradeType: number;
}

export interface FeatureResult {
  errorCode: number;
  errorMessage: string | null;
}

/** What handlers see: the supported and finalized features, and the controller's side of UpdateFeatures. */
export interface FeatureHandling {
  readonly supported: ReadonlyMap<string, VersionRange>;
  finalized(): FinalizedFeatures;
  /** Per-feature outcomes (the controller only; the caller checks). */
  updateFeatures(updates: readonly FeatureUpdate[], validateOnly: boolean): Promise<Map<string, FeatureResult>>;
}

const refused = (errorMessage: string): FeatureResult => ({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage });
/** `new ApiError(Errors.NONE)` carries Errors.NONE's message, its name. */
const DONE: FeatureResult = { errorCode: ErrorCode.NONE, errorMessage: 'NONE' };
const UPDATE_FAILED: FeatureResult = { errorCode: ErrorCode.FEATURE_UPDATE_FAILED, errorMessage: 'Unable to update finalized features due to an unexpected server error.' };

/** KafkaController.validateFeatureUpdate: the new level (null: delete the feature), or why not. */
function validate(u: FeatureUpdate, existing: number | undefined, supported: ReadonlyMap<string, VersionRange>): number | null | FeatureResult {
  const level = u.maxVersionLevel;
  if (u.feature === '') return refused('Feature name can not be empty.');
  if (u.upgradeType !== UPGRADE && u.upgradeType !== SAFE_DOWNGRADE && u.upgradeType !== UNSAFE_DOWNGRADE) return refused('Received unknown upgrade type.');
  if (level < 1 && u.upgradeType !== UPGRADE) {
    return existing === undefined ? refused('Can not delete non-existing finalized feature.') : null;
  }
  if (level < 1) return refused(`Can not provide versionLevel: ${level} less than 1 without setting the SAFE downgradeType in the request.`);
  if (existing !== undefined) {
    if (level === existing) {
      return refused(`Can not ${u.upgradeType === SAFE_DOWNGRADE ? 'downgrade' : 'upgrade'} a finalized feature from existing versionLevel:${existing} to the same value.`);
    }
    if (level < existing && u.upgradeType === UPGRADE) {
      return refused(
        `Can not downgrade finalized feature from existing versionLevel:${existing} to provided versionLevel:${level} without setting the downgradeType to SAFE in the request.`,
      );
    }
    if (level > existing && u.upgradeType !== UPGRADE) {
      return refused(`When the downgradeType is set to SAFE in the request, the provided versionLevel:${level} can not be greater than existing versionLevel:${existing}.`);
    }
  }
  const range = supported.get(u.feature);
  if (!range) return refused('Could not apply finalized feature update because the provided feature is not supported.');
  if (level < range.min || level > range.max) {
    return refused(`Could not apply finalized feature update because the provided versionLevel:${level} is lower than the supported minVersion:${range.min}.`);
  }
  return level;
}

/**
 * KafkaController.processFeatureUpdates: each update on its own against the levels as they are,
 * then one write of every valid one (none when nothing changes, or validate_only). A failed write
 * turns every valid update into FEATURE_UPDATE_FAILED.
 */
export async function applyFeatureUpdates(
  updates: readonly FeatureUpdate[],
  validateOnly: boolean,
  current: ReadonlyMap<string, number>,
  supported: ReadonlyMap<string, VersionRange>,
  write: (levels: ReadonlyMap<string, number>) => Promise<void>,
): Promise<Map<string, FeatureResult>> {
  const target = new Map(current);
  const results = new Map<string, FeatureResult>();
  for (const u of updates) {
    const outcome = validate(u, current.get(u.feature), supported);
    if (outcome !== null && typeof outcome === 'object') {
      results.set(u.feature, outcome);
      continue;
    }
    if (outcome === null) target.delete(u.feature);
    else target.set(u.feature, outcome);
    results.set(u.feature, DONE);
  }
  const unchanged = target.size === current.size && [...target].every(([k, v]) => current.get(k) === v);
  if (unchanged || validateOnly) return results;
  try {
    await write(target);
  } catch {
    for (const [feature, r] of results) if (r.errorCode === ErrorCode.NONE) results.set(feature, UPDATE_FAILED);
  }
  return results;
}

/** FinalizedFeatureCache's check: every finalized feature supported at its level (else the update is refused). */
export function unsupportedFeatures(levels: ReadonlyMap<string, number>, supported: ReadonlyMap<string, VersionRange>): string[] {
  return [...levels].filter(([name, level]) => {
    const range = supported.get(name);
    return !range || level < range.min || level > range.max;
  }).map(([name]) => name);
}
