// DeleteTopics (key 20), v0-6.
// By name (v0-5 topic_names, v6 topics[].name) or by id (v6). Unknown names get
// UNKNOWN_TOPIC_OR_PARTITION, unknown ids UNKNOWN_TOPIC_ID, both or neither INVALID_REQUEST, and
// everything TOPIC_DELETION_DISABLED when delete.topic.enable is false (INVALID_REQUEST before v3).
// A broker that is not the controller answers NOT_CONTROLLER for everything, as a ZooKeeper-mode
// Kafka does. A deleted topic's partition directories are renamed `-delete` and removed in the
// background, as Kafka does. Deleting needs DELETE on the topic (TOPIC_AUTHORIZATION_FAILED, asked
// before the topic's existence); one named by id without DESCRIBE on it is TOPIC_AUTHORIZATION_FAILED
// with no name, so the id does not give the name away.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { AclOperation } from '../auth/authorizer';
import { ZERO_UUID } from '../cluster/topic';
import { topicAuthorizer } from './authorize';
import { handler } from './handler';

export default handler(Apis.DeleteTopics, 0, 6, async (req, ctx) => {
  const { version } = ctx;
  const wanted = version >= 6 ? req.topics : req.topicNames.map((name) => ({ name, topicId: ZERO_UUID }));
  const controller = ctx.metadata.isController();
  const disabled = version < 3 ? ErrorCode.INVALID_REQUEST : ErrorCode.TOPIC_DELETION_DISABLED;
  const describable = topicAuthorizer(ctx, AclOperation.DESCRIBE);
  const deletable = topicAuthorizer(ctx, AclOperation.DELETE);
  const responses = [];
  for (const w of wanted) {
    const response = { name: w.name, topicId: w.topicId, errorCode: ErrorCode.NONE, errorMessage: null as string | null };
    if (!controller) {
      responses.push({ ...response, errorCode: ErrorCode.NOT_CONTROLLER });
      continue;
    }
    try {
      if (!ctx.config.deleteTopicEnable) throw new KafkaError(disabled, 'Topic deletion is disabled.');
      const byId = w.topicId !== ZERO_UUID;
      if (byId === (w.name !== null)) throw new KafkaError(ErrorCode.INVALID_REQUEST, 'Exactly one of topic name and topic id must be given.');
      const name = byId ? ctx.metadata.topics.getById(w.topicId)?.name : w.name!;
      if (name === undefined) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_ID, 'This server does not host this topic ID.');
      if ((byId && !describable(name)) || !deletable(name)) {
        // As Kafka: only the code, and (by id, unless the topic may be described) no name.
        responses.push({ ...response, name: byId && !describable(name) ? null : name, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED });
        continue;
      }
      const topic = ctx.metadata.topics.get(name);
      if (!topic) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'This server does not host this topic-partition.');
      response.name = topic.name;
      response.topicId = topic.id;
      await ctx.topicAdmin.deleteTopic(topic.name);
    } catch (err) {
      if (!(err instanceof KafkaError)) throw err;
      response.errorCode = err.code;
      if (version >= 5) response.errorMessage = err.message;
    }
    responses.push(response);
  }
  return { throttleTimeMs: 0, responses };
});
