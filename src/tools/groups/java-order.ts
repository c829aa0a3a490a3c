// The order in which Java's HashMap iterates TopicPartition keys. Kafka's consumer group tool
// collects rows into HashMaps, so its output lists partitions in this order; reproducing it keeps
// our tables line for line the same as Kafka's.

import { TopicPartition } from './consumer-protocol';

/** Java's String.hashCode (UTF-16 code units, 32-bit wrap-around). */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** TopicPartition.hashCode: 31 * (31 + partition) + topic.hashCode(). */
function topicPartitionHash(tp: TopicPartition): number {
  return (Math.imul(31, 31 + tp.partition) + javaStringHash(tp.topic)) | 0;
}

/** The table size a HashMap has after inserting n keys (16, doubled whenever size exceeds 3/4). */
function tableSize(n: number): number {
  let size = 16;
  while (n > size * 0.75) size *= 2;
  return size;
}

/** The keys in the order a HashMap built by inserting them in this order iterates them. */
export function hashMapOrder<T extends TopicPartition>(keys: readonly T[]): T[] {
  return javaHashOrder(keys, topicPartitionHash);
}

/** Group ids (String keys) in the order a HashMap iterates them. */
export function stringHashMapOrder(keys: readonly string[]): string[] {
  return javaHashOrder(keys, javaStringHash);
}

function javaHashOrder<T>(keys: readonly T[], hash: (k: T) => number): T[] {
  const mask = tableSize(keys.length) - 1;
  const bucket = (k: T) => {
    const h = hash(k);
    return (h ^ (h >>> 16)) & mask;
  };
  return keys
    .map((k, i) => ({ k, i, b: bucket(k) }))
    .sort((x, y) => x.b - y.b || x.i - y.i)
    .map((x) => x.k);
}
