// The scenario × client table, and the per-cell verdicts behind it.

import { ScenarioId } from './scenarios';

export type Verdict = 'PASS' | 'FAIL' | 'N/A' | 'GAP';

export interface Cell {
  verdict: Verdict;
  detail: string;
  /** Listed in known-gaps, yet passed: the line can go. */
  gapClosed?: boolean;
}

export type Column = Map<ScenarioId, Cell>;

/** One row per scenario of `rows`, which every column must hold. */
export function renderMatrix(columns: Map<string, Column>, rows: readonly ScenarioId[]): string {
  const names = [...columns.keys()];
  const first = Math.max(...rows.map((s) => s.length));
  const widths = names.map((n) => Math.max(n.length, 5));
  const row = (head: string, cells: string[]) =>
    [head.padEnd(first), ...cells.map((c, i) => c.padEnd(widths[i]))].join('  ').trimEnd();
  const lines = [row('scenario', names), row('-'.repeat(first), widths.map((w) => '-'.repeat(w)))];
  for (const s of rows) {
    lines.push(row(s, names.map((n) => {
      const cell = columns.get(n)!.get(s)!;
      return cell.gapClosed ? 'PASS*' : cell.verdict;
    })));
  }
  return lines.join('\n');
}

export function countVerdicts(columns: Map<string, Column>): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { PASS: 0, FAIL: 0, 'N/A': 0, GAP: 0 };
  for (const col of columns.values()) for (const cell of col.values()) counts[cell.verdict]++;
  return counts;
}
