// The npx entry's command line: server.properties keys as flags, --override, a CONFIG file, and the
// shipped defaults with a temporary log dir and advertised listeners that follow --listeners.
import { DEFAULT_CONFIG, parseArgs, withDefaults } from '../../src/cli/kafka-ts';
import { UsageError } from '../../src/cli/run-broker';

test('server.properties keys as flags, inline or as the next argument, and --override', () => {
  expect(parseArgs(['--broker.id=1', '--log.dirs', '/tmp/x', '--override', 'num.partitions=3', '--listeners=PLAINTEXT://127.0.0.1:9093'])).toEqual({
    help: false,
    configPath: null,
    overrides: ['broker.id=1', 'log.dirs=/tmp/x', 'num.partitions=3', 'listeners=PLAINTEXT://127.0.0.1:9093'],
  });
  expect(parseArgs(['--kafkats.console.listener='])).toEqual({ help: false, configPath: null, overrides: ['kafkats.console.listener='] });
});

test('a CONFIG file, positional or with --config, at most one', () => {
  expect(parseArgs(['config/server.properties', '--broker.id=2'])).toEqual({ help: false, configPath: 'config/server.properties', overrides: ['broker.id=2'] });
  expect(parseArgs(['--config=a.properties'])).toMatchObject({ configPath: 'a.properties' });
  expect(() => parseArgs(['a.properties', '--config', 'b.properties'])).toThrow(UsageError);
});

test('--help wins; malformed options are usage errors', () => {
  expect(parseArgs(['--broker.id=1', '--help'])).toEqual({ help: true });
  expect(parseArgs(['-h'])).toEqual({ help: true });
  expect(() => parseArgs(['--broker.id'])).toThrow('--broker.id needs a value');
  expect(() => parseArgs(['-x'])).toThrow('unknown option -x');
  expect(() => parseArgs(['--=1'])).toThrow('unknown option --=1');
});

test('without CONFIG: the shipped file, a temporary log dir unless log.dirs is given, advertised listeners following listeners', () => {
  expect(DEFAULT_CONFIG).toMatch(/config[\\/]server\.properties$/);
  expect(withDefaults([], () => '/tmp/t')).toEqual({ configPath: DEFAULT_CONFIG, overrides: ['log.dirs=/tmp/t'], tempLogDir: '/tmp/t' });
  const made = withDefaults(['log.dirs=/data', 'listeners=PLAINTEXT://127.0.0.1:1', 'listeners=PLAINTEXT://127.0.0.1:0'], () => {
    throw new Error('no temporary dir when log.dirs is given');
  });
  expect(made.tempLogDir).toBeNull();
  expect(made.overrides[0]).toBe('advertised.listeners=PLAINTEXT://127.0.0.1:0');
  expect(withDefaults(['log.dir=/d', 'listeners=X', 'advertised.listeners=Y'], () => '/t').overrides).toEqual(['log.dir=/d', 'listeners=X', 'advertised.listeners=Y']);
});
