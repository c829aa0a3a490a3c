// Numbers and dates as the Java tools print them: String.format's %.Nf (rounding half up from the
// shortest decimal form of the double, as java.util.Formatter does, "NaN" and "Infinity" spelled
// out) and SimpleDateFormat's yyyy-MM-dd HH:mm:ss:SSS in the local time zone.

/** Java's String.format("%.<digits>f", x). */
export function javaFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  const negative = x < 0 || Object.is(x, -0);
  const [intPart, fracPart] = plainDecimal(Math.abs(x));
  let digitsAll = intPart + fracPart.padEnd(digits + 1, '0');
  const keep = intPart.length + digits;
  const roundUp = digitsAll[keep] >= '5';
  digitsAll = digitsAll.slice(0, keep);
  if (roundUp) digitsAll = incrementDecimal(digitsAll);
  const intLength = digitsAll.length - digits;
  const whole = digitsAll.slice(0, intLength).replace(/^0+(?=\d)/, '') || '0';
  const text = digits > 0 ? `${whole}.${digitsAll.slice(intLength)}` : whole;
  return negative ? `-${text}` : text;
}

/** The shortest decimal form of a non-negative finite double as integer and fraction digits. */
function plainDecimal(x: number): [string, string] {
  const s = String(x);
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(s);
  if (!m) throw new Error(`unexpected number form ${s}`);
  const digits = m[1] + (m[2] ?? '');
  const point = m[1].length + Number(m[3] ?? 0);
  if (point <= 0) return ['0', '0'.repeat(-point) + digits];
  if (point >= digits.length) return [digits + '0'.repeat(point - digits.length), ''];
  return [digits.slice(0, point), digits.slice(point)];
}

function incrementDecimal(digits: string): string {
  const chars = digits.split('');
  for (let i = chars.length - 1; i >= 0; i--) {
    if (chars[i] === '9') chars[i] = '0';
    else {
      chars[i] = String(Number(chars[i]) + 1);
      return chars.join('');
    }
  }
  return `1${chars.join('')}`;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export const DEFAULT_DATE_FORMAT = 'yyyy-MM-dd HH:mm:ss:SSS';

/**
 * SimpleDateFormat(pattern).format(ms) in the local time zone, for the numeric fields (y M d H h m s S
 * a) and quoted text; other letters are refused as SimpleDateFormat refuses unknown ones.
 */
export function javaDateTime(ms: number, pattern = DEFAULT_DATE_FORMAT): string {
  const d = new Date(ms);
  return pattern.replace(/'([^']*)'|([A-Za-z])\2*/g, (run: string, quoted: string | undefined, letter: string | undefined) => {
    if (quoted !== undefined) return quoted === '' ? "'" : quoted;
    const n = run.length;
    switch (letter) {
      case 'y':
        return n === 2 ? pad(d.getFullYear() % 100, 2) : pad(d.getFullYear(), n);
      case 'M':
        return pad(d.getMonth() + 1, n);
      case 'd':
        return pad(d.getDate(), n);
      case 'H':
        return pad(d.getHours(), n);
      case 'h':
        return pad(d.getHours() % 12 || 12, n);
      case 'm':
        return pad(d.getMinutes(), n);
      case 's':
        return pad(d.getSeconds(), n);
      case 'S':
        return pad(d.getMilliseconds(), n);
      case 'a':
        return d.getHours() < 12 ? 'AM' : 'PM';
      default:
        throw new Error(`Illegal pattern character '${letter}'`);
    }
  });
}
