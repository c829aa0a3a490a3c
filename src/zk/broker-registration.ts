// The broker's ephemeral /brokers/ids/<id>, created as Kafka's CheckedEphemeral does: a multi-op
// create + setData, and on NODE_EXISTS a look at the owner. Our own session: fine. A session of
// ours that expired but whose node lingers (ZOOKEEPER-2985, KAFKA-7165): delete and re-create.
// Anyone else: another live broker has this id, and startup fails.

import { Clock } from '../clock';
import { BrokerInfo } from '../cluster/cluster';
import { Logger } from '../logger';
import { isZkError, ZooKeeperSession } from '../zookeeper';
import { brokerPath } from './zk-paths';
import { encodeBrokerRegistration, endpointString } from './znode-payloads';

const hex = (session: bigint): string => `0x${BigInt.asUintN(64, session).toString(16)}`;

export class BrokerRegistration {
  /** Sessions this process registered the broker with, so a leftover node of ours is recognised. */
  private readonly ownSessions = new Set<bigint>();

  constructor(
    private readonly zk: ZooKeeperSession,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Creates the node; returns its czxid, the broker epoch. */
  async register(broker: BrokerInfo): Promise<bigint> {
    const path = brokerPath(broker.id);
    this.log.info(`Creating ${path} (is it secure? false)`);
    const czxid = await this.create(path, encodeBrokerRegistration(broker, this.clock.now()));
    this.ownSessions.add(this.zk.sessionId);
    this.log.info(
      `Registered broker ${broker.id} at path ${path} with addresses: ${broker.endpoints.map(endpointString).join(',')}, czxid (broker epoch): ${czxid}`,
    );
    return czxid;
  }

  private async create(path: string, data: Buffer): Promise<bigint> {
    for (;;) {
      try {
        await this.zk.multi([
          { type: 'create', path, data: null, mode: 'ephemeral' },
          { type: 'setData', path, data, version: 0 },
        ]);
      } catch (err) {
        // NODE_EXISTS: whose is it? CONNECTION_LOSS: it may have been created; look.
        if (!isZkError(err, 'NODE_EXISTS') && !isZkError(err, 'CONNECTION_LOSS')) throw err;
      }
      let stat;
      try {
        stat = await this.zk.exists(path);
      } catch (err) {
        if (isZkError(err, 'CONNECTION_LOSS')) continue;
        throw err;
      }
      if (!stat) {
        this.log.info(`The ephemeral node at ${path} went away while reading it, attempting create() again`);
        continue;
      }
      const owner = stat.ephemeralOwner;
      const session = this.zk.sessionId;
      if (owner === session) return stat.czxid;
      if (this.ownSessions.has(owner)) {
        this.log.info(
          `Was not possible to create the ephemeral at ${path}, node already exists and owner '${hex(owner)}' does not match current session '${hex(session)}', trying to delete and re-create it with the newest Zookeeper session`,
        );
        await this.deleteIfPresent(path);
        continue;
      }
      const message = `Error while creating ephemeral at ${path}, node already exists and owner '${hex(owner)}' does not match current session '${hex(session)}'`;
      this.log.error(message);
      throw new Error(`${message}: KeeperErrorCode = NodeExists`);
    }
  }

  private async deleteIfPresent(path: string): Promise<void> {
    try {
      await this.zk.delete(path, -1);
    } catch (err) {
      if (!isZkError(err, 'NO_NODE')) throw err;
    }
  }
}
