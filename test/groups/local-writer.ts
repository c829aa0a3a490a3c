// A PartitionWriter over local partition logs for tests of what the group coordinator writes:
// every write is "replicated" as soon as it is appended.
import { ErrorCode, KafkaError } from '../../protocol/errors';
import type { PartitionWriter } from '../../src/coordinator/internal-topic-coordinator';
import type { PartitionLog } from '../../src/log/partition-log';

export function localWriter(partitionLog: (partition: number) => PartitionLog, now: () => number): PartitionWriter {
  const append = (partition: number, batch: Buffer) => partitionLog(partition).append(batch, { leaderEpoch: 0, timestampType: 0, now: now(), origin: 'coordinator' }).lastOffset + 1;
  return {
    append,
    async appendReplicated(partition, batch) {
      try {
        append(partition, batch);
        return ErrorCode.NONE;
      } catch (e) {
        if (e instanceof KafkaError) return e.code;
        throw e;
      }
    },
  };
}
