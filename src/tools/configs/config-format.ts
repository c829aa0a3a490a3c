// How kafka-configs.sh prints: config entries with their synonyms, quota values as Java prints a
// double, and the parsing of --add-config ("k=v,k2=[a,b]") as Kafka splits it.

import { UsageError } from '../command-line';

/** ConfigEntry.ConfigSource names by DescribeConfigs code. */
export const CONFIG_SOURCES = [
  'UNKNOWN',
  'DYNAMIC_TOPIC_CONFIG',
  'DYNAMIC_BROKER_CONFIG',
  'DYNAMIC_DEFAULT_BROKER_CONFIG',
  'STATIC_BROKER_CONFIG',
  'DEFAULT_CONFIG',
  'DYNAMIC_BROKER_LOGGER_CONFIG',
  'CLIENT_METRICS_CONFIG',
  'GROUP_CONFIG',
];

export interface ConfigEntryView {
  name: string;
  value: string | null;
  isSensitive: boolean;
  synonyms: { name: string; value: string | null; source: number }[];
}

/** "  name=value sensitive=false synonyms={SOURCE:name=value, ...}". */
export function formatConfigEntry(e: ConfigEntryView): string {
  const synonyms = e.synonyms.map((s) => `${CONFIG_SOURCES[s.source] ?? 'UNKNOWN'}:${s.name}=${s.value}`).join(', ');
  return `  ${e.name}=${e.value} sensitive=${e.isSensitive} synonyms={${synonyms}}`;
}

/** Java's Double.toString: "1024.0", "0.5", "1.0E7", "1.5E-4". */
export function javaDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(v);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(v);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = v.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/**
 * --add-config's text into key/value pairs: split on commas outside brackets, then on the first '='
 * outside brackets; brackets are dropped from values. A malformed pair is Kafka's error.
 */
export function parseAddConfig(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of splitOutsideBrackets(text, ',')) {
    const kv = splitOutsideBrackets(pair, '=');
    if (kv.length !== 2) {
      throw new UsageError('Invalid entity config: all configs to be added must be in the format "key=val" or  "key=[val1,val2]" to group values which contain commas.');
    }
    out.set(kv[0].trim(), kv[1].replace(/[[\]]/g, '').trim());
  }
  return out;
}

/** Splits on sep where the rest of the text has no unopened ']' (Kafka's lookahead "(?=[^\]]*(?:\[|$))"). */
function splitOutsideBrackets(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '[') depth++;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    if (ch === sep && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

/** Kafka's check on config keys. */
export function validateKeys(keys: Iterable<string>): void {
  for (const key of keys) if (!/^[a-zA-Z0-9._-]*$/.test(key)) throw new UsageError(`Invalid character found for config key: ${key}`);
}
