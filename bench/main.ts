// `make bench`: runs every scenario (or those matching BENCH_ONLY), prints the table and writes
// bench/results/<date>.json (<date>-partial.tmp for a subset). Figures are medians of alternated
// rounds; see README.md.

import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describeMachine } from './machine';
import { Row, markdownTable, notes, writeResults } from './report';
import { consumeScenario } from './scenarios/consume';
import { endToEndScenario } from './scenarios/end-to-end';
import { kcatScenario } from './scenarios/kcat';
import { memoryScenario } from './scenarios/memory';
import { produceScenario } from './scenarios/produce';
import { Scenario } from './scenarios/scenario';
import { startupScenario } from './scenarios/startup';
import { Settings, loadSettings } from './settings';

const RESULTS_DIR = resolve(__dirname, '../../bench/results');

function scenarios(s: Settings): Scenario[] {
  const produce = s.produce.acks.flatMap((acks) =>
    s.produce.partitions.flatMap((partitions) => s.produce.recordBytes.map((bytes) => produceScenario(bytes, partitions, acks))),
  );
  // Idempotent producers (the Java client's default) need acks=all.
  const idempotent = s.produce.partitions.flatMap((partitions) => s.produce.recordBytes.map((bytes) => produceScenario(bytes, partitions, -1, true)));
  const all = [...produce, ...idempotent, consumeScenario(s), endToEndScenario(s), kcatScenario(s), startupScenario(s), memoryScenario(s)];
  return all.filter((sc) => !s.only || s.only.test(sc.name));
}

function failedRow(scenario: string, err: unknown): Row {
  return { scenario, metric: 'failed', kafkaTs: { median: null, rounds: [], error: `${scenario}: ${(err as Error).message}` }, baselines: {} };
}

async function main(): Promise<void> {
  const settings = loadSettings();
  const machine = describeMachine();
  const date = new Date().toISOString();
  console.log(`kafka-ts bench, ${settings.size}: ${machine.nproc} × ${machine.cpu}, Node ${machine.node}, ${settings.rounds} rounds`);
  const rows: Row[] = [];
  for (const scenario of scenarios(settings)) {
    const started = performance.now();
    let own: Row[];
    try {
      own = await scenario.run(settings);
    } catch (err) {
      own = [failedRow(scenario.name, err)];
    }
    rows.push(...own);
    console.log(`\n==> ${scenario.name} (${((performance.now() - started) / 1000).toFixed(0)} s)\n${markdownTable(own)}`);
  }

  console.log(`\n${markdownTable(rows)}`);
  const reasons = notes(rows);
  if (reasons.length) console.log(`\n${reasons.map((r) => `n/a or error: ${r}`).join('\n')}`);
  // A subset must not replace the day's results; *.tmp stays out of git.
  const file = resolve(RESULTS_DIR, settings.only ? `${date.slice(0, 10)}-partial.tmp` : `${date.slice(0, 10)}.json`);
  writeResults(file, { date, size: settings.size, machine, settings: { ...settings, only: settings.only?.source ?? null } }, rows);
  console.log(`\nresults: ${file}`);
  if (rows.some((r) => r.kafkaTs.error)) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
