// The command line of kafka-transactions.sh, which Kafka parses with argparse4j rather than jopt-simple:
// global options, then a sub-command with its own options. Errors print the (sub)parser's usage and
// "kafka-transactions.sh: error: <message>" on stderr, exit code 1; -h prints the help on stdout.

export const PROG = 'kafka-transactions.sh';

export interface ArgSpec {
  /** "--topic"; a flag has no metavar. */
  name: string;
  alias?: string;
  help: string;
  metavar?: string;
  type?: 'string' | 'int' | 'long';
  required?: boolean;
  defaultValue?: string;
}

export interface SubcommandSpec {
  name: string;
  help: string;
  description?: string;
  args: ArgSpec[];
  /** Extra help sections (argparse4j argument groups): title, description, the names of their arguments. */
  groups?: { title: string; description: string; args: string[] }[];
}

const TYPE_NAMES = { string: 'String', int: 'Integer', long: 'Long' };
const INT_RANGE: Record<string, [bigint, bigint]> = { int: [-(2n ** 31n), 2n ** 31n - 1n], long: [-(2n ** 63n), 2n ** 63n - 1n] };

/** A usage error, printed with the usage of the parser (sub-command or main) it occurred in. */
export class ArgumentError extends Error {
  constructor(
    message: string,
    readonly subcommand: SubcommandSpec | null,
  ) {
    super(message);
  }
}

/** -h / --help: print the help of the parser it was given to. */
export class HelpRequested extends Error {
  constructor(readonly subcommand: SubcommandSpec | null) {
    super('help');
  }
}

/** -v / --version. */
export class VersionRequested extends Error {}

export interface ParsedArgs {
  command: string;
  values: Map<string, string>;
}

// argparse4j's default format width, and the column where argument help starts.
const WIDTH = 80;
const HELP_COLUMN = 25;

/** Words filled into lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ').filter((w) => w !== '')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

const HELP_ARG: ArgSpec = { name: '--help', alias: '-h', help: 'show this help message and exit' };

function metavarOf(a: ArgSpec): string {
  return a.metavar ?? a.name.replace(/^--/, '').replace(/-/g, '_').toUpperCase();
}

function checkType(spec: ArgSpec, value: string, sub: SubcommandSpec | null): void {
  if (spec.type === undefined || spec.type === 'string') return;
  const ok = /^[-+]?\d+$/.test(value) && BigInt(value) >= INT_RANGE[spec.type][0] && BigInt(value) <= INT_RANGE[spec.type][1];
  if (!ok) throw new ArgumentError(`argument ${spec.name}: could not convert '${value}' to ${TYPE_NAMES[spec.type]}`, sub);
}

/** Reads `--name value` / `--name=value` options from argv[from..] until a non-option or the end. */
function readOptions(argv: readonly string[], from: number, specs: readonly ArgSpec[], sub: SubcommandSpec | null, values: Map<string, string>, stopAtPositional: boolean): number {
  let i = from;
  while (i < argv.length) {
    const arg = argv[i];
    if (!arg.startsWith('-')) {
      if (stopAtPositional) return i;
      throw new ArgumentError(`unrecognized arguments: '${argv.slice(i).join(' ')}'`, sub);
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = specs.find((s) => s.name === name || s.alias === name);
    if (spec === undefined) throw new ArgumentError(`unrecognized arguments: '${argv.slice(i).join(' ')}'`, sub);
    if (spec === HELP_ARG) throw new HelpRequested(sub);
    if (spec.name === '--version') throw new VersionRequested();
    let value: string;
    if (eq > 0) {
      value = arg.slice(eq + 1);
      i += 1;
    } else {
      if (i + 1 >= argv.length || (argv[i + 1].startsWith('-') && !/^-\d/.test(argv[i + 1]))) throw new ArgumentError(`argument ${spec.name}: expected one argument`, sub);
      value = argv[i + 1];
      i += 2;
    }
    checkType(spec, value, sub);
    values.set(spec.name, value);
  }
  return i;
}

function checkRequired(specs: readonly ArgSpec[], values: Map<string, string>, sub: SubcommandSpec | null): void {
  for (const s of specs) if (s.required && !values.has(s.name)) throw new ArgumentError(`argument ${s.name} is required`, sub);
}

export class ArgumentParser {
  constructor(
    readonly description: string,
    readonly globals: ArgSpec[],
    readonly subcommands: SubcommandSpec[],
  ) {}

  parse(argv: readonly string[]): ParsedArgs {
    const values = new Map<string, string>();
    const globals = [HELP_ARG, ...this.globals];
    const at = readOptions(argv, 0, globals, null, values, true);
    if (at >= argv.length) {
      checkRequired(this.globals, values, null);
      throw new ArgumentError('too few arguments', null);
    }
    const sub = this.subcommands.find((s) => s.name === argv[at]);
    if (sub === undefined) {
      const choices = this.subcommands.map((s) => `'${s.name}'`).join(', ');
      throw new ArgumentError(`argument COMMAND: invalid choice: '${argv[at]}' (choose from ${choices})`, null);
    }
    readOptions(argv, at + 1, [HELP_ARG, ...sub.args], sub, values, false);
    checkRequired(sub.args, values, sub);
    checkRequired(this.globals, values, null);
    for (const a of sub.args) if (a.defaultValue !== undefined && !values.has(a.name)) values.set(a.name, a.defaultValue);
    return { command: sub.name, values };
  }

  /** argparse's usage: optional arguments in brackets, required ones bare, wrapped under the program name. */
  usage(sub: SubcommandSpec | null): string {
    const part = (a: ArgSpec) => {
      const text = a.metavar === undefined && a.type === undefined ? (a.alias ?? a.name) : `${a.alias ?? a.name} ${metavarOf(a)}`;
      return a.required ? text : `[${text}]`;
    };
    const prog = sub === null ? PROG : [PROG, ...this.globals.filter((a) => a.required).map(part), sub.name].join(' ');
    const parts = sub === null ? [...[HELP_ARG, ...this.globals].map(part), 'COMMAND ...'] : [HELP_ARG, ...sub.args].map(part);
    // Arguments line up after the program, or under it when the program takes most of the line.
    const long = `usage: ${prog} `.length > WIDTH * 0.75;
    const indent = ' '.repeat(long ? 'usage: '.length : `usage: ${prog} `.length);
    const lines = long ? [`usage: ${prog}`, indent.slice(0, -1)] : [`usage: ${prog}`];
    for (const p of parts) {
      const last = lines.length - 1;
      const fresh = lines[last].trim() === '' || lines[last] === `usage: ${prog}`;
      if (!fresh && lines[last].length + 1 + p.length > WIDTH) lines.push(`${indent}${p}`);
      else lines[last] += ` ${p}`;
    }
    return `${lines.join('\n')}\n`;
  }

  help(sub: SubcommandSpec | null): string {
    const row = (a: ArgSpec) => {
      const left = a.metavar === undefined && a.type === undefined ? [a.alias, a.name].filter(Boolean).join(', ') : `${a.alias ? `${a.alias} ${metavarOf(a)}, ` : ''}${a.name} ${metavarOf(a)}`;
      const help = wrap(a.help, WIDTH - HELP_COLUMN).map((l) => `${' '.repeat(HELP_COLUMN)}${l}`);
      if (left.length <= HELP_COLUMN - 4) help[0] = `  ${left.padEnd(HELP_COLUMN - 3)} ${help[0].trimStart()}`;
      else help.unshift(`  ${left}`);
      return help.join('\n');
    };
    const lines = [this.usage(sub).trimEnd(), ''];
    if (sub === null) {
      lines.push(...wrap(this.description, WIDTH), '', 'optional arguments:', ...[HELP_ARG, ...this.globals].map(row), '', 'commands:', '  COMMAND');
      for (const s of this.subcommands) lines.push(`    ${s.name.padEnd(HELP_COLUMN - 5)} ${s.help}`);
    } else {
      if (sub.description !== undefined) lines.push(...wrap(sub.description, WIDTH), '');
      const grouped = new Set((sub.groups ?? []).flatMap((g) => g.args));
      lines.push('optional arguments:', ...[HELP_ARG, ...sub.args.filter((a) => !grouped.has(a.name))].map(row));
      for (const g of sub.groups ?? []) {
        lines.push('', `${g.title}:`, ...wrap(g.description, WIDTH - 2).map((l) => `  ${l}`), '', ...sub.args.filter((a) => g.args.includes(a.name)).map(row));
      }
    }
    return `${lines.join('\n')}\n`;
  }
}
