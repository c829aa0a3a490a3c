// Runs each selected client's install step once (clients may share one), quietly unless it fails.

import { spawn } from 'node:child_process';
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

function runInstall(command: string[], root: string): Promise<string | undefined> {
  const [cmd, ...args] = command;
  const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
  child.stderr.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
  return new Promise((resolve) => {
    child.once('error', (err) => resolve(`could not start ${cmd}: ${err.message}`));
    child.once('close', (code) => {
      if (code === 0) return resolve(undefined);
      process.stderr.write(`compat: install ${command.join(' ')} failed (exit ${code}):\n${out}\n`);
      resolve(`install failed (exit ${code}): ${out.trim().split('\n').slice(-3).join(' | ')}`);
    });
  });
}
