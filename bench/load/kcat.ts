// kcat (librdkafka's command-line client) as a producer no one here wrote: `kcat -P -l` of a file of
// newline-separated records, with librdkafka's default producer settings (acks=all, linger.ms=5,
// sticky partitioning), timed from spawn to exit.

import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { Endpoint } from './produce';
import { Throughput, throughput } from './throughput';

const DISTINCT_LINES = 65_536;

/** E.g. "1.7.1 (librdkafka 2.0.2)", or null when kcat is not installed. */
export function kcatVersion(): string | null {
  const r = spawnSync('kcat', ['-V'], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const m = /^Version (\S+) .*librdkafka (\S+)/m.exec(r.stdout);
  return m ? `${m[1]} (librdkafka ${m[2]})` : 'unknown version';
}

/** `count` lines of `recordBytes` printable random characters each. */
export function writeRecordsFile(path: string, count: number, recordBytes: number): void {
  const block = Buffer.from(
    Array.from({ length: DISTINCT_LINES }, () => randomBytes(recordBytes).toString('base64').slice(0, recordBytes) + '\n').join(''),
  );
  const lineBytes = recordBytes + 1;
  const fd = openSync(path, 'w');
  try {
    for (let written = 0; written < count; written += DISTINCT_LINES) {
      writeSync(fd, block, 0, Math.min(DISTINCT_LINES, count - written) * lineBytes);
    }
  } finally {
    closeSync(fd);
  }
}

export function kcatProduce(server: Endpoint, topic: string, file: string, count: number, recordBytes: number, timeoutMs = 300_000): Promise<Throughput> {
  const start = performance.now();
  const child = spawn('kcat', ['-P', '-q', '-b', `${server.host}:${server.port}`, '-t', topic, '-l', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - start) / 1000;
      if (code !== 0 || errors.trim()) reject(new Error(`kcat exited with ${code ?? signal}: ${errors.trim().slice(0, 500)}`));
      else resolve(throughput(seconds, count, recordBytes));
    });
  });
}
