// DeleteTopics in-process: by name (v0-5, v6) or id (v6), unknown names and ids, both or neither,
// delete.topic.enable=false per version, messages from v5, and a non-controller refusing.

import { Apis, ErrorCode } from '../../protocol';
import deleteTopics from '../../src/handlers/20-delete-topics';
import { TestBroker, addTopic, call, testBroker, topicIdOf, topicInfo } from './fake-context';

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';
const UNKNOWN_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';

let b: TestBroker;
const start = async (props: Record<string, string | number | boolean> = {}) => {
  b = await testBroker({}, props);
  for (const name of ['a', 'b', 'c']) addTopic(b.metadata, b.logs, topicInfo(name, 1));
};
afterEach(() => b.close());

const byNames = (version: number, ...topicNames: string[]) => call<typeof Apis.DeleteTopics>(deleteTopics, b.ctx(version), { topicNames, timeoutMs: 1000 });
const v6 = (topics: { name?: string | null; topicId?: string }[]) => call<typeof Apis.DeleteTopics>(deleteTopics, b.ctx(6), { topics, timeoutMs: 1000 });

describe('with deletion enabled', () => {
  beforeEach(() => start());

  test('v0-5 delete by name; unknown names are UNKNOWN_TOPIC_OR_PARTITION, with a message from v5', async () => {
    const v4 = await byNames(4, 'a', 'nope');
    expect(v4!.responses.map((r) => [r.name, r.errorCode, r.errorMessage])).toEqual([
      ['a', ErrorCode.NONE, null],
      ['nope', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, null],
    ]);
    const v5 = await byNames(5, 'b', 'nope');
    expect(v5!.responses.map((r) => [r.name, r.errorCode])).toEqual([
      ['b', ErrorCode.NONE],
      ['nope', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
    ]);
    expect(v5!.responses[1].errorMessage).toMatch(/does not host this topic-partition/);
    expect(b.topicAdmin.calls).toEqual(['delete a', 'delete b']);
    expect(b.metadata.topics.list().map((t) => t.name)).toEqual(['c']);
  });

  test('v6 deletes by name or id and answers both; unknown ids are UNKNOWN_TOPIC_ID', async () => {
    const res = await v6([{ name: 'a' }, { topicId: topicIdOf('b') }, { topicId: UNKNOWN_ID }]);
    expect(res!.responses.map((r) => [r.name, r.topicId, r.errorCode])).toEqual([
      ['a', topicIdOf('a'), ErrorCode.NONE],
      ['b', topicIdOf('b'), ErrorCode.NONE],
      [null, UNKNOWN_ID, ErrorCode.UNKNOWN_TOPIC_ID],
    ]);
    expect(b.topicAdmin.calls).toEqual(['delete a', 'delete b']);
  });

  test('v6 with both a name and an id, or neither, is INVALID_REQUEST and deletes nothing', async () => {
    const res = await v6([{ name: 'a', topicId: topicIdOf('a') }, { name: null, topicId: ZERO_UUID }]);
    expect(res!.responses.map((r) => r.errorCode)).toEqual([ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST]);
    expect(b.topicAdmin.calls).toEqual([]);
  });

  test('a broker that is not the controller answers NOT_CONTROLLER for everything', async () => {
    b.metadata.controller = 2;
    const res = await byNames(5, 'a', 'nope');
    expect(res!.responses.map((r) => [r.name, r.errorCode])).toEqual([
      ['a', ErrorCode.NOT_CONTROLLER],
      ['nope', ErrorCode.NOT_CONTROLLER],
    ]);
    expect(b.topicAdmin.calls).toEqual([]);
  });
});

describe('with delete.topic.enable=false', () => {
  beforeEach(() => start({ 'delete.topic.enable': false }));

  test('INVALID_REQUEST before v3, TOPIC_DELETION_DISABLED from v3, and nothing is deleted', async () => {
    expect((await byNames(2, 'a'))!.responses[0].errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect((await byNames(3, 'a', 'nope'))!.responses.map((r) => r.errorCode)).toEqual([ErrorCode.TOPIC_DELETION_DISABLED, ErrorCode.TOPIC_DELETION_DISABLED]);
    expect((await v6([{ topicId: topicIdOf('b') }]))!.responses[0]).toMatchObject({ errorCode: ErrorCode.TOPIC_DELETION_DISABLED, errorMessage: 'Topic deletion is disabled.' });
    expect(b.topicAdmin.calls).toEqual([]);
  });
});
