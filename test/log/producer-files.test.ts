// On-disk formats pinned byte by byte: producer state snapshots and `.txnindex` entries, written out by
// hand from Kafka's field layout; the CRC comes from a bitwise CRC-32C here, not the project's.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CorruptSnapshotError,
  SnapshotEntry,
  decodeProducerSnapshot,
  encodeProducerSnapshot,
  listSnapshotOffsets,
  readProducerSnapshot,
  writeProducerSnapshot,
} from '../../src/log/producer-snapshot';
import { ABORTED_TXN_ENTRY_SIZE, TxnIndex, decodeAbortedTxns, encodeAbortedTxn } from '../../src/log/txn-index';
import { makeTempDir, removeDir } from './helpers';

function bitwiseCrc32c(buf: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of buf) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

const ENTRIES: SnapshotEntry[] = [
  {
    producerId: 42n,
    producerEpoch: 3,
    lastSequence: 9,
    lastOffset: 100,
    offsetDelta: 4,
    timestamp: 1_700_000_000_000,
    coordinatorEpoch: 7,
    currentTxnFirstOffset: -1,
  },
  {
    producerId: 0x0102030405060708n,
    producerEpoch: 0,
    lastSequence: -1,
    lastOffset: -1,
    offsetDelta: 0,
    timestamp: 5,
    coordinatorEpoch: -1,
    currentTxnFirstOffset: 96,
  },
];

// Everything after the CRC field: count, then each entry's fields in Kafka's order.
const ENTRY_BYTES = hex(`
  00000002
  000000000000002a 0003 00000009 0000000000000064 00000004 0000018bcfe56800 00000007 ffffffffffffffff
  0102030405060708 0000 ffffffff ffffffffffffffff 00000000 0000000000000005 ffffffff 0000000000000060
`);

let dir: string;
beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => removeDir(dir));

describe('producer snapshot format', () => {
  test('golden bytes: version 1, CRC-32C of what follows the CRC field, count, fixed 46-byte entries', () => {
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(bitwiseCrc32c(ENTRY_BYTES));
    const expected = Buffer.concat([hex('0001'), crc, ENTRY_BYTES]);
    expect(encodeProducerSnapshot(ENTRIES).toString('hex')).toBe(expected.toString('hex'));
    expect(decodeProducerSnapshot(expected)).toEqual(ENTRIES);
  });

  test('an empty snapshot is version, CRC and a zero count', () => {
    const bytes = encodeProducerSnapshot([]);
    expect(bytes.length).toBe(10);
    expect(bytes.readUInt32BE(2)).toBe(bitwiseCrc32c(hex('00000000')));
  });

  test('a wrong CRC, version, or count is corrupt', () => {
    const good = encodeProducerSnapshot(ENTRIES);
    const flipped = Buffer.from(good);
    flipped[20] ^= 1;
    expect(() => decodeProducerSnapshot(flipped)).toThrow(CorruptSnapshotError);
    const v2 = Buffer.from(good);
    v2.writeInt16BE(2, 0);
    expect(() => decodeProducerSnapshot(v2)).toThrow(/version 2/);
    expect(() => decodeProducerSnapshot(good.subarray(0, good.length - 46))).toThrow(CorruptSnapshotError);
    expect(() => decodeProducerSnapshot(good.subarray(0, 5))).toThrow(CorruptSnapshotError);
  });

  test('files are named by their 20-digit offset and listed in order', () => {
    writeProducerSnapshot(dir, 120, ENTRIES);
    writeProducerSnapshot(dir, 7, [], false);
    expect(fs.readdirSync(dir).sort()).toEqual(['00000000000000000007.snapshot', '00000000000000000120.snapshot']);
    expect(listSnapshotOffsets(dir)).toEqual([7, 120]);
    expect(readProducerSnapshot(dir, 120)).toEqual(ENTRIES);
  });
});

describe('.txnindex format', () => {
  const entry = { producerId: 42n, firstOffset: 5, lastOffset: 12, lastStableOffset: 13 };
  const golden = hex('0000 000000000000002a 0000000000000005 000000000000000c 000000000000000d');

  test('golden bytes: version 0, producer id, first offset, last offset, last stable offset', () => {
    expect(golden.length).toBe(ABORTED_TXN_ENTRY_SIZE);
    expect(encodeAbortedTxn(entry).toString('hex')).toBe(golden.toString('hex'));
    expect(decodeAbortedTxns(golden)).toEqual([entry]);
  });

  test('the file appears with the first entry, survives reopening, and truncates by marker offset', () => {
    const file = path.join(dir, '00000000000000000000.txnindex');
    const idx = new TxnIndex(file);
    expect(idx.entries()).toEqual([]);
    expect(fs.existsSync(file)).toBe(false);
    idx.append(entry);
    idx.append({ producerId: 7n, firstOffset: 14, lastOffset: 20, lastStableOffset: 21 });
    expect(fs.readFileSync(file).subarray(0, 34).toString('hex')).toBe(golden.toString('hex'));
    expect(new TxnIndex(file).entries().map((e) => e.lastOffset)).toEqual([12, 20]);
    expect(() => idx.append({ ...entry, lastOffset: 19 })).toThrow();
    idx.truncateTo(20);
    expect(fs.statSync(file).size).toBe(34);
    expect(new TxnIndex(file).entries()).toEqual([entry]);
  });

  test('collect: overlapping aborts, complete once an entry LSO reaches the upper bound', () => {
    const idx = new TxnIndex(path.join(dir, 'x.txnindex'));
    idx.append({ producerId: 1n, firstOffset: 0, lastOffset: 4, lastStableOffset: 5 });
    idx.append({ producerId: 2n, firstOffset: 6, lastOffset: 9, lastStableOffset: 10 });
    idx.append({ producerId: 3n, firstOffset: 12, lastOffset: 15, lastStableOffset: 16 });
    expect(idx.collect(5, 10)).toEqual({ aborted: [expect.objectContaining({ producerId: 2n })], complete: true });
    expect(idx.collect(0, 100).aborted.length).toBe(3);
    expect(idx.collect(0, 100).complete).toBe(false);
    expect(idx.collect(16, 100).aborted).toEqual([]);
  });

  test('bytes that are not whole entries are refused; a torn last entry in a file is dropped', () => {
    expect(() => decodeAbortedTxns(Buffer.alloc(35))).toThrow(/multiple of 34/);
    const file = path.join(dir, 'torn.txnindex');
    fs.writeFileSync(file, Buffer.concat([golden, golden.subarray(0, 10)]));
    expect(new TxnIndex(file).entries()).toEqual([entry]);
    expect(fs.statSync(file).size).toBe(34);
  });
});
