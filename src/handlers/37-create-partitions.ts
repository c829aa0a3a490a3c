// CreatePartitions (key 37), v0-3.
// Grows topics to the requested partition count, as the controller does it (any other broker of a
// cluster answers NOT_CONTROLLER): new partitions get the given replicas or are placed as Kafka
// places them after the existing ones; validate_only checks without creating. Errors per topic with
// Kafka's messages: UNKNOWN_TOPIC_OR_PARTITION, INVALID_PARTITIONS (not an increase),
// INVALID_REPLICA_ASSIGNMENT, INVALID_REQUEST for a topic named twice. The answer waits up to
// timeout_ms for the new partitions to have leaders. A topic the principal may not ALTER is
// TOPIC_AUTHORIZATION_FAILED, with Kafka's message.

import { Apis, ErrorCode, KafkaError, wireMessage } from '../../protocol';
import { AclOperation } from '../auth/authorizer';
import { topicAuthorizer } from './authorize';
import { handler } from './handler';

export default handler(Apis.CreatePartitions, 0, 3, async (req, ctx) => {
  const names = req.topics.map((t) => t.name);
  const duplicated = new Set(names.filter((n, i) => names.indexOf(n) !== i));
  const controller = ctx.metadata.isController();
  const alterable = topicAuthorizer(ctx, AclOperation.ALTER);
  const results = [];
  for (const t of req.topics) {
    const result = { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null as string | null };
    try {
      if (duplicated.has(t.name)) throw new KafkaError(ErrorCode.INVALID_REQUEST, 'Duplicate topic in request.');
      if (!controller) throw new KafkaError(ErrorCode.NOT_CONTROLLER, 'This is not the correct controller for this cluster.');
      if (!alterable(t.name)) throw new KafkaError(ErrorCode.TOPIC_AUTHORIZATION_FAILED, 'The topic authorization is failed.');
      await ctx.topicAdmin.createPartitions(t.name, t.count, t.assignments?.map((a) => a.brokerIds) ?? null, req.validateOnly);
      if (!req.validateOnly) await ctx.topicAdmin.waitForLeaders(t.name, req.timeoutMs);
    } catch (err) {
      if (!(err instanceof KafkaError)) throw err;
      if (err.code === ErrorCode.UNKNOWN_SERVER_ERROR) ctx.log.error(`Error creating partitions of ${t.name}: ${err.message}`);
      result.errorCode = err.code;
      result.errorMessage = wireMessage(err);
    }
    results.push(result);
  }
  return { throttleTimeMs: 0, results };
});
