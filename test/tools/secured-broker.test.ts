// The tools on a secured cluster: --command-config carries a Java client's security properties
// (SASL_SSL with SCRAM over a PKCS12 truststore, as a Kafka user writes them), and a wrong password
// is reported on one line with Kafka's authentication message, exit code 1.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { STORE_PASSWORD, TestCerts, makeTestCerts } from '../helpers/certs';
import { runTool } from '../helpers/run-tool';
import { saslSslBrokerProps } from '../helpers/sasl-ssl-broker';

let broker: BrokerProcess;
let certs: TestCerts;
let dir: string;
let saslSsl: string;


beforeAll(async () => {
  certs = makeTestCerts();
  dir = mkdtempSync(join(tmpdir(), 'kafka-ts-tools-'));
  broker = await startBroker({
    waitForStarted: true,
    props: { ...saslSslBrokerProps(certs) },
  });
  saslSsl = `localhost:${broker.listenerPorts()[1]}`;
  const created = await runTool('kafka-configs', ['--bootstrap-server', broker.bootstrap, '--alter', '--entity-type', 'users', '--entity-name', 'alice', '--add-config', 'SCRAM-SHA-512=[iterations=4096,password=alice-secret]']);
  expect(created).toEqual({ stdout: "Completed updating config for user alice.\n", stderr: '', code: 0 });
  await runTool('kafka-topics', ['--bootstrap-server', broker.bootstrap, '--create', '--topic', 'secured', '--partitions', '2']);
});

afterAll(async () => {
  await cleanup(broker);
  certs?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function clientConfig(name: string, password: string): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    [
      'security.protocol=SASL_SSL',
      'sasl.mechanism=SCRAM-SHA-512',
      `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="${password}";`,
      'ssl.truststore.type=PKCS12',
      `ssl.truststore.location=${certs.trustP12}`,
      `ssl.truststore.password=${STORE_PASSWORD}`,
      '',
    ].join('\n'),
  );
  return path;
}

test('with --command-config a tool authenticates with SCRAM over TLS and works as on plaintext', async () => {
  const run = await runTool('kafka-topics', ['--bootstrap-server', saslSsl, '--command-config', clientConfig('alice.properties', 'alice-secret'), '--list']);
  expect(run).toEqual({ stdout: 'secured\n', stderr: '', code: 0 });
});

test('a wrong password is one line with the broker message and exit code 1', async () => {
  const run = await runTool('kafka-topics', ['--bootstrap-server', saslSsl, '--command-config', clientConfig('wrong.properties', 'nope'), '--list']);
  expect(run.code).toBe(1);
  expect(run.stdout + run.stderr).toMatch(/^.*Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512\n$/);
});
