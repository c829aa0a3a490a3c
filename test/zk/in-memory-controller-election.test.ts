// Kafka's controller election runs on an in-memory ZooKeeper ensemble: of two brokers racing, one
// wins; when the winner's process dies, its /controller goes with its session and the other wins.

import { realClock } from '../../src/clock';
import { createLogger } from '../../src/logger';
import { electController } from '../../src/zk/controller-election';
import { CONTROLLER } from '../../src/zk/zk-paths';
import { InMemoryEnsemble } from '../../src/zookeeper';

const quiet = () => createLogger('test', () => undefined);

test('one of two brokers wins the election; after it crashes, the other does, with the next epoch', async () => {
  const ensemble = new InMemoryEnsemble();
  const sessions = [ensemble.openSession(), ensemble.openSession()];
  const [lease1, lease2] = await Promise.all([
    electController(sessions[0], 1, realClock, quiet()),
    electController(sessions[1], 2, realClock, quiet()),
  ]);
  expect([lease1, lease2].filter((l) => l !== null)).toHaveLength(1);
  const winner = lease1 ? 0 : 1;
  const loser = 1 - winner;
  expect((lease1 ?? lease2)?.epoch).toBe(1);
  expect((await sessions[loser].exists(CONTROLLER))?.ephemeralOwner).toBe(sessions[winner].sessionId);
  // Asking again on the same session keeps the lease, and the loser still loses.
  expect(await electController(sessions[winner], winner + 1, realClock, quiet())).toEqual(lease1 ?? lease2);
  expect(await electController(sessions[loser], loser + 1, realClock, quiet())).toBeNull();

  const gone = new Promise<void>((resolve) => void sessions[loser].exists(CONTROLLER, () => resolve()));
  ensemble.crash(sessions[winner].sessionId);
  await gone;
  const lease = await electController(sessions[loser], loser + 1, realClock, quiet());
  expect(lease?.epoch).toBe(2);
  expect((await sessions[loser].exists(CONTROLLER))?.ephemeralOwner).toBe(sessions[loser].sessionId);
});
