// The broker the suite runs clients against: a kafka-ts process it starts (and can restart on the
// same port and data), or any broker given as host:port, which it neither starts nor restarts.

import { BrokerProcess, cleanup, startBroker } from '../test/helpers/broker-process';
import { startFlakyProxy } from './lib/flaky-proxy';
import { SecureBroker, startSecureBroker } from './secure-broker';

export interface SuiteBroker {
  bootstrap: string;
  /** Stop and start again on the same port and data; absent when the suite does not own the broker. */
  restart?(): Promise<void>;
  /** Cluster only: kill -9 a broker (not the controller) that leads partitions; says which. */
  killBroker?(): Promise<string>;
  /** Cluster only: start the killed brokers again on their ports and data. */
  reviveBrokers?(): Promise<void>;
  stop(): Promise<void>;
  /** What the broker printed so far, when the suite started it. */
  output?(): string;
  /** A bootstrap behind a proxy that loses some Produce responses (lib/flaky-proxy.ts), when the suite owns the broker. */
  flakyBootstrap?: string;
  /** Produce responses the flaky proxy lost so far. */
  flakyDrops?(): number;
  /** The secured broker of the security scenarios, when the suite started one. */
  secure?: SecureBroker;
  /** Why the secured broker did not start: the security scenarios fail with it, the others run. */
  secureFailure?: string;
}

const PROPS = {
  'offsets.topic.replication.factor': 1,
  'transaction.state.log.replication.factor': 1,
  'transaction.state.log.min.isr': 1,
  'group.initial.rebalance.delay.ms': 0,
  'auto.create.topics.enable': true,
  // compaction: the cleaner looks for dirty logs every 200 ms instead of every 15 s.
  'log.cleaner.backoff.ms': 200,
  'log.retention.check.interval.ms': 500,
};

/** A second listener, FLAKY, advertised at the proxy's port: clients that bootstrap there stay behind it. */
function listenerProps(plaintextPort: number, proxyPort: number): Record<string, string> {
  return {
    listeners: `PLAINTEXT://127.0.0.1:${plaintextPort},FLAKY://127.0.0.1:0`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${plaintextPort},FLAKY://127.0.0.1:${proxyPort}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,FLAKY:PLAINTEXT',
    'inter.broker.listener.name': 'PLAINTEXT',
  };
}

/** The plain broker, and next to it the secured one when `secure` (for the security scenarios). */
export async function startStandalone(secure: boolean): Promise<SuiteBroker> {
  const proxy = await startFlakyProxy();
  const start = async (plaintextPort: number, logDir?: string) => {
    const started = await startBroker({ logDir, props: { ...PROPS, ...listenerProps(plaintextPort, proxy.port) }, waitForStarted: true });
    proxy.setTarget(started.listenerPorts()[1]);
    return started;
  };
  let proc: BrokerProcess = await start(0);
  const { port, logDir } = proc;
  let secured: SecureBroker | undefined;
  let secureFailure: string | undefined;
  if (secure) secured = await startSecureBroker().catch((err: unknown) => void (secureFailure = `the secured broker did not start: ${String(err).slice(0, 1500)}`));
  let earlier = '';
  return {
    bootstrap: proc.bootstrap,
    flakyBootstrap: `127.0.0.1:${proxy.port}`,
    flakyDrops: () => proxy.dropped,
    restart: async () => {
      const code = await proc.stop();
      earlier += proc.output() + '--- restart ---\n';
      if (code !== 0) throw new Error(`broker exited with ${code} on SIGTERM:\n${proc.output().slice(-2000)}`);
      proc = await start(port, logDir);
    },
    secure: secured,
    secureFailure,
    stop: async () => {
      await cleanup(proc);
      await proxy.close();
      await secured?.stop();
    },
    output: () => earlier + proc.output() + (secured ? `=== secured broker ===\n${secured.output()}` : ''),
  };
}

export function externalBroker(bootstrap: string): SuiteBroker {
  return { bootstrap, stop: async () => undefined };
}
