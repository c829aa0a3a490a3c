// SaslAuthenticate (key 36), v0-2.
// The connection's authenticator takes these while a SASL exchange is under way. One that reaches
// this handler came outside any exchange: Kafka's KafkaApis answers ILLEGAL_SASL_STATE.

import { Apis, ErrorCode } from '../../protocol';
import { handler } from './handler';

export default handler(Apis.SaslAuthenticate, 0, 2, () => ({
  errorCode: ErrorCode.ILLEGAL_SASL_STATE,
  errorMessage: 'SaslAuthenticate request received after successful authentication',
  authBytes: Buffer.alloc(0),
  sessionLifetimeMs: 0n,
}));
