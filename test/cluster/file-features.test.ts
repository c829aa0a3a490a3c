// A standalone broker's finalized features: created empty at epoch 0, each write one epoch more,
// kept across restarts in the log dir.
import { FileFeatures, STANDALONE_FEATURES_FILE } from '../../src/cluster/file-features';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, removeDir } from '../log/helpers';

test('created at epoch 0, written atomically, read back after a restart', async () => {
  const dir = makeTempDir();
  try {
    const first = new FileFeatures(dir, new Map([['f', { min: 1, max: 2 }]]));
    expect(first.finalized()).toEqual({ epoch: 0n, levels: new Map() });
    const results = await first.updateFeatures([{ feature: 'f', maxVersionLevel: 2, upgradeType: 1 }], false);
    expect([...results.values()][0].errorCode).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, STANDALONE_FEATURES_FILE), 'utf8'))).toEqual({ epoch: 1, features: { f: { max_version_level: 2 } } });
    expect(new FileFeatures(dir).finalized()).toEqual({ epoch: 1n, levels: new Map([['f', 2]]) });
  } finally {
    removeDir(dir);
  }
});
