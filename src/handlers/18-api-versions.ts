// ApiVersions (key 18), v0-4.
// Built from the handler table, so it never advertises an API the broker cannot serve. A version
// newer than 4 never reaches this handler: the dispatcher answers it with v0 and UNSUPPORTED_VERSION.
// v3+ also carries the features: those this broker supports (none, as a ZooKeeper-mode 3.9 broker)
// and the finalized ones with their epoch (/feature's znode version; -1 when none), each level as
// both its min and max, as Kafka reports them.

import { Apis, ErrorCode } from '../../protocol';
import { handler } from './handler';

export default handler(Apis.ApiVersions, 0, 4, (_req, ctx) => {
  const finalized = ctx.features.finalized();
  return {
    errorCode: ErrorCode.NONE,
    apiKeys: ctx.apis.map((a) => ({ ...a })),
    throttleTimeMs: 0,
    supportedFeatures: [...ctx.features.supported].map(([name, r]) => ({ name, minVersion: r.min, maxVersion: r.max })),
    finalizedFeaturesEpoch: finalized.epoch,
    finalizedFeatures: [...finalized.levels].map(([name, level]) => ({ name, maxVersionLevel: level, minVersionLevel: level })),
    zkMigrationReady: false,
  };
});
