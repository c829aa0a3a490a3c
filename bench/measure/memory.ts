// Resident memory of a process from /proc/<pid>/status: VmRSS now, VmHWM the peak since it started.

import { readFileSync } from 'node:fs';

export const MIB = 1024 * 1024;

export interface Memory {
  rssMiB: number;
  peakMiB: number;
}

function field(status: string, name: string): number {
  const m = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (!m) throw new Error(`no ${name} in /proc status`);
  return (Number(m[1]) * 1024) / MIB;
}

export function readMemory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rssMiB: field(status, 'VmRSS'), peakMiB: field(status, 'VmHWM') };
}
