// A listener whose security protocol is not served yet refuses startup, naming the listener: the
// broker never serves SSL listeners as plaintext. (SASL listeners: test/integration/sasl.test.ts.)

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker } from '../helpers/broker-process';

let logDir: string;
beforeEach(() => (logDir = mkdtempSync(join(tmpdir(), 'kafka-ts-listeners-'))));
afterEach(() => rmSync(logDir, { recursive: true, force: true }));

test.each(['SSL'])('a %s listener stops the broker before it binds anything', async (protocol) => {
  const starting = startBroker({
    logDir,
    props: {
      listeners: 'PLAINTEXT://127.0.0.1:0,SECURE://127.0.0.1:0',
      'listener.security.protocol.map': `PLAINTEXT:PLAINTEXT,SECURE:${protocol}`,
    },
  });
  await expect(starting).rejects.toThrow(new RegExp(`exited with 1 before listening:[\\s\\S]*Listener SECURE uses security protocol ${protocol}`));
  await expect(starting).rejects.not.toThrow(/Awaiting socket connections/);
});
