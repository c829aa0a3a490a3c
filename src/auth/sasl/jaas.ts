// Kafka's JAAS configuration property (JaasConfig): `<LoginModule class> <flag> (key=value)*;`,
// one entry or several, tokenized as Java's StreamTokenizer is set up there: bytes up to ' ' are
// whitespace, ';' and '=' stand alone, '"' and '\'' quote (with Java's escapes), '/' starts a comment
// ('//' and '/* */' too), anything else is part of a word. And the broker's lookup of the one entry
// a listener's mechanism uses (JaasContext.loadServerContext).

export type ControlFlag = 'REQUIRED' | 'REQUISITE' | 'SUFFICIENT' | 'OPTIONAL';

export interface JaasEntry {
  loginModule: string;
  controlFlag: ControlFlag;
  options: ReadonlyMap<string, string>;
}

/** A malformed JAAS config, with Kafka's message. */
export class JaasConfigError extends Error {}

/** Kafka's JaasContext: login modules no broker may load. */
const DISALLOWED_LOGIN_MODULES = new Set(['com.sun.security.auth.module.JndiLoginModule']);

const EOF = -1;
const WORD = -3;

interface Token {
  /** WORD, EOF, a quote character for a quoted string, or the char code of an ordinary character. */
  type: number;
  /** The text of a word or quoted string; null for ordinary characters. */
  text: string | null;
}

/** StreamTokenizer with JaasConfig's syntax table. */
class Tokenizer {
  private pos = 0;

  constructor(private readonly s: string) {}

  next(): Token {
    const s = this.s;
    for (;;) {
      if (this.pos >= s.length) return { type: EOF, text: null };
      const c = s.charCodeAt(this.pos);
      if (c <= 32) {
        this.pos++;
        continue;
      }
      if (c === 0x2f) {
        // '/': '//' and '/* */' comments, and a lone '/' comments out the rest of its line.
        if (s[this.pos + 1] === '*') {
          const end = s.indexOf('*/', this.pos + 2);
          this.pos = end < 0 ? s.length : end + 2;
        } else {
          while (this.pos < s.length && s[this.pos] !== '\n' && s[this.pos] !== '\r') this.pos++;
        }
        continue;
      }
      if (c === 0x22 || c === 0x27) return this.quoted(c);
      if (isWordChar(c)) {
        const start = this.pos;
        while (this.pos < s.length && isWordChar(s.charCodeAt(this.pos))) this.pos++;
        return { type: WORD, text: s.slice(start, this.pos) };
      }
      this.pos++;
      return { type: c, text: null };
    }
  }

  /** A quoted string ends at its closing quote, a line end or the end of input; escapes as in Java. */
  private quoted(quote: number): Token {
    const s = this.s;
    let out = '';
    this.pos++;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === quote) {
        this.pos++;
        break;
      }
      if (c === 0x0a || c === 0x0d) break;
      this.pos++;
      if (c !== 0x5c || this.pos >= s.length) {
        out += String.fromCharCode(c);
        continue;
      }
      const e = s[this.pos++];
      const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
      if (e in simple) out += simple[e];
      else if (e >= '0' && e <= '7') {
        // Up to three octal digits, the first at most '3' for three.
        let digits = e;
        const max = e <= '3' ? 3 : 2;
        while (digits.length < max && s[this.pos] >= '0' && s[this.pos] <= '7') digits += s[this.pos++];
        out += String.fromCharCode(parseInt(digits, 8));
      } else out += e;
    }
    return { type: quote, text: out };
  }
}

function isWordChar(c: number): boolean {
  if (c === 0x3b || c === 0x3d || c === 0x2f || c === 0x22 || c === 0x27) return false;
  return (c > 32 && c <= 128) || c >= 160;
}

const FLAGS: readonly ControlFlag[] = ['REQUIRED', 'REQUISITE', 'SUFFICIENT', 'OPTIONAL'];

/** Parses a JAAS config property; throws JaasConfigError with Kafka's message. */
export function parseJaasConfig(text: string): JaasEntry[] {
  const t = new Tokenizer(text);
  const entries: JaasEntry[] = [];
  for (let tok = t.next(); tok.type !== EOF; tok = t.next()) entries.push(parseEntry(t, tok));
  if (entries.length === 0) throw new JaasConfigError('Login module not specified in JAAS config');
  return entries;
}

function parseEntry(t: Tokenizer, first: Token): JaasEntry {
  const loginModule = first.text;
  const flagToken = t.next();
  if (flagToken.type === EOF) throw new JaasConfigError('Login module control flag not specified in JAAS config');
  if (!loginModule) throw new JaasConfigError('Login module not specified in JAAS config');
  if (flagToken.text === null) throw new JaasConfigError('Login module control flag is not available in the JAAS config');
  const controlFlag = flagToken.text.toUpperCase() as ControlFlag;
  if (!FLAGS.includes(controlFlag)) throw new JaasConfigError(`Invalid login module control flag '${flagToken.text}' in JAAS config`);
  const options = new Map<string, string>();
  let tok = t.next();
  while (tok.type !== EOF && tok.type !== 0x3b) {
    const key = tok.text;
    const eq = t.next();
    const value = eq.type === 0x3d ? t.next() : eq;
    if (eq.type !== 0x3d || value.type === EOF || value.text === null) throw new JaasConfigError(`Value not specified for key '${key}' in JAAS config`);
    options.set(key ?? 'null', value.text);
    tok = t.next();
  }
  if (tok.type !== 0x3b) throw new JaasConfigError('JAAS config entry not terminated by semi-colon');
  return { loginModule, controlFlag, options };
}

/** A broker config error that names the key (never the value: it holds passwords). */
export class SaslConfigError extends Error {}

/**
 * JaasContext.loadServerContext: the mechanism's entry comes from
 * `listener.name.<listener>.<mechanism>.sasl.jaas.config`, with exactly one login module. Kafka's
 * other source, a JAAS file named by a JVM system property, does not exist here; so without the
 * property the broker refuses to start, with Kafka's message for a missing KafkaServer context. An
 * unprefixed `sasl.jaas.config` is ignored with Kafka's warning.
 */
export function serverJaasEntry(props: ReadonlyMap<string, string>, listenerName: string, mechanism: string, warn: (line: string) => void): JaasEntry {
  const listener = listenerName.toLowerCase();
  const key = `listener.name.${listener}.${mechanism.toLowerCase()}.sasl.jaas.config`;
  const text = props.get(key);
  if (text === undefined) {
    if (props.has(`listener.name.${listener}.sasl.jaas.config`) || props.has('sasl.jaas.config')) {
      warn('Server config sasl.jaas.config should be prefixed with SASL mechanism name, ignoring config');
    }
    throw new SaslConfigError(
      `Could not find a 'KafkaServer' or '${listener}.KafkaServer' entry in the JAAS configuration for SASL mechanism ${mechanism} on listener ${listenerName}: set ${key}`,
    );
  }
  let entries: JaasEntry[];
  try {
    entries = parseJaasConfig(text);
  } catch (err) {
    if (err instanceof JaasConfigError) throw new SaslConfigError(`Invalid value for configuration ${key}: ${err.message}`);
    throw err;
  }
  if (entries.length !== 1) throw new SaslConfigError(`Invalid value for configuration ${key}: JAAS config property contains ${entries.length} login modules, should be 1 module`);
  const module = entries[0].loginModule;
  if (DISALLOWED_LOGIN_MODULES.has(module)) {
    throw new SaslConfigError(`Invalid value for configuration ${key}: ${module} is not allowed. Update System property 'org.apache.kafka.disallowed.login.modules' to allow ${module}`);
  }
  return entries[0];
}
