// `make compat`: start a kafka-ts broker (or use BOOTSTRAP) and run every client's standalone
// scenarios, then start the three-broker cluster and run the cluster scenarios; print a
// scenario × client matrix per pass and `compat: N passed, N failed` over both. Exits 1 on any
// FAIL; a FAIL listed in known-gaps is a GAP and does not count. See compat/README.md.
//
// Options: --bootstrap HOST:PORT   standalone pass against that broker, start nothing (restart
//                                  scenarios N/A, no cluster pass)
//          --cluster               only the cluster pass
//          --clients a,b           only these clients
//          --scenarios a,b         only these scenarios (the others are left out of the matrix)

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { externalBroker, startStandalone, SuiteBroker } from './broker';
import { startCluster } from './cluster';
import { ClientSpec, RUN } from './client-spec';
import { CLIENTS } from './clients';
import { installClients } from './install';
import { findGap, KnownGap, readKnownGaps } from './known-gaps';
import { Cell, Column, countVerdicts, renderMatrix } from './matrix';
import { RunArgs, scenarioName } from './lib/protocol';
import { SECURITY_ENV } from './lib/security';
import { ClientRun, FLAKY_BOOTSTRAP_ENV, runClient } from './run-client';
import { CLUSTER_SCENARIOS, FLAKY_SCENARIOS, isScenarioId, RESTART_SCENARIOS, ScenarioId, SECURITY_SCENARIOS, STANDALONE_SCENARIOS } from './scenarios';

const ROOT = resolve(__dirname, '../..');
const CACHE = join(ROOT, 'compat/.cache');

interface Options {
  bootstrap?: string;
  cluster: boolean;
  clients?: string[];
  scenarios?: ScenarioId[];
}

function parseOptions(argv: string[]): Options {
  const opts: Options = { cluster: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--bootstrap' && argv[i + 1]) opts.bootstrap = argv[++i];
    else if (a === '--cluster') opts.cluster = true;
    else if (a === '--clients' && argv[i + 1]) opts.clients = argv[++i].split(',').filter(Boolean);
    else if (a === '--scenarios' && argv[i + 1]) opts.scenarios = parseScenarios(argv[++i]);
    else throw new Error(`unknown option ${a}`);
  }
  if (opts.cluster && opts.bootstrap) throw new Error('--cluster starts its own brokers; it cannot take --bootstrap');
  return opts;
}

function parseScenarios(list: string): ScenarioId[] {
  const names = list.split(',').filter(Boolean);
  const unknown = names.filter((n) => !isScenarioId(n));
  if (unknown.length) throw new Error(`unknown scenarios: ${unknown.join(', ')}`);
  return names.filter(isScenarioId);
}

function selectClients(names: string[] | undefined): ClientSpec[] {
  if (!names) return CLIENTS;
  const unknown = names.filter((n) => !CLIENTS.some((c) => c.name === n));
  if (unknown.length) throw new Error(`unknown clients: ${unknown.join(', ')} (known: ${CLIENTS.map((c) => c.name).join(', ')})`);
  return CLIENTS.filter((c) => names.includes(c.name));
}

/**
 * Records a client's verdict, turning a FAIL listed in known-gaps into a GAP and flagging a listed
 * PASS. A client that crashed or never installed reports nothing: that stays a FAIL, gap or not.
 */
function record(column: Column, client: string, s: ScenarioId, cell: Cell, gaps: KnownGap[]): void {
  const gap = cell.verdict === 'N/A' ? undefined : findGap(gaps, client, s);
  if (gap && cell.verdict === 'FAIL') column.set(s, { verdict: 'GAP', detail: `${gap.reason} (${cell.detail})` });
  else column.set(s, gap && cell.verdict === 'PASS' ? { ...cell, gapClosed: true } : cell);
}

interface Pass {
  name: 'standalone' | 'cluster';
  scenarios: readonly ScenarioId[];
  columns: Map<string, Column>;
}

/** Records a client run's main-phase verdicts; restart scenarios that passed wait for their second half. */
function recordMainRun(spec: ClientSpec, column: Column, scenarios: ScenarioId[], run: ClientRun, dropped: number, pending: Map<ClientSpec, ScenarioId[]>, gaps: KnownGap[]): void {
  for (const s of scenarios) {
    const r = run.results.find((x) => x.scenario === s);
    if (!r) column.set(s, { verdict: 'FAIL', detail: `no result (${run.exit}): ${run.stderrTail}` });
    else if (FLAKY_SCENARIOS.includes(s) && r.status === 'PASS' && dropped === 0) column.set(s, { verdict: 'FAIL', detail: `passed, but the proxy lost no Produce response, so no retry was tested (${r.detail})` });
    else if (FLAKY_SCENARIOS.includes(s) && r.status === 'PASS') record(column, spec.name, s, { verdict: 'PASS', detail: `${r.detail}; ${dropped} Produce responses lost` }, gaps);
    else if (RESTART_SCENARIOS.includes(s) && r.status === 'PASS') pending.set(spec, [...(pending.get(spec) ?? []), s]);
    else record(column, spec.name, s, { verdict: r.status, detail: RESTART_SCENARIOS.includes(s) ? `before restart: ${r.detail}` : r.detail }, gaps);
  }
}

async function runAll(specs: ClientSpec[], broker: SuiteBroker, pass: Pass, installFailures: Map<string, string>, gaps: KnownGap[]): Promise<void> {
  const { columns } = pass;
  const runId = Date.now().toString(36);
  const pending = new Map<ClientSpec, ScenarioId[]>();
  for (const spec of specs) {
    const column = columns.get(spec.name)!;
    const runnable: ScenarioId[] = [];
    for (const s of pass.scenarios) {
      const coverage = spec.scenarios[s];
      if (coverage !== RUN) column.set(s, { verdict: 'N/A', detail: coverage });
      else if (RESTART_SCENARIOS.includes(s) && !broker.restart) column.set(s, { verdict: 'N/A', detail: 'needs a broker restart; the suite does not own this broker' });
      else if (FLAKY_SCENARIOS.includes(s) && !broker.flakyBootstrap) column.set(s, { verdict: 'N/A', detail: 'needs the flaky-proxy listener; the suite does not own this broker' });
      else if (SECURITY_SCENARIOS.includes(s) && broker.secureFailure) column.set(s, { verdict: 'FAIL', detail: broker.secureFailure });
      else if (SECURITY_SCENARIOS.includes(s) && !broker.secure) column.set(s, { verdict: 'N/A', detail: 'needs the secured broker; the suite does not own this broker' });
      else runnable.push(s);
    }
    if (runnable.length === 0) continue;
    const installFailure = installFailures.get(spec.name);
    if (installFailure) {
      for (const s of runnable) column.set(s, { verdict: 'FAIL', detail: installFailure });
      continue;
    }
    // Cluster scenarios run one per client run: each starts with all three brokers up. The security
    // scenarios run in a run of their own, against the secured broker.
    const secured = runnable.filter((s) => SECURITY_SCENARIOS.includes(s));
    const plain = runnable.filter((s) => !SECURITY_SCENARIOS.includes(s));
    const batches = broker.reviveBrokers ? runnable.map((s) => [s]) : [plain, secured].filter((b) => b.length > 0);
    let ms = 0;
    for (const batch of batches) {
      const env: Record<string, string> = {};
      if (broker.flakyBootstrap) env[FLAKY_BOOTSTRAP_ENV] = broker.flakyBootstrap;
      let scenarios = batch;
      let bootstrap = broker.bootstrap;
      if (batch === secured) {
        const prepared = await prepareSecured(broker, spec, column, runId, batch);
        scenarios = prepared.scenarios;
        bootstrap = prepared.bootstrap;
        env[SECURITY_ENV] = prepared.security;
      }
      const args: RunArgs = { client: spec.name, bootstrap, runId, phase: 'main', scenarios };
      const dropsBefore = broker.flakyDrops?.() ?? 0;
      const run = await runClient(spec, args, ROOT, { killBroker: broker.killBroker, env });
      const dropped = (broker.flakyDrops?.() ?? 0) - dropsBefore;
      await broker.reviveBrokers?.();
      ms += run.ms;
      recordMainRun(spec, column, scenarios, run, dropped, pending, gaps);
    }
    console.log(`==> compat: ${spec.name}: ${tally(column)} (${(ms / 1000).toFixed(1)} s)`);
  }
  if (pending.size === 0) return;
  console.log('==> compat: restarting the broker');
  await broker.restart!();
  for (const [spec, scenarios] of pending) {
    const column = columns.get(spec.name)!;
    const run = await runClient(spec, { client: spec.name, bootstrap: broker.bootstrap, runId, phase: 'after-restart', scenarios }, ROOT);
    for (const s of scenarios) {
      const r = run.results.find((x) => x.scenario === s);
      if (r) record(column, spec.name, s, { verdict: r.status, detail: r.detail }, gaps);
      else column.set(s, { verdict: 'FAIL', detail: `no result after restart (${run.exit}): ${run.stderrTail}` });
    }
    console.log(`==> compat: ${spec.name} after the restart: ${tally(column)} (${(run.ms / 1000).toFixed(1)} s, ${run.exit})`);
  }
}

/**
 * Makes the client's ACL topic when acl-denied runs (a failure there fails that scenario alone)
 * and says what the client is given: the secured broker's SSL listener as its bootstrap and
 * COMPAT_SECURITY.
 */
async function prepareSecured(broker: SuiteBroker, spec: ClientSpec, column: Column, runId: string, batch: ScenarioId[]): Promise<{ scenarios: ScenarioId[]; bootstrap: string; security: string }> {
  const secure = broker.secure!;
  const aclTopic = scenarioName(spec.name, runId, 'acl-denied');
  let scenarios = batch;
  if (batch.includes('acl-denied')) {
    try {
      await secure.prepareAclTopic(aclTopic);
    } catch (err) {
      column.set('acl-denied', { verdict: 'FAIL', detail: `the suite could not make the ACL topic: ${String(err)}` });
      scenarios = batch.filter((s) => s !== 'acl-denied');
    }
  }
  return { scenarios, bootstrap: secure.security.ssl, security: JSON.stringify({ ...secure.security, aclTopic }) };
}

function tally(column: Column): string {
  const counts = countVerdicts(new Map([['', column]]));
  return (['PASS', 'FAIL', 'GAP', 'N/A'] as const).map((v) => `${counts[v]} ${v}`).join(', ');
}

function report(passes: Pass[]): number {
  const all: Record<string, Record<string, Record<string, Cell>>> = {};
  for (const { name, scenarios, columns } of passes) {
    console.log(`\n${name}:\n${renderMatrix(columns, scenarios)}\n`);
    for (const [client, column] of columns) {
      for (const [s, cell] of column) {
        if (cell.verdict === 'FAIL') console.log(`FAIL ${client} ${s}: ${cell.detail}`);
        if (cell.gapClosed) console.log(`gap closed: ${client} ${s} passes; remove it from compat/known-gaps`);
      }
    }
    all[name] = Object.fromEntries([...columns].map(([client, column]) => [client, Object.fromEntries(column)]));
  }
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(join(CACHE, 'results.json'), JSON.stringify(all, null, 2) + '\n');
  const counts = countVerdicts(new Map(passes.flatMap((p) => [...p.columns].map(([client, column]) => [`${p.name}/${client}`, column]))));
  console.log(`${counts.GAP} gap, ${counts['N/A']} n/a; every cell's detail: compat/.cache/results.json`);
  console.log(`compat: ${counts.PASS} passed, ${counts.FAIL} failed`);
  return counts.FAIL > 0 ? 1 : 0;
}

/** Runs one pass against a broker it starts (or is given) and always stops, saving its log. */
async function runPass(specs: ClientSpec[], pass: Pass, start: () => Promise<SuiteBroker>, installFailures: Map<string, string>, gaps: KnownGap[]): Promise<void> {
  const broker = await start();
  console.log(`==> compat: ${pass.name} pass, broker(s) at ${broker.bootstrap}`);
  try {
    await runAll(specs, broker, pass, installFailures, gaps);
  } finally {
    await broker.stop();
    if (broker.output) {
      mkdirSync(CACHE, { recursive: true });
      writeFileSync(join(CACHE, pass.name === 'cluster' ? 'cluster.log' : 'broker.log'), broker.output());
    }
  }
}

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2));
  const specs = selectClients(opts.clients);
  const chosen = (scenarios: readonly ScenarioId[]) => scenarios.filter((s) => !opts.scenarios || opts.scenarios.includes(s));
  const newPass = (name: Pass['name'], scenarios: readonly ScenarioId[]): Pass => ({ name, scenarios: chosen(scenarios), columns: new Map(specs.map((s) => [s.name, new Map()])) });
  const gaps = readKnownGaps(join(ROOT, 'compat/known-gaps'));
  const installFailures = await installClients(specs, ROOT);
  const passes: Pass[] = [];
  if (!opts.cluster && chosen(STANDALONE_SCENARIOS).length > 0) {
    const standalone = newPass('standalone', STANDALONE_SCENARIOS);
    passes.push(standalone);
    const bootstrap = opts.bootstrap;
    // The secured broker starts only when some chosen client runs a security scenario.
    const secure = specs.some((spec) => standalone.scenarios.some((s) => SECURITY_SCENARIOS.includes(s) && spec.scenarios[s] === RUN));
    await runPass(specs, standalone, bootstrap ? async () => externalBroker(bootstrap) : () => startStandalone(secure), installFailures, gaps);
  }
  if (!opts.bootstrap && chosen(CLUSTER_SCENARIOS).length > 0) {
    const cluster = newPass('cluster', CLUSTER_SCENARIOS);
    passes.push(cluster);
    await runPass(specs, cluster, startCluster, installFailures, gaps);
  }
  return report(passes);
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
