// A scenario measures one thing on kafka-ts and its baselines and returns the table's rows.

import { Row } from '../report';
import { Settings } from '../settings';

export interface Scenario {
  name: string;
  run(settings: Settings): Promise<Row[]>;
}

export function sizeLabel(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} B`;
}

/** Generous bound on one measurement, so a hung server cannot hang the bench. */
export function timeoutFor(expectedMs: number): number {
  return expectedMs + 120_000;
}
