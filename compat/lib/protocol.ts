// What a client run prints and is given. One JSON object a line on stdout per scenario:
//   {"scenario": "<id>", "status": "PASS" | "FAIL" | "N/A", "detail": "<why>"}
// Arguments: --client NAME --bootstrap HOST:PORT --run-id ID --phase main|after-restart --scenarios a,b,c
// In phase "main" a restart scenario runs its first half; "after-restart" runs only second halves.
// A cluster scenario may print KILL_REQUEST; the runner kills a broker and answers with one line
// on the client's stdin: {"killed": "<which>"} or {"error": "<why>"}.
// The environment variable COMPAT_FLAKY_BOOTSTRAP, when set, is a bootstrap behind a proxy that loses
// some Produce responses (lib/flaky-proxy.ts), for idempotent-retry; COMPAT_SECURITY, when set, is
// the secured broker of the security scenarios (lib/security.ts).

export type ClientStatus = 'PASS' | 'FAIL' | 'N/A';

export interface ScenarioResult {
  scenario: string;
  status: ClientStatus;
  detail: string;
}

export const KILL_REQUEST = '{"request":"kill-broker"}';

export type KillAnswer = { killed: string } | { error: string };

export type Phase = 'main' | 'after-restart';

export interface RunArgs {
  client: string;
  bootstrap: string;
  runId: string;
  phase: Phase;
  scenarios: string[];
}

/** The topic or group name of a client's scenario (`Context.name()`): the runner makes some beforehand. */
export function scenarioName(client: string, runId: string, scenario: string, suffix?: string): string {
  return ['compat', client, runId, scenario, suffix].filter(Boolean).join('.');
}

export function runArgv(a: RunArgs): string[] {
  return ['--client', a.client, '--bootstrap', a.bootstrap, '--run-id', a.runId, '--phase', a.phase, '--scenarios', a.scenarios.join(',')];
}

export function parseRunArgs(argv: string[]): RunArgs {
  const get = (flag: string): string => {
    const i = argv.indexOf(flag);
    if (i < 0 || i + 1 >= argv.length) throw new Error(`missing ${flag}`);
    return argv[i + 1];
  };
  const phase = get('--phase');
  if (phase !== 'main' && phase !== 'after-restart') throw new Error(`bad --phase ${phase}`);
  return {
    client: get('--client'),
    bootstrap: get('--bootstrap'),
    runId: get('--run-id'),
    phase,
    scenarios: get('--scenarios').split(',').filter(Boolean),
  };
}

/** Reads the result lines out of a client's stdout; anything else there is ignored. */
export function parseResults(stdout: string): ScenarioResult[] {
  const out: ScenarioResult[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const r = JSON.parse(line) as Partial<ScenarioResult>;
      if (typeof r.scenario === 'string' && (r.status === 'PASS' || r.status === 'FAIL' || r.status === 'N/A')) {
        out.push({ scenario: r.scenario, status: r.status, detail: String(r.detail ?? '') });
      }
    } catch {
      // Not a result line (a client library's own JSON log, say).
    }
  }
  return out;
}
