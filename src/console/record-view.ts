// How the console shows a fetched record: key, value and header values as strings in the decoding
// the user picked (text, pretty JSON, hex, base64; null stays null), with the timestamp type, the
// batch's compression and the sizes, as GET /api/topics/:name/messages and the live tail send them.

import type { ConsumerRecord } from '../client/fetched-records';
import { badRequest } from './api-error';

export const DECODINGS = ['text', 'json', 'hex', 'base64'] as const;
export type Decoding = (typeof DECODINGS)[number];

export interface RecordView {
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: string;
  key: string | null;
  value: string | null;
  headers: { key: string; value: string | null }[];
  compression: string;
  keySize: number;
  valueSize: number;
}

const COMPRESSIONS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export function parseDecoding(text: string | null): Decoding {
  if (text === null || text === '') return 'text';
  if (!(DECODINGS as readonly string[]).includes(text)) throw badRequest(`Unknown decode ${text}: use one of ${DECODINGS.join(', ')}`);
  return text as Decoding;
}

export function decodeBytes(bytes: Buffer | null, decoding: Decoding): string | null {
  if (bytes === null) return null;
  switch (decoding) {
    case 'hex':
      return bytes.toString('hex');
    case 'base64':
      return bytes.toString('base64');
    case 'json': {
      const text = bytes.toString('utf8');
      try {
        return JSON.stringify(JSON.parse(text), null, 2);
      } catch {
        return text;
      }
    }
    default:
      return bytes.toString('utf8');
  }
}

export function recordView(r: ConsumerRecord, compression: string, decoding: Decoding): RecordView {
  return {
    partition: r.partition,
    offset: r.offset,
    timestamp: r.timestamp,
    timestampType: r.timestampType,
    key: decodeBytes(r.key, decoding),
    value: decodeBytes(r.value, decoding),
    headers: r.headers.map((h) => ({ key: h.key, value: decodeBytes(h.value, decoding) })),
    compression,
    keySize: r.key?.length ?? -1,
    valueSize: r.value?.length ?? -1,
  };
}

/** The compression codec of the batch holding each offset of a fetched record set, by walking the batch headers. */
export function compressionLookup(data: Buffer): (offset: number) => string {
  const ranges: { last: number; codec: string }[] = [];
  let pos = 0;
  while (pos + 17 <= data.length) {
    const size = 12 + data.readInt32BE(pos + 8);
    if (pos + size > data.length) break;
    const magic = data.readInt8(pos + 16);
    const base = Number(data.readBigInt64BE(pos));
    if (magic >= 2 && pos + 27 <= data.length) {
      ranges.push({ last: base + data.readInt32BE(pos + 23), codec: COMPRESSIONS[data.readInt16BE(pos + 21) & 7] ?? 'unknown' });
    } else {
      ranges.push({ last: base, codec: COMPRESSIONS[data.readInt8(pos + 17) & 7] ?? 'unknown' });
    }
    pos += size;
  }
  return (offset) => ranges.find((r) => offset <= r.last)?.codec ?? 'none';
}
