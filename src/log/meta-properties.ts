// `meta.properties` of a log dir, in java.util.Properties#store text (ZooKeeper-mode v0: version, broker.id, cluster.id).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomicSync } from './atomic-file';
import { META_PROPERTIES } from './file-names';

export interface MetaProperties {
  version: number;
  brokerId?: number;
  clusterId?: string;
  /** Every key as read, including ones this broker does not interpret (node.id, directory.id, …). */
  raw: Record<string, string>;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** java.util.Date#toString in UTC, the timestamp comment Properties#store writes. */
export function javaDateString(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`
  );
}

function escapeProperty(s: string, isKey: boolean): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === ' ' && (isKey || i === 0)) out += '\\ ';
    else if (c === '\\' || c === '=' || c === ':' || c === '#' || c === '!') out += '\\' + c;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === '\f') out += '\\f';
    else if (c < ' ' || c > '~') out += '\\u' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    else out += c;
  }
  return out;
}

/** Properties#store output: an empty `#` comment, the date comment, then `key=value` lines. */
export function formatProperties(entries: readonly [string, string][], date: Date): string {
  let out = `#\n#${javaDateString(date)}\n`;
  for (const [k, v] of entries) out += `${escapeProperty(k, true)}=${escapeProperty(v, false)}\n`;
  return out;
}

function unescapeProperty(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    return e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e === 'f' ? '\f' : e;
  });
}

/** Parses Properties text: `#`/`!` comments, `=`, `:` or whitespace separators, backslash continuations. */
export function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const physical = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < physical.length; i++) {
    let line = physical[i].replace(/^[ \t\f]+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < physical.length) {
      line = line.slice(0, -1) + physical[++i].replace(/^[ \t\f]+/, '');
    }
    const m = /^((?:\\.|[^=:\s\\])*)[ \t\f]*[=:]?[ \t\f]*(.*)$/.exec(line);
    if (!m) continue;
    out[unescapeProperty(m[1])] = unescapeProperty(m[2]);
  }
  return out;
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
  const raw = parseProperties(text);
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
