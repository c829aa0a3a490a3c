// The cleaner's key → latest offset map for the dirty section of a log (Kafka's SkimpyOffsetMap). Its
// capacity follows log.cleaner.dedupe.buffer.size as Kafka sizes it: 24 bytes a slot (a 16-byte MD5 of the
// key and an 8-byte offset), filled to a 0.9 load factor. Keys of up to 16 bytes are kept as they are,
// longer ones by their MD5, so memory per entry stays bounded whatever the key size.
import { createHash } from 'node:crypto';

export const BYTES_PER_ENTRY = 24;
/** log.cleaner.io.buffer.load.factor's default. */
export const LOAD_FACTOR = 0.9;
const MAX_RAW_KEY = 16;

function mapKey(key: Buffer): string {
  // A hashed key has 17 characters, so it never equals a raw key of at most 16.
  return key.length <= MAX_RAW_KEY ? key.toString('latin1') : '#' + createHash('md5').update(key).digest().toString('latin1');
}

export class OffsetMap {
  private readonly entries = new Map<string, number>();
  /** Slots the memory would give Kafka's map. */
  readonly slots: number;
  /** Keys the map takes before the cleaner stops mapping (slots × load factor). */
  readonly maxEntries: number;
  /** Last offset the map has covered, -1 when empty. */
  latestOffset = -1;

  constructor(memoryBytes: number) {
    this.slots = Math.max(1, Math.floor(memoryBytes / BYTES_PER_ENTRY));
    this.maxEntries = Math.max(1, Math.floor(this.slots * LOAD_FACTOR));
  }

  get size(): number {
    return this.entries.size;
  }

  get isFull(): boolean {
    return this.entries.size >= this.maxEntries;
  }

  put(key: Buffer, offset: number): void {
    this.entries.set(mapKey(key), offset);
    this.latestOffset = offset;
  }

  /** Latest offset of the key, or -1 if the map does not hold it. */
  get(key: Buffer): number {
    return this.entries.get(mapKey(key)) ?? -1;
  }

  updateLatestOffset(offset: number): void {
    this.latestOffset = offset;
  }

  clear(): void {
    this.entries.clear();
    this.latestOffset = -1;
  }

  get utilization(): number {
    return this.entries.size / this.slots;
  }
}
