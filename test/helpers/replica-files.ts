// Comparing the files of a partition's replicas byte for byte, wherever each replica's dir is.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './wait';

/** The contents of a partition dir's files with these suffixes, by file name. */
export function partitionFiles(dir: string, suffixes: string[]): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(dir).sort()) {
    if (suffixes.some((s) => name.endsWith(s))) files.set(name, readFileSync(join(dir, name)));
  }
  return files;
}

export function sameFiles(a: Map<string, Buffer>, b: Map<string, Buffer>): boolean {
  return a.size === b.size && [...a].every(([name, bytes]) => b.get(name)?.equals(bytes) === true);
}

/** Waits until every replica's partition dir (`dirOf` each id) holds the first one's files byte for byte; answers them. */
export async function identicalReplicaFiles(dirOf: (id: number) => string, replicas: number[], what: string, suffixes = ['.log']): Promise<Map<string, Buffer>> {
  let files = new Map<string, Buffer>();
  await waitFor(() => {
    const all = replicas.map((id) => partitionFiles(dirOf(id), suffixes));
    files = all[0];
    return all.every((f) => sameFiles(f, files));
  }, `the replicas of ${what} to hold identical files`);
  return files;
}
