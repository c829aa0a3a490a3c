// FindCoordinator (key 10), v0-6.
// Group keys (key type 0) are coordinated by the leader of the key's __consumer_offsets partition;
// standalone, that is always this broker. The offsets topic is created on first use, as Kafka does.
// Batched keys from v4. Transaction keys (type 1) get COORDINATOR_NOT_AVAILABLE until transactions
// exist; other key types INVALID_REQUEST.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { handler } from './handler';

const GROUP = 0;
const TRANSACTION = 1;

export default handler(Apis.FindCoordinator, 0, 6, (req, ctx) => {
  const { broker, version } = ctx;
  const find = (key: string) => {
    const self = broker.endpoint(ctx.listenerName);
    const found = { key, nodeId: broker.brokerId, host: self.host, port: self.port, errorCode: ErrorCode.NONE, errorMessage: null as string | null };
    const fail = (code: number, message: string) => ({ ...found, nodeId: -1, host: '', port: -1, errorCode: code, errorMessage: message });
    if (req.keyType === TRANSACTION) return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'Transactions are not supported yet.');
    if (req.keyType !== GROUP) return fail(ErrorCode.INVALID_REQUEST, `Unknown coordinator type ${req.keyType}`);
    try {
      broker.groups.coordinatorFor(key);
    } catch (err) {
      if (!(err instanceof KafkaError)) throw err;
      return fail(err.code, err.message);
    }
    return found;
  };

  if (version >= 4) return { throttleTimeMs: 0, coordinators: req.coordinatorKeys.map(find) };
  const one = find(req.key);
  return { throttleTimeMs: 0, errorCode: one.errorCode, errorMessage: one.errorMessage, nodeId: one.nodeId, host: one.host, port: one.port };
});
