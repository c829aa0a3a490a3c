// AlterReplicaLogDirs in-process: each partition's answer comes from replication (the checks
// themselves are tested with the mover, test/replication/log-dir-mover.test.ts), grouped by topic; a
// partition named under two dirs moves to the one named last. The same answer in v0 and v2.

import { Apis, ErrorCode } from '../../protocol';
import alterReplicaLogDirs from '../../src/handlers/34-alter-replica-log-dirs';
import { TestBroker, call, testBroker } from './fake-context';

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
});
afterEach(() => b.close());

test.each([0, 1, 2])('v%i: results per topic, each partition once, with its own error', async (version) => {
  b.replication.alterLogDirAnswer = (topic, partition) => (topic === 'b' ? ErrorCode.REPLICA_NOT_AVAILABLE : partition === 1 ? ErrorCode.LOG_DIR_NOT_FOUND : ErrorCode.NONE);
  const res = await call<typeof Apis.AlterReplicaLogDirs>(alterReplicaLogDirs, b.ctx(version), {
    dirs: [
      { path: '/d0', topics: [{ name: 'a', partitions: [0, 1] }, { name: 'b', partitions: [0] }] },
      { path: '/d1', topics: [{ name: 'a', partitions: [0] }] },
    ],
  });
  expect(res).toEqual({
    throttleTimeMs: 0,
    results: [
      { topicName: 'a', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.NONE }, { partitionIndex: 1, errorCode: ErrorCode.LOG_DIR_NOT_FOUND }] },
      { topicName: 'b', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.REPLICA_NOT_AVAILABLE }] },
    ],
  });
  expect(b.replication.calls).toEqual(['move a-0 to /d1', 'move a-1 to /d0', 'move b-0 to /d0']);
});
