// CreateTopics with an explicit replica assignment, as a test that chooses its leaders sends it.

import { Apis, ErrorCode } from '../../protocol';
import { KafkaConnection } from '../../src/client/kafka-connection';

/** Creates `name` with `assignment[p]` as partition p's replicas (the first one preferred); fails the test on an error. */
export async function createAssignedTopic(via: KafkaConnection, name: string, assignment: number[][], configs: Record<string, string> = {}): Promise<void> {
  const res = await via.request(Apis.CreateTopics, 7, {
    topics: [
      {
        name,
        numPartitions: -1,
        replicationFactor: -1,
        assignments: assignment.map((brokerIds, partitionIndex) => ({ partitionIndex, brokerIds })),
        configs: Object.entries(configs).map(([k, value]) => ({ name: k, value })),
      },
    ],
    timeoutMs: 10_000,
  });
  expect(res.topics[0].errorCode).toBe(ErrorCode.NONE);
}
