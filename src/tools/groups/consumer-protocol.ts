// Reads a classic consumer group member's assignment (ConsumerProtocolAssignment, any version:
// every version starts with the version-0 layout of topics and partitions).

export interface TopicPartition {
  topic: string;
  partition: number;
}

/** The assigned partitions, in the order the assignment lists them; empty when unreadable. */
export function assignedPartitions(assignment: Buffer): TopicPartition[] {
  const out: TopicPartition[] = [];
  let pos = 0;
  const has = (n: number) => pos + n <= assignment.length;
  if (!has(6)) return out;
  pos += 2;
  const topics = assignment.readInt32BE(pos);
  pos += 4;
  for (let t = 0; t < topics; t++) {
    if (!has(2)) return out;
    const len = assignment.readInt16BE(pos);
    pos += 2;
    if (len < 0 || !has(len + 4)) return out;
    const topic = assignment.toString('utf8', pos, pos + len);
    pos += len;
    const count = assignment.readInt32BE(pos);
    pos += 4;
    for (let p = 0; p < count; p++) {
      if (!has(4)) return out;
      out.push({ topic, partition: assignment.readInt32BE(pos) });
      pos += 4;
    }
  }
  return out;
}

/** Kafka's TopicPartition.toString: "topic-0". */
export const tpString = (tp: TopicPartition): string => `${tp.topic}-${tp.partition}`;
