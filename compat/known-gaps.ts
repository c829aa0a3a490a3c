// Reads compat/known-gaps: which (client, scenario) FAILs are a missing broker feature (GAP).

import { readFileSync } from 'node:fs';
import { isScenarioId } from './scenarios';

export interface KnownGap {
  client: string;
  scenario: string;
  reason: string;
}

export function readKnownGaps(file: string): KnownGap[] {
  const gaps: KnownGap[] = [];
  readFileSync(file, 'utf8').split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const [client, scenario, ...reason] = line.split(/\s+/);
    if (!scenario || !isScenarioId(scenario)) throw new Error(`${file}:${i + 1}: unknown scenario "${scenario}"`);
    gaps.push({ client, scenario, reason: reason.join(' ') });
  });
  return gaps;
}

export function findGap(gaps: KnownGap[], client: string, scenario: string): KnownGap | undefined {
  return gaps.find((g) => g.scenario === scenario && (g.client === '*' || g.client === client));
}
