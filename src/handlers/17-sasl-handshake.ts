// SaslHandshake (key 17), v0-1.
// On a SASL listener the connection's authenticator takes every handshake (authentication and
// KIP-368 re-authentication) before the dispatcher sees it. One that reaches this handler came on
// a listener without SASL, or on an authenticated connection that cannot re-authenticate now (no
// session lifetime, or less than a second since the last one): Kafka's KafkaApis answers
// ILLEGAL_SASL_STATE with no mechanisms.

import { Apis, ErrorCode } from '../../protocol';
import { handler } from './handler';

export default handler(Apis.SaslHandshake, 0, 1, () => ({ errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: [] }));
