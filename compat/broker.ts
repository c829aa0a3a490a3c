// The broker the suite runs clients against: a kafka-ts process it starts (and can restart on the
// same port and data), or any broker given as host:port, which it neither starts nor restarts.

import { BrokerProcess, cleanup, startBroker } from '../test/helpers/broker-process';

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
}

const PROPS = {
  'offsets.topic.replication.factor': 1,
  'transaction.state.log.replication.factor': 1,
  'transaction.state.log.min.isr': 1,
  'group.initial.rebalance.delay.ms': 0,
  'auto.create.topics.enable': true,
};

export async function startStandalone(): Promise<SuiteBroker> {
  let proc: BrokerProcess = await startBroker({ props: PROPS, waitForStarted: true });
  const { port, logDir } = proc;
  let earlier = '';
  return {
    bootstrap: proc.bootstrap,
    restart: async () => {
      const code = await proc.stop();
      earlier += proc.output() + '--- restart ---\n';
      if (code !== 0) throw new Error(`broker exited with ${code} on SIGTERM:\n${proc.output().slice(-2000)}`);
      proc = await startBroker({ logDir, props: { ...PROPS, listeners: `PLAINTEXT://127.0.0.1:${port}` }, waitForStarted: true });
    },
    stop: () => cleanup(proc),
    output: () => earlier + proc.output(),
  };
}

export function externalBroker(bootstrap: string): SuiteBroker {
  return { bootstrap, stop: async () => undefined };
}
