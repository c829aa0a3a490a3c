// kafka-configs.sh against a real broker: topic and broker configs through IncrementalAlterConfigs
// and DescribeConfigs, user/client quotas and SCRAM credentials, in Kafka 3.9's words and layouts;
// the --add-config parser and Java's double format in-process.

import { Apis } from '../../protocol';
import { javaDouble, parseAddConfig } from '../../src/tools/configs/config-format';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { runTool } from '../helpers/run-tool';
import { connectClient } from '../helpers/test-client';

const configs = (b: BrokerProcess, ...args: string[]) => runTool('kafka-configs', ['--bootstrap-server', b.bootstrap, ...args]);

describe('kafka-configs formatting', () => {
  it('parses --add-config with bracketed lists', () => {
    expect([...parseAddConfig('retention.ms=1000,cleanup.policy=[compact,delete], a = b')]).toEqual([
      ['retention.ms', '1000'],
      ['cleanup.policy', 'compact,delete'],
      ['a', 'b'],
    ]);
    expect(() => parseAddConfig('novalue')).toThrow(/must be in the format "key=val"/);
  });

  it("prints doubles as Java's Double.toString", () => {
    expect([1024, 0.5, 1e7, 12345678.5, 1.5e-4, 100].map(javaDouble)).toEqual(['1024.0', '0.5', '1.0E7', '1.23456785E7', '1.5E-4', '100.0']);
  });
});

describe('kafka-configs', () => {
  let broker: BrokerProcess | undefined;
  beforeAll(async () => {
    broker = await startBroker();
    const conn = await connectClient(broker.port);
    await conn.request(Apis.CreateTopics, 7, { topics: [{ name: 't', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 5000, validateOnly: false });
    conn.close();
  });
  afterAll(async () => cleanup(broker));

  it('alters and describes topic configs', async () => {
    const b = broker!;
    const altered = await configs(b, '--alter', '--topic', 't', '--add-config', 'retention.ms=1000,cleanup.policy=[compact,delete]');
    expect(altered).toMatchObject({ code: 0, stdout: 'Completed updating config for topic t.\n', stderr: '' });
    const described = await configs(b, '--describe', '--entity-type', 'topics', '--entity-name', 't');
    expect(described.stdout).toBe(
      'Dynamic configs for topic t are:\n' +
        '  cleanup.policy=compact,delete sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact,delete, DEFAULT_CONFIG:log.cleanup.policy=delete}\n' +
        '  retention.ms=1000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=1000}\n',
    );
    expect((await configs(b, '--alter', '--topic', 't', '--delete-config', 'cleanup.policy')).code).toBe(0);
    const missing = await configs(b, '--alter', '--topic', 't', '--delete-config', 'nope');
    expect(missing).toMatchObject({ code: 1, stderr: 'Invalid config(s): nope\n' });
  });

  it('alters and describes broker configs', async () => {
    const b = broker!;
    expect((await configs(b, '--alter', '--broker', '0', '--add-config', 'log.cleaner.threads=2')).stdout).toBe('Completed updating config for broker 0.\n');
    const described = await configs(b, '--describe', '--broker', '0');
    expect(described.stdout).toMatch(/^Dynamic configs for broker 0 are:\n {2}log\.cleaner\.threads=2 sensitive=false synonyms=\{DYNAMIC_BROKER_CONFIG:log\.cleaner\.threads=2, DEFAULT_CONFIG:log\.cleaner\.threads=1\}\n$/);
    const all = await configs(b, '--describe', '--broker', '0', '--all');
    expect(all.stdout.split('\n')[0]).toBe('All configs for broker 0 are:');
    expect(all.stdout).toContain('\n  log.cleaner.threads=2 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:log.cleaner.threads=2, DEFAULT_CONFIG:log.cleaner.threads=1}\n');
  });

  it('alters and describes quotas and SCRAM credentials of users and clients', async () => {
    const b = broker!;
    expect((await configs(b, '--alter', '--entity-type', 'users', '--entity-name', 'alice', '--add-config', 'producer_byte_rate=1024,consumer_byte_rate=2048')).stdout).toBe(
      'Completed updating config for user alice.\n',
    );
    expect((await configs(b, '--alter', '--user', 'alice', '--add-config', 'SCRAM-SHA-256=[iterations=8192,password=alice-secret]')).stdout).toBe('Completed updating config for user alice.\n');
    expect((await configs(b, '--describe', '--user', 'alice')).stdout).toBe(
      "Quota configs for user-principal 'alice' are producer_byte_rate=1024.0, consumer_byte_rate=2048.0\n" +
        "SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-256=iterations=8192\n",
    );
    expect((await configs(b, '--alter', '--client-defaults', '--add-config', 'request_percentage=50')).stdout).toBe('Completed updating default config for clients in the cluster.\n');
    expect((await configs(b, '--describe', '--entity-type', 'clients', '--entity-default')).stdout).toBe('Quota configs for the default client-id are request_percentage=50.0\n');
    const both = await configs(b, '--alter', '--user', 'alice', '--add-config', 'producer_byte_rate=1,SCRAM-SHA-512=[password=x]');
    expect(both).toMatchObject({ code: 1, stderr: "Cannot alter both quota and SCRAM credential configs simultaneously for 'users' using --bootstrap-server.\n" });
  });

  it('alters and describes cluster-wide broker defaults and deletes quotas', async () => {
    const b = broker!;
    expect((await configs(b, '--alter', '--entity-type', 'brokers', '--entity-default', '--add-config', 'log.cleaner.threads=3')).stdout).toBe(
      'Completed updating default config for brokers in the cluster.\n',
    );
    expect((await configs(b, '--describe', '--broker-defaults')).stdout).toBe(
      'Default configs for brokers in the cluster are:\n  log.cleaner.threads=3 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.cleaner.threads=3, DEFAULT_CONFIG:log.cleaner.threads=1}\n',
    );
    expect((await configs(b, '--alter', '--user', 'bob', '--add-config', 'producer_byte_rate=1e7,request_percentage=12.5')).code).toBe(0);
    expect((await configs(b, '--describe', '--user', 'bob')).stdout).toBe("Quota configs for user-principal 'bob' are request_percentage=12.5, producer_byte_rate=1.0E7\n");
    expect((await configs(b, '--alter', '--user', 'bob', '--delete-config', 'request_percentage')).code).toBe(0);
    expect((await configs(b, '--describe', '--user', 'bob')).stdout).toBe("Quota configs for user-principal 'bob' are producer_byte_rate=1.0E7\n");
    expect(await configs(b, '--alter', '--user', 'bob', '--delete-config', 'consumer_byte_rate')).toMatchObject({ code: 1, stderr: 'Invalid config(s): consumer_byte_rate\n' });
    expect(await configs(b, '--alter', '--user', 'bob', '--add-config', 'retention.ms=1')).toMatchObject({
      code: 1,
      stderr: "Only quota and SCRAM credential configs can be added for 'users' using --bootstrap-server. Unexpected config names: Set(retention.ms)\n",
    });
  });

  it('refuses bad command lines as Kafka does', async () => {
    const b = broker!;
    expect((await configs(b, '--describe', '--alter', '--topic', 't')).stderr.split('\n')[0]).toBe('Command must include exactly one action: --describe, --alter');
    expect(await configs(b, '--alter', '--topic', 't')).toMatchObject({ code: 1, stderr: 'At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter\n' });
    expect(await configs(b, '--describe', '--entity-type', 'topics', '--topic', 't')).toMatchObject({ code: 1, stderr: 'Duplicate entity type(s) specified: topics\n' });
    expect(await configs(b, '--describe', '--entity-name', 'x', '--topic', 't')).toMatchObject({ code: 1, stderr: '--entity-{type,name,default} should not be used in conjunction with specific entity flags\n' });
  });
});
