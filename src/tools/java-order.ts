// The iteration order of Java's HashMap and HashSet, which Kafka's tools print their results in
// (sets of partitions, JSON objects built from HashMaps, Config entries). The order follows from the
// keys' hashCode and the table size the map grew to, so it is reproduced here, not approximated.

/** Java's String.hashCode. */
export function stringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Kafka's TopicPartition.hashCode. */
export function topicPartitionHash(topic: string, partition: number): number {
  return (Math.imul(31, (31 + partition) | 0) + stringHash(topic)) | 0;
}

/**
 * The items in the order a HashMap (or HashSet) fed them in this order iterates them: by bucket
 * (the spread hash masked by the table size, which doubles past a 0.75 load), and by insertion
 * within a bucket (resizes keep that order).
 */
export function javaHashOrder<T>(items: readonly T[], hash: (item: T) => number, initialCapacity = 16): T[] {
  let capacity = 1;
  while (capacity < initialCapacity) capacity *= 2;
  let size = 0;
  for (let i = 0; i < items.length; i++) if (++size > capacity * 0.75) capacity *= 2;
  const bucket = (item: T): number => {
    const h = hash(item);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return items
    .map((item, index) => ({ item, index, bucket: bucket(item) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((e) => e.item);
}

/** Distinct items, in the order a HashSet fed them in this order iterates them. */
export function javaHashSetOrder<T>(items: readonly T[], key: (item: T) => string, hash: (item: T) => number): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return javaHashOrder([...seen.values()], hash);
}

/** A JSON object with its keys in the order Jackson writes a HashMap of them. */
export function javaHashMapJson(entries: readonly [string, string][]): string {
  const ordered = javaHashOrder(entries, ([k]) => stringHash(k));
  return `{${ordered.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
}

/** Topic partitions in the order a HashMap keyed by TopicPartition iterates them. */
export function topicPartitionOrder<T extends { topic: string; partition: number }>(items: readonly T[]): T[] {
  return javaHashOrder(items, (tp) => topicPartitionHash(tp.topic, tp.partition));
}

/** Strings in the order a HashMap keyed by them iterates them. */
export function stringOrder(keys: readonly string[]): string[] {
  return javaHashOrder(keys, stringHash);
}
