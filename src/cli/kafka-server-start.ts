// Entry point, like Kafka's kafka-server-start.sh: load server.properties, start the broker,
// and shut it down cleanly on SIGTERM/SIGINT.
import { Broker } from '../broker';
import { BrokerConfig, ConfigError, loadConfig } from '../config';
import { createLogger } from '../logger';

const USAGE = 'USAGE: kafka-server-start CONFIG [--override key=value]...';

export class UsageError extends Error {}

export function parseArgs(argv: string[]): { configPath: string; overrides: string[] } {
  const positional: string[] = [];
  const overrides: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--override') {
      if (i + 1 === argv.length) throw new UsageError('--override needs a key=value argument');
      overrides.push(argv[++i]);
    } else if (arg.startsWith('--override=')) {
      overrides.push(arg.slice('--override='.length));
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1) throw new UsageError('expected exactly one CONFIG file');
  return { configPath: positional[0], overrides };
}

function readConfig(argv: string[]): BrokerConfig {
  try {
    const { configPath, overrides } = parseArgs(argv);
    // Config warnings are bare lines on stderr, like config errors: they come before the broker logs.
    return loadConfig(configPath, overrides, (line) => process.stderr.write(`${line}\n`));
  } catch (err) {
    if (err instanceof UsageError) process.stderr.write(`ERROR ${err.message}\n${USAGE}\n`);
    else if (err instanceof ConfigError) process.stderr.write(`ERROR ${err.message}\n`);
    else throw err;
    process.exit(1);
  }
}

// The broker logs its own "[KafkaServer id=N] started" and shutdown lines; this adds only what the process sees.
async function main(argv: string[]): Promise<void> {
  const config = readConfig(argv);
  const log = createLogger('kafka.Kafka');

  let started = false;
  const fatal = (cause: unknown): never => {
    log.error('Fatal error during KafkaServer startup. Prepare to shutdown', cause);
    process.exit(1);
  };
  // Before the broker is up nothing can be salvaged; afterwards one failed request must not take it down.
  const onCrash = (what: string) => (cause: unknown) =>
    started ? log.error(`${what}; the broker keeps running`, cause) : fatal(cause);
  process.on('uncaughtException', onCrash('Uncaught exception'));
  process.on('unhandledRejection', onCrash('Unhandled promise rejection'));

  const starting = Broker.start(config, createLogger('kafka.server.KafkaServer'));
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn(`Received ${signal} again during shutdown; exiting at once`);
      process.exit(1);
    }
    stopping = true;
    log.info(`Terminating process due to signal ${signal}`);
    starting
      .then((broker) => broker.shutdown())
      .then(
        () => process.exit(0),
        (err) => {
          log.error('Shutdown failed', err);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  await starting.catch(fatal);
  started = true;
}

if (require.main === module) void main(process.argv.slice(2));
