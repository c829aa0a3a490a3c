// Producer id blocks: ids in order from blocks of 1000, one claim shared by concurrent callers, the
// block JSON, and the standalone file surviving restarts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileProducerIdBlocks, PRODUCER_ID_BLOCK_FILE } from '../../src/txn/file-producer-id-blocks';
import { ProducerIdBlock, ProducerIdManager, nextBlock, parseProducerIdBlockJson, producerIdBlockJson } from '../../src/txn/producer-id-manager';
import { makeTempDir, removeDir } from '../log/helpers';

describe('ProducerIdManager', () => {
  it('hands out ids in order, claiming a new block when one runs out', async () => {
    const claims: ProducerIdBlock[] = [];
    const manager = new ProducerIdManager(3, {
      claimBlock: async (brokerId) => {
        const block = nextBlock(brokerId, claims[claims.length - 1] ?? null);
        claims.push(block);
        return block;
      },
    });
    const ids = await Promise.all(Array.from({ length: 1001 }, () => manager.generateProducerId()));
    expect(ids[0]).toBe(0n);
    expect(ids[1000]).toBe(1000n);
    expect(new Set(ids).size).toBe(1001);
    expect(claims).toEqual([
      { brokerId: 3, firstProducerId: 0n, lastProducerId: 999n },
      { brokerId: 3, firstProducerId: 1000n, lastProducerId: 1999n },
    ]);
  });

  it('writes the block JSON as Kafka does, numbers as strings', () => {
    const json = producerIdBlockJson({ brokerId: 2, firstProducerId: 1000n, lastProducerId: 1999n });
    expect(json).toBe('{"version":1,"broker":2,"block_start":"1000","block_end":"1999"}');
    expect(parseProducerIdBlockJson(json)).toEqual({ brokerId: 2, firstProducerId: 1000n, lastProducerId: 1999n });
  });

  it('refuses to pass Long.MAX_VALUE', () => {
    expect(() => nextBlock(1, { brokerId: 1, firstProducerId: 0n, lastProducerId: 0x7fffffffffffffffn - 10n })).toThrow('Have exhausted all producerIds.');
  });
});

describe('FileProducerIdBlocks', () => {
  it('claims the next block after the one in the file, across restarts', async () => {
    const dir = makeTempDir();
    try {
      expect(await new FileProducerIdBlocks(dir).claimBlock(1)).toEqual({ brokerId: 1, firstProducerId: 0n, lastProducerId: 999n });
      const restarted = new ProducerIdManager(1, new FileProducerIdBlocks(dir));
      expect(await restarted.generateProducerId()).toBe(1000n);
      expect(readFileSync(join(dir, PRODUCER_ID_BLOCK_FILE), 'utf8')).toBe('{"version":1,"broker":1,"block_start":"1000","block_end":"1999"}');
    } finally {
      removeDir(dir);
    }
  });
});
