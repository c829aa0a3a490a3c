// Kafka's SslPrincipalMapper: ssl.principal.mapping.rules turn a client certificate's subject DN
// (RFC 2253) into a short name. Rules are `DEFAULT` (the DN as it is) or
// `RULE:pattern/replacement/[LU]`, comma-separated, tried in order; the first whose pattern matches
// the whole DN wins. Patterns are Java regular expressions, run here as JavaScript ones (the same
// for everything but Java-only syntax); replacements follow Java's Matcher rules ($n, \ escapes).

import { ConfigError } from '../../config';

const RULE_PATTERN = String.raw`(DEFAULT)|RULE:((\\.|[^\\/])*)/((\\.|[^\\/])*)/([LU]?).*?|(.*?)`;
const RULE_SPLITTER = new RegExp(String.raw`\s*(` + RULE_PATTERN + String.raw`)\s*(,\s*|$)`, 'g');
const RULE_PARSER = new RegExp(`^(?:${RULE_PATTERN})`);
const BACK_REFERENCE = /\$(\d+)/g;

/** No rule applies to a DN: the client fails authentication. */
export class NoMatchingRule extends Error {
  override readonly name = 'NoMatchingRule';
}

interface Rule {
  apply(dn: string): string | null;
  toString(): string;
}

const DEFAULT_RULE: Rule = { apply: (dn) => dn, toString: () => 'DEFAULT' };

class PatternRule implements Rule {
  private readonly whole: RegExp;
  private readonly all: RegExp;
  private readonly groupCount: number;

  constructor(
    private readonly pattern: string,
    private readonly replacement: string,
    private readonly toLower: boolean,
    private readonly toUpper: boolean,
  ) {
    this.whole = new RegExp(`^(?:${pattern})$`);
    this.all = new RegExp(pattern, 'g');
    this.groupCount = new RegExp(`${pattern}|`).exec('')!.length - 1;
  }

  apply(dn: string): string | null {
    if (!this.whole.test(dn)) return null;
    const replacement = escapeLiteralBackReferences(this.replacement, this.groupCount);
    const result = dn.replace(this.all, (...args) => javaReplacement(replacement, args.slice(0, this.groupCount + 1) as (string | undefined)[]));
    if (this.toLower) return result.toLowerCase();
    if (this.toUpper) return result.toUpperCase();
    return result;
  }

  toString(): string {
    return `RULE:${this.pattern}/${this.replacement}${this.toLower ? '/L' : this.toUpper ? '/U' : ''}`;
  }
}

/**
 * Kafka (after NiFi) makes a back reference past the last group literal: "$4" with 3 groups stays
 * "$4" ("$12" with 1 group is group 1 then "2"). Indexes are the original string's, as in Kafka.
 */
function escapeLiteralBackReferences(unescaped: string, groupCount: number): string {
  if (groupCount === 0) return unescaped;
  let value = unescaped;
  for (const m of unescaped.matchAll(BACK_REFERENCE)) {
    if (m[1].startsWith('0')) continue;
    let index = Number(m[1]);
    while (index > groupCount && index >= 10) index = Math.floor(index / 10);
    if (index > groupCount) {
      const groupStart = m.index! + 1;
      value = value.slice(0, groupStart - 1) + '\\' + value.slice(groupStart - 1);
    }
  }
  return value;
}

/** Java's Matcher.appendReplacement: `\x` is x, `$n` the longest group number that exists. */
function javaReplacement(replacement: string, groups: (string | undefined)[]): string {
  const groupCount = groups.length - 1;
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i];
    if (c === '\\') {
      if (++i === replacement.length) throw new Error('character to be escaped is missing');
      out += replacement[i];
    } else if (c === '$') {
      const first = replacement.charCodeAt(++i) - 48;
      if (!(first >= 0 && first <= 9)) throw new Error('Illegal group reference');
      let ref = first;
      while (i + 1 < replacement.length) {
        const d = replacement.charCodeAt(i + 1) - 48;
        if (!(d >= 0 && d <= 9) || ref * 10 + d > groupCount) break;
        ref = ref * 10 + d;
        i++;
      }
      if (ref > groupCount) throw new Error(`No group ${ref}`);
      out += groups[ref] ?? '';
    } else {
      out += c;
    }
  }
  return out;
}

function splitRules(rules: string): string[] {
  return [...rules.trim().matchAll(RULE_SPLITTER)].map((m) => m[1]);
}

function parseRule(rule: string): Rule | null {
  const m = RULE_PARSER.exec(rule);
  if (!m) throw new Error(`Invalid rule: ${rule}`);
  if (m[0].length !== rule.length) throw new Error(`Invalid rule: \`${rule}\`, unmatched substring: \`${rule.slice(m[0].length)}\``);
  if (m[1] !== undefined) return DEFAULT_RULE;
  if (m[2] !== undefined) return new PatternRule(m[2], m[4], m[6] === 'L', m[6] === 'U');
  // Empty rules are ignored.
  return null;
}

export class SslPrincipalMapper {
  private constructor(private readonly rules: readonly Rule[]) {}

  /** Throws Kafka's "Invalid rule" message for a rule that does not parse. */
  static fromRules(rules: string): SslPrincipalMapper {
    return new SslPrincipalMapper(splitRules(rules).flatMap((r) => parseRule(r) ?? []));
  }

  /** ssl.principal.mapping.rules, checked at startup: a bad rule is a config error naming the key. */
  static fromConfig(rules: string, key: string): SslPrincipalMapper {
    try {
      return SslPrincipalMapper.fromRules(rules);
    } catch (err) {
      throw new ConfigError(`Invalid value ${rules} for configuration ${key}: ${(err as Error).message}`);
    }
  }

  getName(distinguishedName: string): string {
    for (const r of this.rules) {
      const name = r.apply(distinguishedName);
      if (name !== null) return name;
    }
    throw new NoMatchingRule(`No rules apply to ${distinguishedName}, rules ${this.rulesString()}`);
  }

  private rulesString(): string {
    return `[${this.rules.map((r) => r.toString()).join(', ')}]`;
  }

  toString(): string {
    return `SslPrincipalMapper(rules = ${this.rulesString()})`;
  }
}
