// A partition of a topic as clients name it, and Kafka's TopicPartition.toString ("orders-0").

export interface TopicPartition {
  topic: string;
  partition: number;
}

export const tpName = (tp: TopicPartition): string => `${tp.topic}-${tp.partition}`;
