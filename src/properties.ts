// java.util.Properties text: the parser Properties.load follows, and the output of Properties.store.

export class PropertiesSyntaxError extends Error {}


const isBlank = (c: string): boolean => c === ' ' || c === '\t' || c === '\f';

function skipBlanks(line: string, from = 0): number {
  while (from < line.length && isBlank(line[from])) from++;
  return from;
}

function endsInContinuation(line: string): boolean {
  let backslashes = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** Java's loadConvert: \t \n \r \f, \uXXXX, and any other escaped character stands for itself. */
function unescape(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\' || i + 1 === text.length) {
      out += c;
      continue;
    }
    const e = text[++i];
    if (e === 'u') {
      const hex = text.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new PropertiesSyntaxError(`Malformed \\uxxxx encoding in: ${text}`);
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      out += { t: '\t', n: '\n', r: '\r', f: '\f' }[e] ?? e;
    }
  }
  return out;
}

/** Splits a logical line as Java's Properties.load does: the key ends at an unescaped '=', ':' or blank. */
function splitKeyValue(line: string): [string, string] {
  let keyEnd = 0;
  let valueStart = line.length;
  let hasSeparator = false;
  let escaped = false;
  for (; keyEnd < line.length; keyEnd++) {
    const c = line[keyEnd];
    if (!escaped && (c === '=' || c === ':')) {
      valueStart = keyEnd + 1;
      hasSeparator = true;
      break;
    }
    if (!escaped && isBlank(c)) {
      valueStart = keyEnd + 1;
      break;
    }
    escaped = c === '\\' ? !escaped : false;
  }
  for (; valueStart < line.length; valueStart++) {
    const c = line[valueStart];
    if (isBlank(c)) continue;
    if (hasSeparator || (c !== '=' && c !== ':')) break;
    hasSeparator = true;
  }
  return [unescape(line.slice(0, keyEnd)), unescape(line.slice(valueStart))];
}

/** Parses Java Properties text; later duplicates win, as in java.util.Properties. */
export function parseProperties(text: string): Map<string, string> {
  const props = new Map<string, string>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i].slice(skipBlanks(lines[i]));
    // A comment line never continues, even when it ends in a backslash.
    if (line === '' || line[0] === '#' || line[0] === '!') continue;
    while (endsInContinuation(line)) {
      line = line.slice(0, -1);
      if (++i === lines.length) break;
      line += lines[i].slice(skipBlanks(lines[i]));
    }
    const [key, value] = splitKeyValue(line);
    props.set(key, value);
  }
  return props;
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
