// A TLS listener without a keystore refuses startup, naming the listener and the key: the broker
// never serves SSL or SASL_SSL listeners as plaintext. (SASL settings: test/integration/sasl.test.ts.)

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker } from '../helpers/broker-process';

let logDir: string;
beforeEach(() => (logDir = mkdtempSync(join(tmpdir(), 'kafka-ts-listeners-'))));
afterEach(() => rmSync(logDir, { recursive: true, force: true }));

test.each(['SSL', 'SASL_SSL'])('a %s listener without a keystore stops the broker before it binds anything', async (protocol) => {
  const starting = startBroker({
    logDir,
    props: {
      listeners: 'PLAINTEXT://127.0.0.1:0,SECURE://127.0.0.1:0',
      'listener.security.protocol.map': `PLAINTEXT:PLAINTEXT,SECURE:${protocol}`,
      'sasl.enabled.mechanisms': 'PLAIN',
      'listener.name.secure.plain.sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required user_a="b";',
    },
  });
  await expect(starting).rejects.toThrow(/exited with 1 before listening:[\s\S]*Listener SECURE: no keystore: set ssl\.keystore\.location/);
  await expect(starting).rejects.not.toThrow(/Awaiting socket connections/);
});
