// Runs each selected client's install step once (clients may share one), quietly unless it fails.

import { exitText, startChild, succeeded } from './lib/child-io';
import { ClientSpec } from './client-spec';

/** Client name → why its install failed. */
export async function installClients(specs: ClientSpec[], root: string): Promise<Map<string, string>> {
  const failures = new Map<string, string>();
  const outcomes = new Map<string, string | undefined>();
  for (const spec of specs) {
    if (!spec.install) continue;
    const key = spec.install.join(' ');
    if (!outcomes.has(key)) {
      console.log(`==> compat: install ${key}`);
      outcomes.set(key, await runInstall(spec.install, root));
    }
    const failure = outcomes.get(key);
    if (failure) failures.set(spec.name, failure);
  }
  return failures;
}

async function runInstall(command: string[], root: string): Promise<string | undefined> {
  const [cmd, ...args] = command;
  const exit = await startChild(cmd, args, { cwd: root, stdin: 'ignore', keep: { stdout: 4000, stderr: 4000 } }).exited;
  if (succeeded(exit)) return undefined;
  // stderr last: the lines that say what went wrong end the detail.
  const out = exit.stdout + exit.stderr;
  process.stderr.write(`compat: install ${command.join(' ')} failed (${exitText(exit)}):\n${out}\n`);
  return `install failed (${exitText(exit)}): ${out.trim().split('\n').slice(-3).join(' | ')}`;
}
