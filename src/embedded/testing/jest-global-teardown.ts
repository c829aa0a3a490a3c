// jest's globalTeardown (`globalTeardown: 'kafka-ts/jest-global-teardown'`): stops the clusters that
// kafka-ts/jest-global-setup started in this same parent process.

import { BOOTSTRAP_SERVERS_ENV } from './shared-cluster';
import { startedClusters } from './jest-global-setup';

export default async function globalTeardown(): Promise<void> {
  const clusters = startedClusters().splice(0);
  await Promise.all(clusters.map((c) => c.stop()));
  delete process.env[BOOTSTRAP_SERVERS_ENV];
}
