// The results: rows of figures for kafka-ts and its baselines, ratios and targets, printed as a
// Markdown table and saved as JSON.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Outcome } from './compare';
import { SERVER_LABELS, ServerKind } from './servers/server';

export type Baseline = Exclude<ServerKind, 'kafka-ts'>;
const BASELINES: Baseline[] = ['null-sink', 'mock'];

export interface Figure {
  /** Median of the rounds; null when there is none. */
  median: number | null;
  rounds: number[];
  error?: string;
}

export interface Row {
  scenario: string;
  metric: string;
  kafkaTs: Figure;
  /** Only the baselines that apply to the row. */
  baselines: Partial<Record<Baseline, Figure>>;
  /** Targets: kafka-ts / baseline at least this much. */
  minRatio?: Partial<Record<Baseline, number>>;
  /** Target: kafka-ts's figure at most this much. */
  max?: number;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function figure<T>(outcome: Outcome<T> | undefined, pick: (value: T) => number): Figure {
  if (!outcome) return { median: null, rounds: [], error: 'not measured' };
  const rounds = outcome.values.map(pick);
  return { median: median(rounds), rounds, ...(outcome.error ? { error: outcome.error } : {}) };
}

/** Rows of one metric from the outcomes of a comparison. */
export function rowOf<T>(
  scenario: string,
  metric: string,
  outcomes: Map<ServerKind, Outcome<T>>,
  pick: (value: T) => number,
  targets: Pick<Row, 'minRatio' | 'max'> = {},
): Row {
  const baselines: Row['baselines'] = {};
  for (const b of BASELINES) if (outcomes.has(b)) baselines[b] = figure(outcomes.get(b), pick);
  return { scenario, metric, kafkaTs: figure(outcomes.get('kafka-ts'), pick), baselines, ...targets };
}

function ratio(row: Row, baseline: Baseline): number | null {
  const base = row.baselines[baseline]?.median;
  const own = row.kafkaTs.median;
  return own === null || base === null || base === undefined || base === 0 ? null : own / base;
}

function format(value: number | null): string {
  if (value === null) return 'n/a';
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(0)}k`;
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function verdict(pass: boolean): string {
  return pass ? 'PASS' : 'MISS';
}

function ratioCell(row: Row, baseline: Baseline): string {
  if (!(baseline in row.baselines)) return '—';
  const r = ratio(row, baseline);
  if (r === null) return 'n/a';
  const min = row.minRatio?.[baseline];
  return `${r.toFixed(2)}×${min === undefined ? '' : ` ${verdict(r >= min)}`}`;
}

function figureCell(row: Row, baseline: Baseline): string {
  const f = row.baselines[baseline];
  return f ? format(f.median) : '—';
}

function targetCell(row: Row): string {
  const parts = BASELINES.flatMap((b) => (row.minRatio?.[b] === undefined ? [] : [`≥ ${row.minRatio[b]}× ${SERVER_LABELS[b]}`]));
  if (row.max !== undefined) {
    const own = row.kafkaTs.median;
    parts.push(`≤ ${row.max}${own === null ? '' : ` ${verdict(own <= row.max)}`}`);
  }
  return parts.join(', ');
}

export function markdownTable(rows: Row[]): string {
  const header = ['scenario', 'metric', 'kafka-ts', 'null sink', '× null', 'C mock', '× mock', 'target'];
  const lines = rows.map((row) => [
    row.scenario,
    row.metric,
    row.kafkaTs.median === null ? 'error' : format(row.kafkaTs.median),
    figureCell(row, 'null-sink'),
    ratioCell(row, 'null-sink'),
    figureCell(row, 'mock'),
    ratioCell(row, 'mock'),
    targetCell(row),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const render = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [render(header), render(widths.map((w) => '-'.repeat(w))), ...lines.map(render)].join('\n');
}

/** Every reason a figure is missing, once each. */
export function notes(rows: Row[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) {
    for (const f of [row.kafkaTs, ...Object.values(row.baselines)]) if (f?.error) seen.add(f.error);
  }
  return [...seen];
}

/** Whether kafka-ts meets every target of the row; null when it has none or a figure is missing. */
export function targetMet(row: Row): boolean | null {
  const checks: (boolean | null)[] = BASELINES.flatMap((b) => {
    const min = row.minRatio?.[b];
    const r = ratio(row, b);
    return min === undefined ? [] : [r === null ? null : r >= min];
  });
  if (row.max !== undefined) checks.push(row.kafkaTs.median === null ? null : row.kafkaTs.median <= row.max);
  if (checks.length === 0 || checks.includes(null)) return null;
  return checks.every(Boolean);
}

/** Four significant digits: more would be noise. */
function rounded(_key: string, value: unknown): unknown {
  return typeof value === 'number' ? Number(value.toPrecision(4)) : value;
}

/** Small and diffable: one line per row, with its ratios and verdict. */
export function writeResults(path: string, head: Record<string, unknown>, rows: Row[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const fields = Object.entries(head).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  const lines = rows.map((row) => {
    const ratios = Object.fromEntries(BASELINES.filter((b) => b in row.baselines).map((b) => [b, ratio(row, b)]));
    return `    ${JSON.stringify({ ...row, ratios, targetMet: targetMet(row) }, rounded)}`;
  });
  writeFileSync(path, `{\n${fields.join(',\n')},\n  "rows": [\n${lines.join(',\n')}\n  ]\n}\n`);
}
