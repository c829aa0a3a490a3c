// ZooKeeper mode's producer id blocks: the conditional claim of /latest_producer_id_block, read
// again when another broker claimed a block first, on a fake ZooKeeper client that plays the race.
import { ZkProducerIdBlocks } from '../../src/zk/producer-id-blocks';
import { ZkError } from '../../src/zookeeper';
import type { ZkClient } from '../../src/zookeeper';

/** A /latest_producer_id_block znode; `race` lets another broker claim a block between a read and a write. */
function fakeZk(initial: string | null, exists = true) {
  const node = { exists, data: initial, version: 0 };
  const calls: string[] = [];
  let race: (() => void) | null = null;
  const zk = {
    async getData() {
      calls.push('get');
      return node.exists ? { data: node.data === null ? null : Buffer.from(node.data), stat: { version: node.version } } : null;
    },
    async setData(_path: string, data: Buffer, version: number) {
      race?.();
      race = null;
      calls.push(`set@${version}`);
      if (version !== node.version) throw new ZkError('BAD_VERSION', 'version moved');
      node.data = data.toString();
      node.version++;
      return { version: node.version };
    },
    async createRecursive(_path: string, data: Buffer) {
      calls.push('create');
      if (node.exists) throw new ZkError('NODE_EXISTS', 'exists');
      Object.assign(node, { exists: true, data: data.toString(), version: 0 });
      return _path;
    },
  };
  return { zk: zk as unknown as ZkClient, node, calls, raceOnce: (fn: () => void) => (race = fn) };
}

describe('ZkProducerIdBlocks', () => {
  it('claims the first block on an empty znode and the next one after', async () => {
    const { zk, node } = fakeZk(null);
    const blocks = new ZkProducerIdBlocks(zk);
    expect(await blocks.claimBlock(1)).toEqual({ brokerId: 1, firstProducerId: 0n, lastProducerId: 999n });
    expect(node.data).toBe('{"version":1,"broker":1,"block_start":"0","block_end":"999"}');
    expect(await blocks.claimBlock(1)).toMatchObject({ firstProducerId: 1000n, lastProducerId: 1999n });
  });

  it('reads again and claims the following block when another broker wrote meanwhile', async () => {
    const { zk, node, calls, raceOnce } = fakeZk('{"version":1,"broker":2,"block_start":"0","block_end":"999"}');
    raceOnce(() => {
      node.data = '{"version":1,"broker":3,"block_start":"1000","block_end":"1999"}';
      node.version++;
    });
    expect(await new ZkProducerIdBlocks(zk).claimBlock(1)).toEqual({ brokerId: 1, firstProducerId: 2000n, lastProducerId: 2999n });
    expect(calls).toEqual(['get', 'set@0', 'get', 'set@1']);
  });

  it('creates the znode when it is missing', async () => {
    const { zk, node } = fakeZk(null, false);
    expect(await new ZkProducerIdBlocks(zk).claimBlock(4)).toMatchObject({ firstProducerId: 0n });
    expect(node.exists).toBe(true);
  });
});
