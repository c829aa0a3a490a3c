// Starts a real kafka-ts broker process for integration tests: its own temp log dir, an ephemeral
// port on 127.0.0.1 (read back from the broker's own log line, so there is no port race), and
// helpers to stop it cleanly, kill -9 it, freeze and thaw it, and restart it on the same log dir.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ENTRY = resolve(__dirname, '../../src/cli/kafka-server-start.js');
const LISTENING = /Awaiting socket connections on [^\s]+:(\d+)\./;
const STARTED = /\[KafkaServer id=\d+\] started/;

export interface BrokerProcess {
  port: number;
  bootstrap: string;
  logDir: string;
  /** The bound port of each listener, in the order of the listeners config. */
  listenerPorts(): number[];
  output(): string;
  /** SIGTERM and wait for exit; returns the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (if still running) and wait for exit. */
  kill(): Promise<void>;
  /** SIGSTOP: the process freezes, its connections stay open. */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  readonly pid: number;
  /** Closes the read end of the broker's stdout, as a reader of a pipe that goes away does. */
  closeStdout(): void;
}

export interface StartOptions {
  logDir?: string;
  /** Extra server.properties lines (key=value). */
  props?: Record<string, string | number | boolean>;
  /** A whole server.properties, written as given instead of one made from props. */
  serverProperties?: string;
  /**
   * Also wait for the "[KafkaServer id=N] started" line: ZooKeeper-mode brokers register in
   * ZooKeeper after binding their port.
   */
  waitForStarted?: boolean;
  /** Extra environment variables for the broker process (KAFKA_TS_DEBUG=1 for debug lines). */
  env?: Record<string, string>;
}

export async function startBroker(opts: StartOptions = {}): Promise<BrokerProcess> {
  const logDir = opts.logDir ?? mkdtempSync(join(tmpdir(), 'kafka-ts-test-'));
  const props: Record<string, string | number | boolean> = {
    'broker.id': 0,
    listeners: 'PLAINTEXT://127.0.0.1:0',
    'log.dirs': join(logDir, 'data'),
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    ...opts.props,
  };
  const configFile = join(logDir, 'server.properties');
  writeFileSync(configFile, opts.serverProperties ?? Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');

  const child = spawn(process.execPath, [ENTRY, configFile], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
  let out = '';
  // 'close' comes after stdout and stderr are drained, so output() is whole once the process is gone.
  const exited = new Promise<number | null>((res) => child.once('close', (code) => res(code)));
  const port = await new Promise<number>((res, rej) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = LISTENING.exec(out);
      if (m && (!opts.waitForStarted || STARTED.test(out))) res(Number(m[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const awaited = opts.waitForStarted ? 'starting' : 'listening';
    void exited.then((code) => rej(new Error(`broker exited with ${code} before ${awaited}:\n${out}`)));
  });
  return {
    port,
    bootstrap: `127.0.0.1:${port}`,
    logDir,
    listenerPorts: () => [...out.matchAll(new RegExp(LISTENING, 'g'))].map((m) => Number(m[1])),
    output: () => out,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    pid: child.pid!,
    closeStdout: () => child.stdout!.destroy(),
  };
}

/** Kills the broker if still running and removes its temp dir. */
export async function cleanup(b: BrokerProcess | undefined): Promise<void> {
  if (!b) return;
  await b.kill();
  rmSync(b.logDir, { recursive: true, force: true });
}
