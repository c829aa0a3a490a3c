// Producer ids, handed out from blocks of 1000 claimed cluster-wide (Kafka's ZkProducerIdManager):
// the block store is /latest_producer_id_block in ZooKeeper mode, a file in the log dir standalone.
// One claim at a time; callers arriving meanwhile share it.

/** Kafka's ProducerIdsBlock.PRODUCER_ID_BLOCK_SIZE. */
export const PRODUCER_ID_BLOCK_SIZE = 1000n;

/** An inclusive range of producer ids owned by one broker. */
export interface ProducerIdBlock {
  brokerId: number;
  firstProducerId: bigint;
  lastProducerId: bigint;
}

/** Where blocks are claimed: each call returns a block no broker was given before. */
export interface ProducerIdBlockStore {
  claimBlock(brokerId: number): Promise<ProducerIdBlock>;
}

/** The block after `previous` (or the first), failing once ids would pass Long.MAX_VALUE. */
export function nextBlock(brokerId: number, previous: ProducerIdBlock | null): ProducerIdBlock {
  const LONG_MAX = 0x7fffffffffffffffn;
  if (previous && previous.lastProducerId > LONG_MAX - PRODUCER_ID_BLOCK_SIZE) throw new Error('Have exhausted all producerIds.');
  const first = previous ? previous.lastProducerId + 1n : 0n;
  return { brokerId, firstProducerId: first, lastProducerId: first + PRODUCER_ID_BLOCK_SIZE - 1n };
}

/** The znode's (and file's) JSON: numbers of the block as strings, as Kafka's ProducerIdBlockZNode. */
export function producerIdBlockJson(block: ProducerIdBlock): string {
  return JSON.stringify({ version: 1, broker: block.brokerId, block_start: String(block.firstProducerId), block_end: String(block.lastProducerId) });
}

export function parseProducerIdBlockJson(text: string): ProducerIdBlock {
  const json = JSON.parse(text) as { broker: number; block_start: string | number; block_end: string | number };
  return { brokerId: Number(json.broker), firstProducerId: BigInt(json.block_start), lastProducerId: BigInt(json.block_end) };
}

export class ProducerIdManager {
  private block: ProducerIdBlock | null = null;
  private next = 0n;
  private claiming: Promise<void> | null = null;

  constructor(
    private readonly brokerId: number,
    private readonly store: ProducerIdBlockStore,
  ) {}

  async generateProducerId(): Promise<bigint> {
    while (!this.block || this.next > this.block.lastProducerId) {
      this.claiming ??= this.claim().finally(() => (this.claiming = null));
      await this.claiming;
    }
    return this.next++;
  }

  private async claim(): Promise<void> {
    const block = await this.store.claimBlock(this.brokerId);
    this.block = block;
    this.next = block.firstProducerId;
  }
}
