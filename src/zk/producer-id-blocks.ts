// ZooKeeper mode's producer id blocks (Kafka's ZkProducerIdManager.getNewProducerIdBlock): read
// /latest_producer_id_block with its version, claim the next block of 1000 with a conditional
// setData, and try again when another broker claimed one meanwhile. An absent or empty znode means
// no block was claimed yet: the first block starts at 0.
import { ZooKeeperSession, isZkError } from '../zookeeper';

const PATH = '/latest_producer_id_block';
const BLOCK_SIZE = 1000n;
const LONG_MAX = 0x7fffffffffffffffn;

export interface ClaimedBlock {
  brokerId: number;
  firstProducerId: bigint;
  lastProducerId: bigint;
}

export class ZkProducerIdBlocks {
  constructor(private readonly zk: ZooKeeperSession) {}

  async claimBlock(brokerId: number): Promise<ClaimedBlock> {
    for (;;) {
      const current = await this.zk.getData(PATH);
      const text = current?.data?.toString('utf8') ?? '';
      let first = 0n;
      if (text !== '') {
        const json = JSON.parse(text) as { block_end: string | number };
        const last = BigInt(json.block_end);
        if (last > LONG_MAX - BLOCK_SIZE) throw new Error('Have exhausted all producerIds.');
        first = last + 1n;
      }
      const block = { brokerId, firstProducerId: first, lastProducerId: first + BLOCK_SIZE - 1n };
      const data = Buffer.from(
        JSON.stringify({ version: 1, broker: brokerId, block_start: String(block.firstProducerId), block_end: String(block.lastProducerId) }),
      );
      try {
        if (current) await this.zk.setData(PATH, data, current.stat.version);
        else await this.zk.createRecursive(PATH, data);
        return block;
      } catch (err) {
        // Another broker got there first: read its block and claim the next one.
        if (!isZkError(err, 'BAD_VERSION') && !isZkError(err, 'NODE_EXISTS') && !isZkError(err, 'NO_NODE')) throw err;
      }
    }
  }
}
