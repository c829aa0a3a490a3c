// The command line of a tool, as Kafka's tools read theirs with jopt-simple: long options only
// (`--bootstrap-server host:port` or `--bootstrap-server=host:port`), options that may repeat
// (`--config a=b --config c=d`), usage on `--help` and on a usage error in jopt-simple's two-column
// layout (options sorted, 80 columns, continuation lines indented by two), and Kafka's messages:
// `Missing required argument "[bootstrap-server]"`, `x is not a recognized option`.
// Parsing is commander's; only the help layout and Kafka's wording are ours.

import { Command, CommanderError, Option } from 'commander';

export interface OptionSpec {
  /** Without the dashes: "bootstrap-server", "producer.config". */
  name: string;
  description: string;
  /** The argument as jopt-simple shows it ("String: server to connect to"); none for a flag. */
  arg?: string;
  /** The argument may be left out (jopt-simple's optional argument). */
  optionalArg?: boolean;
  /** Shown as " (default: X)" and returned when the option is absent. */
  defaultValue?: string;
  /** Given several times, every value is kept. */
  repeatable?: boolean;
}

/** A usage error: the message, then the usage, on stderr, exit code 1. */
export class UsageError extends Error {}

/** A failure to report as one line on stderr, exit code 1. */
export class ToolError extends Error {}

export class ParsedOptions {
  constructor(
    private readonly values: ReadonlyMap<string, string[]>,
    private readonly specs: ReadonlyMap<string, OptionSpec>,
  ) {}

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The option's (last) value, its default, or undefined. */
  value(name: string): string | undefined {
    const v = this.values.get(name);
    return v !== undefined && v.length > 0 ? v[v.length - 1] : this.specs.get(name)?.defaultValue;
  }

  /** Every value given, in order. */
  all(name: string): string[] {
    return this.values.get(name) ?? [];
  }

  /** The value as an integer; a malformed one is a usage error naming the option. */
  int(name: string): number | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v.trim())) throw new UsageError(`Cannot parse argument '${v}' of option ${name}`);
    return Number(v);
  }

  /** The value, or a usage error naming it when absent. */
  required(name: string): string {
    const v = this.value(name);
    if (v === undefined) throw new UsageError(`Missing required argument "[${name}]"`);
    return v;
  }
}

export class ToolCommand {
  readonly specs: ReadonlyMap<string, OptionSpec>;

  constructor(
    /** The first line of the usage, as the Kafka tool prints it. */
    readonly summary: string,
    options: readonly OptionSpec[],
  ) {
    const all = [...options];
    if (!all.some((o) => o.name === 'help')) all.push({ name: 'help', description: 'Print usage information.' });
    if (!all.some((o) => o.name === 'version')) all.push({ name: 'version', description: 'Display Kafka version.' });
    this.specs = new Map(all.map((o) => [o.name, o]));
  }

  /** Parses the arguments; throws UsageError as jopt-simple would refuse them. */
  parse(argv: readonly string[]): ParsedOptions {
    const program = new Command()
      .helpOption(false)
      .allowExcessArguments(false)
      .exitOverride()
      .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
    const values = new Map<string, string[]>();
    for (const spec of this.specs.values()) {
      const flags = spec.arg === undefined ? `--${spec.name}` : spec.optionalArg ? `--${spec.name} [value]` : `--${spec.name} <value>`;
      const option = new Option(flags);
      program.addOption(option);
      program.on(`option:${spec.name}`, (value: string | boolean | undefined) => {
        const list = values.get(spec.name) ?? [];
        if (typeof value === 'string') list.push(value);
        values.set(spec.name, list);
      });
    }
    try {
      program.parse([...argv], { from: 'user' });
    } catch (err) {
      if (err instanceof CommanderError) throw new UsageError(kafkaWording(err.message));
      throw err;
    }
    for (const [name, list] of values) {
      const spec = this.specs.get(name)!;
      if (!spec.repeatable && list.length > 1) throw new UsageError(`Option(s) [${name}] are unavailable given other options on the command line`);
    }
    return new ParsedOptions(values, this.specs);
  }

  /** The usage: the summary, then jopt-simple's table of options. */
  usage(): string {
    const rows: [string, string][] = [...this.specs.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((o) => {
        const arg = o.arg === undefined ? '' : o.optionalArg ? ` [${o.arg}]` : ` <${o.arg}>`;
        const dflt = o.defaultValue !== undefined ? ` (default: ${o.defaultValue})` : '';
        return [`--${o.name}${arg}`, `${o.description}${dflt}`];
      });
    const lines = [this.summary, ...twoColumns([['Option', 'Description'], ['------', '-----------'], ...rows])];
    return `${lines.join('\n')}\n`;
  }
}

const COLUMN = 39;
const SEPARATOR = '  ';

/** jopt-simple's BuiltinHelpFormatter at 80 columns: two columns of 39, wrapped on words, continuations indented by two. */
function twoColumns(rows: readonly [string, string][]): string[] {
  const out: string[] = [];
  for (const [left, right] of rows) {
    const l = wrap(left);
    const r = wrap(right);
    for (let i = 0; i < Math.max(l.length, r.length); i++) out.push(`${(l[i] ?? '').padEnd(COLUMN)}${SEPARATOR}${(r[i] ?? '').padEnd(COLUMN)}`.trimEnd());
  }
  return out;
}

function wrap(text: string): string[] {
  const lines: string[] = [];
  const push = (line: string) => lines.push(lines.length === 0 ? line : `  ${line}`);
  // Line breaks in a description start new lines and tabs stay, as jopt-simple keeps them (Kafka lists config names that way).
  const separator = text.includes('\n') ? / +/ : /\s+/;
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(separator).filter((w) => w !== '')) {
      const width = lines.length === 0 ? COLUMN : COLUMN - 2;
      if (line !== '' && line.length + 1 + word.length > width) {
        push(line);
        line = word;
      } else {
        line = line === '' ? word : `${line} ${word}`;
      }
    }
    if (line !== '' || lines.length === 0) push(line);
  }
  return lines;
}

/** Commander's messages in jopt-simple's words. */
function kafkaWording(message: string): string {
  const unknown = /unknown option '--?([^']+)'/.exec(message);
  if (unknown) return `${unknown[1]} is not a recognized option`;
  const missing = /option '--([^ ']+)[^']*' argument missing/.exec(message);
  if (missing) return `Option ${missing[1]} requires an argument`;
  const excess = /too many arguments/.exec(message);
  if (excess) return 'Found non-option arguments on the command line';
  return message.replace(/^error: /, '');
}

/**
 * Runs a tool's main: no arguments print the usage on stderr (exit 1); `--help` prints the usage on stdout (exit 0); a UsageError prints its
 * message and the usage on stderr (exit 1); any other failure one line on stderr (exit 1).
 */
export async function runTool(command: ToolCommand, main: (options: ParsedOptions) => Promise<number | void>, argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  let code: number;
  try {
    if (argv.length === 0) {
      process.stderr.write(command.usage());
      process.exitCode = 1;
      return;
    }
    const options = command.parse(argv);
    if (options.has('help')) {
      process.stdout.write(command.usage());
      code = 0;
    } else if (options.has('version')) {
      process.stdout.write('3.9.0 (kafka-ts)\n');
      code = 0;
    } else {
      code = (await main(options)) ?? 0;
    }
  } catch (err) {
    if (err instanceof UsageError) process.stderr.write(`${err.message}\n${command.usage()}`);
    else process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
    code = 1;
  }
  process.exitCode = code;
}
