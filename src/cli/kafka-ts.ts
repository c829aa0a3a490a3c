#!/usr/bin/env node
// The package's bin, for trying kafka-ts without cloning it: `npx kafka-ts` starts one broker with
// the shipped config/server.properties (localhost:9092), its log in a temporary directory. Any
// server.properties key can be given as a flag (--broker.id=1, --log.dirs=DIR), as Kafka's
// `--override key=value`, or a whole file (`npx kafka-ts FILE` or `--config FILE`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../config';
import { UsageError, readConfigOrExit, runBroker } from './run-broker';

/** The shipped config/server.properties: dist/src/cli/ is three levels below the package root. */
export const DEFAULT_CONFIG = resolve(__dirname, '../../../config/server.properties');

const USAGE = `USAGE: kafka-ts [CONFIG | --config CONFIG] [--KEY=VALUE]... [--override KEY=VALUE]...

Starts one kafka-ts broker. Without CONFIG it uses the shipped config/server.properties
(PLAINTEXT://localhost:9092, metrics on localhost:9404, web console on localhost:9021) and keeps
its log in a new temporary directory, removed when the broker stops: give --log.dirs=DIR to keep it.

  CONFIG, --config CONFIG   a server.properties file
  --KEY=VALUE, --KEY VALUE  any server.properties key: --broker.id=1 --log.dirs=/tmp/kafka-logs
                            --listeners=PLAINTEXT://127.0.0.1:9093
  --override KEY=VALUE      the same, as Kafka's kafka-server-start.sh takes it
  -h, --help                print this usage

Stop it with Ctrl-C (SIGINT) or SIGTERM.`;

export type Args = { help: true } | { help: false; configPath: string | null; overrides: string[] };

/** Reads the command line; later settings of a key win, as with Kafka's --override. */
export function parseArgs(argv: string[]): Args {
  let configPath: string | null = null;
  const overrides: string[] = [];
  const setConfig = (path: string): void => {
    if (configPath !== null) throw new UsageError('only one CONFIG file can be given');
    configPath = path;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return { help: true };
    if (!arg.startsWith('-')) {
      setConfig(arg);
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') throw new UsageError(`unknown option ${arg}`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    // Every option takes a value: inline after '=' or as the next argument.
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length) value = argv[++i];
    else throw new UsageError(`${arg} needs a value`);
    if (name === '') throw new UsageError(`unknown option ${arg}`);
    if (name === 'config') setConfig(value);
    else if (name === 'override') overrides.push(value);
    else overrides.push(`${name}=${value}`);
  }
  return { help: false, configPath, overrides };
}

const keyOf = (override: string): string => override.slice(0, Math.max(override.indexOf('='), 0)).trim();

/**
 * What to start when no CONFIG is given: the shipped defaults, with the log in tempLogDir() unless
 * log.dirs (or log.dir) is given, and advertised listeners following --listeners (as Kafka's default
 * does) since the shipped file advertises localhost:9092.
 */
export function withDefaults(overrides: string[], tempLogDir: () => string): { configPath: string; overrides: string[]; tempLogDir: string | null } {
  const keys = new Set(overrides.map(keyOf));
  const implied: string[] = [];
  let logDir: string | null = null;
  if (!keys.has('log.dirs') && !keys.has('log.dir')) {
    logDir = tempLogDir();
    implied.push(`log.dirs=${logDir}`);
  }
  if (keys.has('listeners') && !keys.has('advertised.listeners')) {
    const listeners = overrides.filter((o) => keyOf(o) === 'listeners').pop()!;
    implied.push(`advertised.listeners=${listeners.slice(listeners.indexOf('=') + 1)}`);
  }
  return { configPath: DEFAULT_CONFIG, overrides: [...implied, ...overrides], tempLogDir: logDir };
}

function main(argv: string[]): Promise<void> {
  const config = readConfigOrExit((warn) => {
    const args = parseArgs(argv);
    if (args.help) {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    if (args.configPath !== null) return loadConfig(args.configPath, args.overrides, warn);
    const launch = withDefaults(args.overrides, () => mkdtempSync(join(tmpdir(), 'kafka-ts-')));
    const logDir = launch.tempLogDir;
    if (logDir !== null) {
      warn(`Log directory ${logDir} is temporary: it is removed when the broker stops (give --log.dirs=DIR to keep it)`);
      // 'exit' runs on every way out (clean shutdown, startup failure, config error), synchronously.
      process.on('exit', () => rmSync(logDir, { recursive: true, force: true }));
    }
    return loadConfig(launch.configPath, launch.overrides, warn);
  }, USAGE);
  return runBroker(config);
}

if (require.main === module) void main(process.argv.slice(2));
