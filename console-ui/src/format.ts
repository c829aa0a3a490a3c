// Display formats shared by the pages: sizes, rates, counts and times.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function bytes(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value) || value < 0) return '–';
  let scaled = value;
  let unit = 0;
  while (scaled >= 1024 && unit < UNITS.length - 1) {
    scaled /= 1024;
    unit++;
  }
  return `${unit === 0 ? scaled : scaled.toFixed(scaled < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

export function rate(value: number): string {
  return `${bytes(value)}/s`;
}

export function count(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US');
}

/** Offsets are positions, not quantities: shown as Kafka's tools print them, without digit grouping. */
export function offset(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value) || value < 0) return '–';
  return String(value);
}

export function timestamp(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

export function clock(ms: number): string {
  return new Date(ms).toTimeString().slice(0, 8);
}

/** "a=1\nb=2" lines into pairs; throws with the line number on a line without "=". */
export function parsePairs(text: string, what: string): [string, string][] {
  const pairs: [string, string][] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`${what} line ${index + 1} must look like key=value: "${line}"`);
    pairs.push([line.slice(0, eq).trim(), line.slice(eq + 1)]);
  });
  return pairs;
}

/** A whole number from a text box, or an Error naming the field. */
export function wholeNumber(text: string, field: string, min = Number.MIN_SAFE_INTEGER): number {
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) throw new Error(`${field} must be a whole number, not "${text}".`);
  const value = Number(trimmed);
  if (value < min) throw new Error(`${field} must be at least ${min}.`);
  return value;
}
