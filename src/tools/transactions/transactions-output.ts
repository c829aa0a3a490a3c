// How kafka-transactions.sh prints: Kafka's prettyPrintTable, and printErrorAndExit's one-line failures.

/** A failure Kafka reports with printErrorAndExit: one line on stderr, exit code 1. */
export class CommandFailure extends Error {}

/** printErrorAndExit(message, cause): the cause's message and Kafka's hint. */
export function failure(what: string, cause: unknown): CommandFailure {
  return new CommandFailure(`${what}: ${cause instanceof Error ? cause.message : String(cause)}. Enable debug logging for additional detail.`);
}

/** Kafka's prettyPrintTable: each cell padded to its column's width, then a tab. */
export function prettyTable(headers: readonly string[], rows: readonly string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (row: readonly string[]) => `${row.map((cell, i) => `${cell.padEnd(widths[i])}\t`).join('')}\n`;
  return [headers, ...rows].map(line).join('');
}

export type Out = (text: string) => void;
