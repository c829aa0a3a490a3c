// FindCoordinator (key 10), v0-6.
// Group keys (key type 0) are coordinated by the leader of the key's __consumer_offsets partition,
// transactional ids (key type 1, v1+) by the leader of the id's __transaction_state partition
// (standalone: always this broker). Each topic is created on first use, as Kafka does; until the
// partition has a leader the answer is COORDINATOR_NOT_AVAILABLE.
// Batched keys from v4; other key types INVALID_REQUEST. A key needs DESCRIBE on the group
// (GROUP_AUTHORIZATION_FAILED) or the transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED).

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { AclOperation, ResourceType } from '../auth/authorizer';
import { authorizationMessage, authorized } from './authorize';
import { handler } from './handler';

const GROUP = 0;
const TRANSACTION = 1;

export default handler(Apis.FindCoordinator, 0, 6, async (req, ctx) => {
  const { version } = ctx;
  const find = async (key: string) => {
    const fail = (errorCode: number, errorMessage: string) => ({ key, nodeId: -1, host: '', port: -1, errorCode, errorMessage });
    if (req.keyType !== GROUP && req.keyType !== TRANSACTION) return fail(ErrorCode.INVALID_REQUEST, `Unknown coordinator type ${req.keyType}`);
    if (req.keyType === GROUP && !authorized(ctx, AclOperation.DESCRIBE, ResourceType.GROUP, key)) {
      return fail(ErrorCode.GROUP_AUTHORIZATION_FAILED, authorizationMessage(ErrorCode.GROUP_AUTHORIZATION_FAILED)!);
    }
    if (req.keyType === TRANSACTION && !authorized(ctx, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, key)) {
      return fail(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, authorizationMessage(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)!);
    }
    try {
      const nodeId = await (req.keyType === GROUP ? ctx.groups.coordinatorFor(key) : ctx.transactions.coordinatorFor(key));
      const node = ctx.metadata.liveBrokers(ctx.session.listenerName).find((b) => b.id === nodeId);
      if (!node) return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'The coordinator is not available.');
      return { key, nodeId, host: node.host, port: node.port, errorCode: ErrorCode.NONE, errorMessage: null };
    } catch (err) {
      if (!(err instanceof KafkaError)) throw err;
      return fail(err.code, err.message);
    }
  };

  if (version >= 4) {
    const coordinators = [];
    for (const key of req.coordinatorKeys) coordinators.push(await find(key));
    return { throttleTimeMs: 0, coordinators };
  }
  const one = await find(req.key);
  return { throttleTimeMs: 0, errorCode: one.errorCode, errorMessage: one.errorMessage, nodeId: one.nodeId, host: one.host, port: one.port };
});
