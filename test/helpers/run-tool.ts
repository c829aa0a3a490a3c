// Runs one of the command-line tools (dist/src/cli/NAME.js) as a real process, as a user runs
// bin/NAME.sh, and returns what it printed and its exit code.

import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

export interface ToolRun {
  stdout: string;
  stderr: string;
  code: number;
}

export function runTool(name: string, args: readonly string[], options: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ToolRun> {
  const entry = resolve(__dirname, `../../src/cli/${name}.js`);
  return new Promise((done, fail) => {
    const child = execFile(
      process.execPath,
      [entry, ...args],
      { timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...options.env } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        if (code === null) fail(new Error(`${name} ${args.join(' ')} failed: ${err?.message}\n${stderr}`));
        else done({ stdout, stderr, code });
      },
    );
    if (options.input !== undefined) child.stdin!.end(options.input);
    else child.stdin!.end();
  });
}
