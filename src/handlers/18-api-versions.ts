// ApiVersions (key 18), v0-4.
// Built from the handler table, so it never advertises an API the broker cannot serve. A version
// newer than 4 never reaches this handler: the dispatcher answers it with v0 and UNSUPPORTED_VERSION.
// No features are finalized in ZooKeeper mode, hence epoch -1.

import { Apis, ErrorCode } from '../../protocol';
import { handler } from './handler';

export default handler(Apis.ApiVersions, 0, 4, (_req, ctx) => ({
  errorCode: ErrorCode.NONE,
  apiKeys: ctx.apis.map((a) => ({ ...a })),
  throttleTimeMs: 0,
  supportedFeatures: [],
  finalizedFeaturesEpoch: -1n,
  finalizedFeatures: [],
  zkMigrationReady: false,
}));
