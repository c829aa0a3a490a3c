// Kafka's text checkpoint files (CheckpointFile): version line, entry count line, one entry per line.
import * as fs from 'node:fs';
import { writeFileAtomicSync } from './atomic-file';

export class CorruptCheckpointError extends Error {
  constructor(file: string, why: string) {
    super(`malformed checkpoint file ${file}: ${why}`);
    this.name = 'CorruptCheckpointError';
  }
}

export function formatCheckpoint(version: number, lines: readonly string[]): string {
  return `${version}\n${lines.length}\n` + lines.map((l) => l + '\n').join('');
}

export function writeCheckpointFile(file: string, version: number, lines: readonly string[]): void {
  writeFileAtomicSync(file, formatCheckpoint(version, lines));
}

/** Entry lines of a checkpoint file, or null if it does not exist. Throws CorruptCheckpointError when malformed. */
export function readCheckpointFile(file: string, expectedVersion: number): string[] | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length < 2) throw new CorruptCheckpointError(file, 'missing version or count line');
  if (lines[0].trim() !== String(expectedVersion)) {
    throw new CorruptCheckpointError(file, `unrecognized version ${JSON.stringify(lines[0])}`);
  }
  const count = Number(lines[1].trim());
  if (!Number.isInteger(count) || count < 0) throw new CorruptCheckpointError(file, `bad entry count ${JSON.stringify(lines[1])}`);
  const entries = lines.slice(2);
  if (entries.length !== count) {
    throw new CorruptCheckpointError(file, `expected ${count} entries but found ${entries.length}`);
  }
  return entries;
}

export interface OffsetCheckpointEntry {
  topic: string;
  partition: number;
  offset: number;
}

const OFFSET_CHECKPOINT_VERSION = 0;

/** recovery-point / log-start-offset / replication-offset checkpoints: `<topic> <partition> <offset>`. */
export function writeOffsetCheckpoint(file: string, entries: readonly OffsetCheckpointEntry[]): void {
  writeCheckpointFile(
    file,
    OFFSET_CHECKPOINT_VERSION,
    entries.map((e) => `${e.topic} ${e.partition} ${e.offset}`),
  );
}

/** Offsets keyed by `<topic>-<partition>`; empty when the file does not exist. */
export function readOffsetCheckpoint(file: string): Map<string, number> {
  const out = new Map<string, number>();
  const lines = readCheckpointFile(file, OFFSET_CHECKPOINT_VERSION);
  if (lines === null) return out;
  for (const line of lines) {
    const parts = line.trim().split(/\s+/);
    const partition = Number(parts[1]);
    const offset = Number(parts[2]);
    if (parts.length !== 3 || !Number.isInteger(partition) || !Number.isSafeInteger(offset)) {
      throw new CorruptCheckpointError(file, `bad entry ${JSON.stringify(line)}`);
    }
    out.set(`${parts[0]}-${partition}`, offset);
  }
  return out;
}
