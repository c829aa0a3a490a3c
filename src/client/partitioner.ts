// How a producer picks a record's partition, as Kafka's BuiltInPartitioner does: a keyed record
// goes to murmur2(key) mod the partition count (Utils.murmur2 and toPositive, so keys land where
// the Java client puts them); an unkeyed record sticks to one partition until its batch is sent,
// then moves on (KIP-480's sticky partitioning, without KIP-794's load weighting).

/** Kafka's Utils.murmur2: the 32-bit MurmurHash2 with seed 0x9747b28c, as a signed int. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  const m = 0x5bd1e995;
  const r = 24;
  let h = (0x9747b28c ^ length) | 0;
  const whole = length >> 2;
  for (let i = 0; i < whole; i++) {
    const i4 = i * 4;
    let k = data[i4] | (data[i4 + 1] << 8) | (data[i4 + 2] << 16) | (data[i4 + 3] << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const tail = whole * 4;
  const rest = length & 3;
  if (rest === 3) h ^= data[tail + 2] << 16;
  if (rest >= 2) h ^= data[tail + 1] << 8;
  if (rest >= 1) {
    h ^= data[tail];
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's Utils.toPositive: clears the sign bit (not Math.abs, which differs for MIN_VALUE). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/** The partition of a keyed record. */
export function partitionForKey(key: Uint8Array, partitionCount: number): number {
  return toPositive(murmur2(key)) % partitionCount;
}

/** Sticky choice for unkeyed records: one partition per topic until the producer says its batch went. */
export class StickyPartitioner {
  private readonly current = new Map<string, number>();

  partition(topic: string, partitionCount: number): number {
    const existing = this.current.get(topic);
    if (existing !== undefined && existing < partitionCount) return existing;
    const chosen = Math.floor(Math.random() * partitionCount);
    this.current.set(topic, chosen);
    return chosen;
  }

  /** The batch of `partition` was closed: the next unkeyed record of the topic goes elsewhere (when there is elsewhere). */
  batchClosed(topic: string, partition: number, partitionCount: number): void {
    if (this.current.get(topic) !== partition) return;
    if (partitionCount <= 1) return;
    const next = (partition + 1 + Math.floor(Math.random() * (partitionCount - 1))) % partitionCount;
    this.current.set(topic, next);
  }
}
