// `meta.properties` of a log dir, in java.util.Properties#store text (ZooKeeper-mode v0: version, broker.id, cluster.id).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomicSync } from './atomic-file';
import { META_PROPERTIES } from './file-names';
import { formatProperties, parseProperties } from '../properties';

export interface MetaProperties {
  version: number;
  brokerId?: number;
  clusterId?: string;
  /** Every key as read, including ones this broker does not interpret (node.id, directory.id, …). */
  raw: Record<string, string>;
}

/** The dir's meta.properties, or null if it has none. */
export function readMetaProperties(logDir: string): MetaProperties | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(logDir, META_PROPERTIES), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  const raw = Object.fromEntries(parseProperties(text));
  const version = Number(raw['version'] ?? NaN);
  if (!Number.isInteger(version)) throw new Error(`${path.join(logDir, META_PROPERTIES)}: missing or bad version`);
  const brokerId = raw['broker.id'] !== undefined ? Number(raw['broker.id']) : undefined;
  return {
    version,
    brokerId: brokerId !== undefined && Number.isInteger(brokerId) ? brokerId : undefined,
    clusterId: raw['cluster.id'],
    raw,
  };
}

/** Writes a v0 meta.properties atomically. */
export function writeMetaProperties(
  logDir: string,
  props: { brokerId: number; clusterId: string },
  date: Date = new Date(),
): void {
  const text = formatProperties(
    [
      ['version', '0'],
      ['broker.id', String(props.brokerId)],
      ['cluster.id', props.clusterId],
    ],
    date,
  );
  writeFileAtomicSync(path.join(logDir, META_PROPERTIES), text);
}
