// Reading a V8 .cpuprofile (what `node --cpu-prof` writes): self time per function, summed over
// every node of the call tree that runs it, as a share of the time the process was busy. Much of a
// broker's time is in native code (syscalls, copies), so samples are also charged to the innermost
// kafka-ts function on their stack: that names the code that asked for the work.

import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface Hotspot {
  name: string;
  /** File and line in the compiled output (dist/), or Node's own module. */
  location: string;
  selfMs: number;
  /** Of busy time: everything but (idle). */
  percent: number;
}

export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  /** Busy time left out because `exclude` matched a frame on the stack. */
  excludedMs: number;
  /** By self time. */
  top: Hotspot[];
  /** By time spent in or below each innermost kafka-ts frame. */
  ownCode: Hotspot[];
}

const OWN_CODE = /\/dist\/(src|protocol)\//;
const OUTSIDE: CallFrame = { functionName: '(not under kafka-ts code)', url: '', lineNumber: -1, columnNumber: -1 };

const sourceMaps = new Map<string, SourceMap | null>();

function sourceMapOf(file: string): SourceMap | null {
  if (!sourceMaps.has(file)) {
    try {
      sourceMaps.set(file, new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8'))));
    } catch {
      sourceMaps.set(file, null);
    }
  }
  return sourceMaps.get(file)!;
}

/** The TypeScript source line, relative to the repository, for compiled files with a source map. */
function location(frame: CallFrame): string {
  if (!frame.url.startsWith('file://')) return frame.url ? `${frame.url}:${frame.lineNumber + 1}` : '';
  const file = fileURLToPath(frame.url);
  const dist = file.lastIndexOf('/dist/');
  const root = dist >= 0 ? file.slice(0, dist) : dirname(file);
  const entry = sourceMapOf(file)?.findEntry(frame.lineNumber, frame.columnNumber);
  if (entry && 'originalSource' in entry) {
    return `${relative(root, resolve(dirname(file), entry.originalSource))}:${entry.originalLine + 1}`;
  }
  return `${relative(root, file)}:${frame.lineNumber + 1}`;
}

class Tally {
  private readonly byFrame = new Map<string, { frame: CallFrame; us: number }>();

  add(frame: CallFrame, us: number): void {
    const key = `${frame.functionName}@${location(frame)}`;
    const entry = this.byFrame.get(key) ?? { frame, us: 0 };
    entry.us += us;
    this.byFrame.set(key, entry);
  }

  top(n: number, busyUs: number): Hotspot[] {
    return [...this.byFrame.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, n)
      .map(({ frame, us }) => ({
        name: frame.functionName || '(anonymous)',
        location: location(frame),
        selfMs: us / 1000,
        percent: (100 * us) / busyUs,
      }));
  }
}

export function summarise(path: string, exclude: (frame: CallFrame) => boolean = () => false, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const parents = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parents.set(child, n.id);
  const innermostOwn = (id: number | undefined): CallFrame => {
    for (; id !== undefined; id = parents.get(id)) if (OWN_CODE.test(frames.get(id)!.url)) return frames.get(id)!;
    return OUTSIDE;
  };
  const excluded = (id: number | undefined): boolean => {
    for (; id !== undefined; id = parents.get(id)) if (exclude(frames.get(id)!)) return true;
    return false;
  };
  const self = new Tally();
  const own = new Tally();
  let idleUs = 0;
  let busyUs = 0;
  let excludedUs = 0;
  profile.samples.forEach((id, i) => {
    const frame = frames.get(id)!;
    const us = profile.timeDeltas[i] ?? 0;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      return;
    }
    if (excluded(id)) {
      excludedUs += us;
      return;
    }
    busyUs += us;
    self.add(frame, us);
    own.add(innermostOwn(id), us);
  });
  return {
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    excludedMs: excludedUs / 1000,
    top: self.top(top, busyUs),
    ownCode: own.top(top, busyUs),
  };
}

export function hotspotTable(hotspots: Hotspot[], what: string): string {
  const lines = hotspots.map((h) => `| ${h.percent.toFixed(1)}% | ${h.selfMs.toFixed(0)} | \`${h.name}\` | ${h.location} |`);
  return [`| ${what} % of busy | ms | function | location |`, '| --- | --- | --- | --- |', ...lines].join('\n');
}
