// Standalone mode's producer id blocks: the latest block claimed, as the same JSON Kafka keeps in
// /latest_producer_id_block, in a file of the log dir written atomically before any id of the
// block is handed out, so ids are never reused across restarts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../log/atomic-file';
import { ProducerIdBlock, ProducerIdBlockStore, nextBlock, parseProducerIdBlockJson, producerIdBlockJson } from './producer-id-manager';

export const PRODUCER_ID_BLOCK_FILE = 'latest_producer_id_block';

export class FileProducerIdBlocks implements ProducerIdBlockStore {
  private readonly file: string;

  constructor(logDir: string) {
    this.file = join(logDir, PRODUCER_ID_BLOCK_FILE);
  }

  async claimBlock(brokerId: number): Promise<ProducerIdBlock> {
    const block = nextBlock(brokerId, this.latest());
    writeFileAtomicSync(this.file, producerIdBlockJson(block));
    return block;
  }

  private latest(): ProducerIdBlock | null {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    return parseProducerIdBlockJson(text);
  }
}
