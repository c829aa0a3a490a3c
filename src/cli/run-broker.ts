// Running one broker as a process, shared by kafka-server-start and the npx entry kafka-ts: read
// the config (usage and config errors as bare lines on stderr, exit 1), start the broker, and shut
// it down cleanly on SIGTERM/SIGINT. With kafkats.control.listener set, the process also serves the
// broker's HTTP control plane, which can take the broker down and up while the process stays.
import { ControllableClock, realClock } from '../clock';
import { BrokerConfig, ConfigError } from '../config';
import { ControlServer } from '../control/http/control-server';
import { createLogger } from '../logger';
import { ControlledBroker } from './controlled-broker';

/** A command line that cannot be read: the message, then the usage, on stderr, exit code 1. */
export class UsageError extends Error {}

/** Config warnings go to stderr as bare lines, like config errors: they come before the broker logs. */
export type ReadConfig = (warn: (line: string) => void) => BrokerConfig;

export function readConfigOrExit(read: ReadConfig, usage: string): BrokerConfig {
  try {
    return read((line) => process.stderr.write(`${line}\n`));
  } catch (err) {
    if (err instanceof UsageError) process.stderr.write(`ERROR ${err.message}\n${usage}\n`);
    else if (err instanceof ConfigError) process.stderr.write(`ERROR ${err.message}\n`);
    else throw err;
    process.exit(1);
  }
}

// The broker logs its own "[KafkaServer id=N] started" and shutdown lines; this adds only what the process sees.
export async function runBroker(config: BrokerConfig): Promise<void> {
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

  const target = new ControlledBroker(config, createLogger('kafka.server.KafkaServer'), realClock, config.controlClock === 'controllable' ? new ControllableClock() : null);
  const starting = target.up().then(() => startControlPlane(config, target));
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn(`Received ${signal} again during shutdown; exiting at once`);
      process.exit(1);
    }
    stopping = true;
    log.info(`Terminating process due to signal ${signal}`);
    starting
      .then(async (control) => {
        await control?.close();
        await target.down('stop');
      })
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

/** The control plane, when kafkats.control.listener names an address. */
async function startControlPlane(config: BrokerConfig, target: ControlledBroker): Promise<ControlServer | null> {
  if (!config.controlListener) return null;
  target.controls.requestLog.resize(config.controlRequestLogSize);
  const log = createLogger('kafka.control.ControlServer');
  const server = await ControlServer.forBroker(config, target, () => target.broker?.boundListeners ?? [], log);
  log.info(`Serving the control plane on ${server.url}.`);
  return server;
}
