// The compat suite's child I/O: a child that exits before taking its input fails that one call
// with a result saying why, instead of an unhandled EPIPE that ends the whole runner.

import { exitText, runChild, startChild, succeeded } from '../../compat/lib/child-io';

const NODE = process.execPath;
const EXITS_AT_ONCE = ['-e', 'process.exit(0)'];
const ECHOES_STDIN = ['-e', 'process.stdin.pipe(process.stdout)'];
/** Far beyond a pipe's buffer, so the child must read it for the write to complete. */
const LARGE = 'x'.repeat(8 * 1024 * 1024);

describe('compat child I/O', () => {
  it('fails a run whose child exits without reading its input, and the next run still works', async () => {
    const failed = await runChild(NODE, EXITS_AT_ONCE, LARGE);
    expect(failed.code).toBe(0);
    expect(failed.ioError).toMatch(/^stdin: /);
    expect(succeeded(failed)).toBe(false);
    expect(exitText(failed)).toMatch(/^exit 0 \(stdin: /);

    const next = await runChild(NODE, ECHOES_STDIN, 'one\ntwo\n');
    expect(succeeded(next)).toBe(true);
    expect(next.stdout).toBe('one\ntwo\n');
  });

  it('answers writes to a child that has exited with why they failed', async () => {
    const child = startChild(NODE, EXITS_AT_ONCE);
    expect(await child.write(LARGE)).toMatch(/^stdin: /);
    await child.exited;
    expect(await child.write('after the exit\n')).toMatch(/^stdin: /);
    expect(await child.end()).toMatch(/^stdin: /);
  });

  it('reports a command that cannot start as a failed result', async () => {
    const exit = await runChild('compat-no-such-command', [], LARGE);
    expect(exit.startError).toMatch(/ENOENT/);
    expect(exitText(exit)).toMatch(/^could not start: /);
    expect(succeeded(exit)).toBe(false);
  });

  it('hands out whole lines and keeps only the asked tail of the output', async () => {
    const script = "process.stderr.write('dropped'); process.stdout.write('a\\nb'); setImmediate(() => process.stdout.write('c\\nd\\n'))";
    const child = startChild(NODE, ['-e', script], { keep: { stdout: 3, stderr: 0 } });
    const lines: string[] = [];
    child.onLine('stdout', (l) => lines.push(l));
    await child.end();
    const exit = await child.exited;
    expect(lines).toEqual(['a', 'bc', 'd']);
    expect(exit.stdout).toBe('\nd\n');
    expect(exit.stderr).toBe('');
  });
});
