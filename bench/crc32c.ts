// Compares CRC-32C implementations on record-batch-sized and segment-sized buffers.
// Run: npx tsc -p . && node dist/bench/crc32c.js
import { randomBytes } from 'crypto';
import { crc32c as nodeRsCrc32c } from '@node-rs/crc32';
import * as sheetjsCrc32c from 'crc-32/crc32c';

const CANDIDATES: Record<string, (b: Buffer) => number> = {
  '@node-rs/crc32': (b) => nodeRsCrc32c(b) >>> 0,
  'crc-32': (b) => sheetjsCrc32c.buf(b) >>> 0,
};

function measure(fn: (b: Buffer) => number, buf: Buffer, minMillis = 500): number {
  let iterations = 0;
  let sink = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < BigInt(minMillis) * 1_000_000n) {
    for (let i = 0; i < 64; i++) sink ^= fn(buf);
    iterations += 64;
    elapsed = process.hrtime.bigint() - start;
  }
  if (sink === 0.5) console.log(sink);
  const seconds = Number(elapsed) / 1e9;
  return (buf.length * iterations) / seconds / (1024 * 1024);
}

for (const size of [128, 1024, 1024 * 1024]) {
  const buf = randomBytes(size);
  const reference = CANDIDATES['crc-32'](buf);
  for (const [name, fn] of Object.entries(CANDIDATES)) {
    if (fn(buf) !== reference) throw new Error(`${name} disagrees on a ${size}-byte buffer`);
    measure(fn, buf, 100);
    console.log(`${name.padEnd(16)} ${String(size).padStart(8)} B  ${measure(fn, buf).toFixed(0).padStart(7)} MiB/s`);
  }
}
