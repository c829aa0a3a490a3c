// Which partition of an internal topic holds a key (a group id, a transactional id): Kafka's
// Utils.abs(key.hashCode) % partitions, so a key lives where Kafka would put it.

/** Java's String.hashCode: s[0]*31^(n-1) + ... + s[n-1] over UTF-16 code units, in int32 arithmetic. */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Kafka's partitionFor: Utils.abs(key.hashCode) % numPartitions, where Utils.abs(MIN_VALUE) is 0. */
export function partitionForKey(key: string, numPartitions: number): number {
  const h = javaStringHashCode(key);
  return (h === -0x80000000 ? 0 : Math.abs(h)) % numPartitions;
}
