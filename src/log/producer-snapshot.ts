// Producer state snapshot files `<20-digit offset>.snapshot` in Kafka's format (ProducerStateManager
// writeSnapshot/readSnapshot, version 1): [version int16][crc uint32, CRC-32C of everything after it]
// [int32 count][per producer: producerId int64, producerEpoch int16, lastSequence int32, lastOffset int64,
// offsetDelta int32, timestamp int64, coordinatorEpoch int32, currentTxnFirstOffset int64].
import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32c } from '../../protocol/records/crc32c';
import { writeFileAtomicSync } from './atomic-file';
import { SNAPSHOT_SUFFIX, TMP_SUFFIX, parseOffsetFileName, segmentFile } from './file-names';

export const PRODUCER_SNAPSHOT_VERSION = 1;
const HEADER_SIZE = 2 + 4 + 4;
const ENTRIES_OFFSET = 6;
export const SNAPSHOT_ENTRY_SIZE = 8 + 2 + 4 + 8 + 4 + 8 + 4 + 8;

/** One producer as a snapshot stores it: only its last batch survives a restart. */
export interface SnapshotEntry {
  producerId: bigint;
  producerEpoch: number;
  /** -1 when the producer has no batch (e.g. only a marker was seen). */
  lastSequence: number;
  /** -1 when the producer has no batch. */
  lastOffset: number;
  offsetDelta: number;
  timestamp: number;
  coordinatorEpoch: number;
  /** -1 when no transaction is open. */
  currentTxnFirstOffset: number;
}

export class CorruptSnapshotError extends Error {
  constructor(file: string, why: string) {
    super(`producer snapshot ${file} is corrupt: ${why}`);
    this.name = 'CorruptSnapshotError';
  }
}

export function encodeProducerSnapshot(entries: readonly SnapshotEntry[]): Buffer {
  const buf = Buffer.alloc(HEADER_SIZE + entries.length * SNAPSHOT_ENTRY_SIZE);
  buf.writeInt16BE(PRODUCER_SNAPSHOT_VERSION, 0);
  buf.writeInt32BE(entries.length, 6);
  let pos = HEADER_SIZE;
  for (const e of entries) {
    buf.writeBigInt64BE(e.producerId, pos);
    buf.writeInt16BE(e.producerEpoch, pos + 8);
    buf.writeInt32BE(e.lastSequence, pos + 10);
    buf.writeBigInt64BE(BigInt(e.lastOffset), pos + 14);
    buf.writeInt32BE(e.offsetDelta, pos + 22);
    buf.writeBigInt64BE(BigInt(e.timestamp), pos + 26);
    buf.writeInt32BE(e.coordinatorEpoch, pos + 34);
    buf.writeBigInt64BE(BigInt(e.currentTxnFirstOffset), pos + 38);
    pos += SNAPSHOT_ENTRY_SIZE;
  }
  buf.writeUInt32BE(crc32c(buf, ENTRIES_OFFSET), 2);
  return buf;
}

/** Throws CorruptSnapshotError for a wrong version, CRC, or size; the count is checked against the file size before use. */
export function decodeProducerSnapshot(buf: Buffer, file = 'snapshot'): SnapshotEntry[] {
  if (buf.length < HEADER_SIZE) throw new CorruptSnapshotError(file, `only ${buf.length} bytes`);
  const version = buf.readInt16BE(0);
  if (version !== PRODUCER_SNAPSHOT_VERSION) throw new CorruptSnapshotError(file, `unknown version ${version}`);
  const crc = buf.readUInt32BE(2);
  const computed = crc32c(buf, ENTRIES_OFFSET);
  if (crc !== computed) throw new CorruptSnapshotError(file, `CRC ${crc} does not match ${computed}`);
  const count = buf.readInt32BE(6);
  if (count < 0 || count * SNAPSHOT_ENTRY_SIZE !== buf.length - HEADER_SIZE) {
    throw new CorruptSnapshotError(file, `${count} entries do not match ${buf.length} bytes`);
  }
  const entries: SnapshotEntry[] = [];
  for (let pos = HEADER_SIZE; pos < buf.length; pos += SNAPSHOT_ENTRY_SIZE) {
    entries.push({
      producerId: buf.readBigInt64BE(pos),
      producerEpoch: buf.readInt16BE(pos + 8),
      lastSequence: buf.readInt32BE(pos + 10),
      lastOffset: Number(buf.readBigInt64BE(pos + 14)),
      offsetDelta: buf.readInt32BE(pos + 22),
      timestamp: Number(buf.readBigInt64BE(pos + 26)),
      coordinatorEpoch: buf.readInt32BE(pos + 34),
      currentTxnFirstOffset: Number(buf.readBigInt64BE(pos + 38)),
    });
  }
  return entries;
}

export function snapshotFile(dir: string, offset: number): string {
  return segmentFile(dir, offset, SNAPSHOT_SUFFIX);
}

/** Offsets of the snapshot files in `dir`, ascending. */
export function listSnapshotOffsets(dir: string): number[] {
  const out: number[] = [];
  for (const name of fs.readdirSync(dir)) {
    const offset = parseOffsetFileName(name, SNAPSHOT_SUFFIX);
    if (offset !== null) out.push(offset);
  }
  return out.sort((a, b) => a - b);
}

/** `sync` fsyncs it (clean close); a roll leaves that to the OS, as Kafka's roll defers it. */
export function writeProducerSnapshot(dir: string, offset: number, entries: readonly SnapshotEntry[], sync = true): void {
  const file = snapshotFile(dir, offset);
  const bytes = encodeProducerSnapshot(entries);
  if (sync) {
    writeFileAtomicSync(file, bytes);
  } else {
    fs.writeFileSync(file + TMP_SUFFIX, bytes);
    fs.renameSync(file + TMP_SUFFIX, file);
  }
}

export function readProducerSnapshot(dir: string, offset: number): SnapshotEntry[] {
  const file = snapshotFile(dir, offset);
  return decodeProducerSnapshot(fs.readFileSync(file), path.basename(file));
}

export function deleteSnapshot(dir: string, offset: number): void {
  fs.rmSync(snapshotFile(dir, offset), { force: true });
}
