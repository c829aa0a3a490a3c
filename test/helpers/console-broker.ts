// A real broker with its web console on a free port (kafkats.console.listener=127.0.0.1:0), the
// console's address read back from the broker's own "Serving the console on ..." line; and kcat,
// the independent producer and reader the console's end-to-end tests check the page against.

import { ChildProcess, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { BrokerProcess, StartOptions, cleanup, startBroker } from './broker-process';
import { waitFor } from './wait';

const CONSOLE_LINE = /Serving the console on (http:\/\/\S+?\/)\./;
/** The front end's build output (compiled tests run from dist/test/helpers). */
const CONSOLE_UI_INDEX = resolve(__dirname, '../../console-ui/index.html');

export interface ConsoleBroker {
  broker: BrokerProcess;
  /** The console's base address, ending in "/". */
  url: string;
}

/** Starts a broker serving the console; props override the defaults (e.g. group settings). */
export async function startConsoleBroker(opts: StartOptions = {}): Promise<ConsoleBroker> {
  if (!existsSync(CONSOLE_UI_INDEX)) {
    throw new Error(`the console's front end is not built (${CONSOLE_UI_INDEX}): run npx vite build --config console-ui/vite.config.mjs`);
  }
  const broker = await startBroker({ ...opts, props: { 'kafkats.console.listener': '127.0.0.1:0', ...opts.props } });
  try {
    await waitFor(() => CONSOLE_LINE.test(broker.output()), 'the broker to log the console address', 10_000);
  } catch (e) {
    const output = broker.output();
    await cleanup(broker);
    throw new Error(`${(e as Error).message}; broker output:\n${output}`);
  }
  return { broker, url: CONSOLE_LINE.exec(broker.output())![1] };
}

const running = new Set<ChildProcess>();

/** Runs kcat against the broker with stdin as given; resolves with stdout, rejects on a non-zero exit. */
export function kcat(bootstrap: string, args: string[], input = ''): Promise<string> {
  return new Promise((res, rej) => {
    const child = execFile('kcat', ['-b', bootstrap, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      running.delete(child);
      if (err) rej(new Error(`kcat ${args.join(' ')}: ${err.message}\n${stderr}`));
      else res(stdout);
    });
    running.add(child);
    child.stdin!.end(input);
  });
}

/** Kills kcat processes a failed test left running (kcat exits by itself at the end of its input). */
export function killKcats(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}
