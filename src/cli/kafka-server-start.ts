// Entry point, like Kafka's kafka-server-start.sh: load server.properties, start the broker,
// and shut it down cleanly on SIGTERM/SIGINT.
import { loadConfig } from '../config';
import { UsageError, readConfigOrExit, runBroker } from './run-broker';

export { UsageError } from './run-broker';

const USAGE = 'USAGE: kafka-server-start CONFIG [--override key=value]...';

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

function main(argv: string[]): Promise<void> {
  const config = readConfigOrExit((warn) => {
    const { configPath, overrides } = parseArgs(argv);
    return loadConfig(configPath, overrides, warn);
  }, USAGE);
  return runBroker(config);
}

if (require.main === module) void main(process.argv.slice(2));
