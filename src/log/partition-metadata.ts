// `partition.metadata`: the topic id of a partition directory, `version: 0\ntopic_id: <base64>` with no final newline.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomicSync } from './atomic-file';
import { PARTITION_METADATA } from './file-names';

export function formatPartitionMetadata(topicId: string): string {
  return `version: 0\ntopic_id: ${topicId}`;
}

export function writePartitionMetadata(dir: string, topicId: string): void {
  writeFileAtomicSync(path.join(dir, PARTITION_METADATA), formatPartitionMetadata(topicId));
}

/** The topic id, or undefined if the file is missing or unreadable (Kafka then rewrites it). */
export function readPartitionMetadata(dir: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, PARTITION_METADATA), 'utf8');
  } catch {
    return undefined;
  }
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [key, value] = line.split(/:\s+/, 2);
    if (value !== undefined) fields.set(key.trim(), value.trim());
  }
  if (fields.get('version') !== '0') return undefined;
  const id = fields.get('topic_id');
  return id && /^[A-Za-z0-9_-]{22}$/.test(id) ? id : undefined;
}
