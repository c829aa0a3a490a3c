// Leader epoch → start offset history of a partition (LeaderEpochFileCache), persisted in the text
// checkpoint `leader-epoch-checkpoint` (`0`, count, `<epoch> <startOffset>` lines) on every change.
import { CorruptCheckpointError, readCheckpointFile, writeCheckpointFile } from './checkpoint-file';

export interface EpochEntry {
  epoch: number;
  startOffset: number;
}

/** OffsetsForLeaderEpoch answer: -1/-1 when the epoch is unknown. */
export interface EpochEndOffset {
  epoch: number;
  endOffset: number;
}

const VERSION = 0;
export const UNDEFINED_EPOCH = -1;
export const UNDEFINED_EPOCH_OFFSET = -1;

export class LeaderEpochCache {
  private epochs: EpochEntry[];

  private constructor(
    readonly file: string,
    entries: EpochEntry[],
  ) {
    this.epochs = entries;
  }

  /** Reads the checkpoint; a missing file is an empty cache, a malformed one throws CorruptCheckpointError. */
  static load(file: string): LeaderEpochCache {
    const lines = readCheckpointFile(file, VERSION);
    const entries: EpochEntry[] = [];
    for (const line of lines ?? []) {
      const parts = line.trim().split(/\s+/);
      const epoch = Number(parts[0]);
      const startOffset = Number(parts[1]);
      if (parts.length !== 2 || !Number.isInteger(epoch) || !Number.isSafeInteger(startOffset)) {
        throw new CorruptCheckpointError(file, `bad entry ${JSON.stringify(line)}`);
      }
      entries.push({ epoch, startOffset });
    }
    return new LeaderEpochCache(file, entries);
  }

  static empty(file: string): LeaderEpochCache {
    return new LeaderEpochCache(file, []);
  }

  entries(): readonly EpochEntry[] {
    return this.epochs;
  }

  latestEntry(): EpochEntry | undefined {
    return this.epochs[this.epochs.length - 1];
  }

  latestEpoch(): number {
    return this.latestEntry()?.epoch ?? UNDEFINED_EPOCH;
  }

  /** Records that `epoch` starts at `startOffset`, dropping entries it contradicts. Returns whether it changed. */
  assign(epoch: number, startOffset: number): boolean {
    if (epoch < 0 || startOffset < 0) return false;
    const last = this.latestEntry();
    if (last && epoch === last.epoch && startOffset >= last.startOffset) return false;
    while (this.epochs.length > 0) {
      const e = this.epochs[this.epochs.length - 1];
      if (e.epoch < epoch && e.startOffset < startOffset) break;
      this.epochs.pop();
    }
    this.epochs.push({ epoch, startOffset });
    this.persist();
    return true;
  }

  /** Epoch of the leader that wrote `offset`, or -1 if it precedes every entry. */
  epochForOffset(offset: number): number {
    let found = UNDEFINED_EPOCH;
    for (const e of this.epochs) {
      if (e.startOffset > offset) break;
      found = e.epoch;
    }
    return found;
  }

  /** The (largest epoch ≤ requested, end offset of it) pair used by OffsetsForLeaderEpoch. */
  endOffsetFor(requestedEpoch: number, logEndOffset: number): EpochEndOffset {
    if (requestedEpoch === UNDEFINED_EPOCH) return { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    if (requestedEpoch === this.latestEpoch()) return { epoch: requestedEpoch, endOffset: logEndOffset };
    const higher = this.epochs.find((e) => e.epoch > requestedEpoch);
    if (!higher) return { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    let floor: EpochEntry | undefined;
    for (const e of this.epochs) if (e.epoch <= requestedEpoch) floor = e;
    return { epoch: floor ? floor.epoch : requestedEpoch, endOffset: higher.startOffset };
  }

  /** Drops entries starting at or after `endOffset` (log truncation). */
  truncateFromEnd(endOffset: number): void {
    const before = this.epochs.length;
    this.epochs = this.epochs.filter((e) => e.startOffset < endOffset);
    if (this.epochs.length !== before) this.persist();
  }

  /** Drops entries wholly before `startOffset`, moving the last of them up to it (log start moved). */
  truncateFromStart(startOffset: number): void {
    let i = 0;
    while (i < this.epochs.length && this.epochs[i].startOffset <= startOffset) i++;
    if (i === 0) return;
    const kept = this.epochs[i - 1];
    if (i === 1 && kept.startOffset === startOffset) return;
    this.epochs = [{ epoch: kept.epoch, startOffset }, ...this.epochs.slice(i)];
    this.persist();
  }

  clear(): void {
    this.epochs = [];
    this.persist();
  }

  private persist(): void {
    writeCheckpointFile(
      this.file,
      VERSION,
      this.epochs.map((e) => `${e.epoch} ${e.startOffset}`),
    );
  }
}
