// Controller election as KafkaZkClient.registerControllerAndIncrementControllerEpoch does it: one
// multi-op creates the ephemeral /controller and bumps /controller_epoch at the version just read,
// so of the brokers racing after a controller dies exactly one wins, with a new epoch.

import { Clock } from '../clock';
import { Logger } from '../logger';
import { isZkError, ZooKeeperSession, ZkStat } from '../zookeeper';
import { CONTROLLER, CONTROLLER_EPOCH } from './zk-paths';
import { decodeControllerEpoch, decodeControllerId, encodeController, encodeControllerEpoch } from './znode-payloads';

/** KafkaController.InitialControllerEpoch: /controller_epoch starts at 0, the first controller gets 1. */
const INITIAL_CONTROLLER_EPOCH = 0;

/** What the winner holds: its epoch, and the /controller_epoch version every controller write checks. */
export interface ControllerLease {
  epoch: number;
  epochZkVersion: number;
}

/**
 * Becomes controller if there is none. Returns the lease when this broker is the controller (also
 * when it already was, on this session), null when another broker is.
 */
export async function electController(zk: ZooKeeperSession, brokerId: number, clock: Clock, log: Logger): Promise<ControllerLease | null> {
  const current = await zk.getData(CONTROLLER);
  if (current) return isOurs(zk, brokerId, current) ? leaseOf(zk) : null;
  const { epoch, version } = await readOrCreateEpoch(zk, log);
  const newEpoch = epoch + 1;
  try {
    await zk.multi([
      { type: 'create', path: CONTROLLER, data: encodeController(brokerId, clock.now()), mode: 'ephemeral' },
      { type: 'setData', path: CONTROLLER_EPOCH, data: encodeControllerEpoch(newEpoch), version },
    ]);
  } catch (err) {
    if (!isZkError(err, 'NODE_EXISTS') && !isZkError(err, 'BAD_VERSION')) throw err;
    // Another broker won, unless a retried request of ours did (checkControllerAndEpoch).
    const winner = await zk.getData(CONTROLLER);
    return winner && isOurs(zk, brokerId, winner) ? leaseOf(zk) : null;
  }
  log.info(`${brokerId} successfully elected as the controller. Epoch incremented to ${newEpoch} and epoch zk version is now ${version + 1}`);
  return { epoch: newEpoch, epochZkVersion: version + 1 };
}

function isOurs(zk: ZooKeeperSession, brokerId: number, node: { data: Buffer | null; stat: ZkStat }): boolean {
  return node.stat.ephemeralOwner === zk.sessionId && decodeControllerId(node.data) === brokerId;
}

async function leaseOf(zk: ZooKeeperSession): Promise<ControllerLease | null> {
  const node = await zk.getData(CONTROLLER_EPOCH);
  return node ? { epoch: decodeControllerEpoch(node.data), epochZkVersion: node.stat.version } : null;
}

async function readOrCreateEpoch(zk: ZooKeeperSession, log: Logger): Promise<{ epoch: number; version: number }> {
  for (;;) {
    const node = await zk.getData(CONTROLLER_EPOCH);
    if (node) return { epoch: decodeControllerEpoch(node.data), version: node.stat.version };
    try {
      await zk.create(CONTROLLER_EPOCH, encodeControllerEpoch(INITIAL_CONTROLLER_EPOCH), 'persistent');
      log.info(`Successfully created ${CONTROLLER_EPOCH} with initial epoch ${INITIAL_CONTROLLER_EPOCH}`);
      return { epoch: INITIAL_CONTROLLER_EPOCH, version: 0 };
    } catch (err) {
      if (!isZkError(err, 'NODE_EXISTS')) throw err;
    }
  }
}
