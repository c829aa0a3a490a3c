// What the figures were measured on, for the results file and the README.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, release, totalmem } from 'node:os';
import { kcatVersion } from './load/kcat';

export interface Machine {
  nproc: number;
  cpu: string;
  memoryGiB: number;
  kernel: string;
  node: string;
  kcat: string | null;
  /** The librdkafka the C mock is built against. */
  librdkafka: string | null;
}

function cpuModel(): string {
  try {
    return /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function librdkafkaVersion(): string | null {
  const r = spawnSync('pkg-config', ['--modversion', 'rdkafka'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

export function describeMachine(): Machine {
  return {
    nproc: availableParallelism(),
    cpu: cpuModel(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    kcat: kcatVersion(),
    librdkafka: librdkafkaVersion(),
  };
}
