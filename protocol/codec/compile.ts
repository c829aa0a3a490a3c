// Compiles a struct's field list, for one version, into straight-line JavaScript functions: one
// object literal per decode and one call per field per encode, with no interpretation of the schema
// while messages flow. Each (api, version) is compiled once, on first use.

import { AnyField, PrimitiveType, VersionRange, inRange } from '../spec';
import { DecodeError, Reader } from './reader';
import { Writer } from './writer';

export type DecodeFn = (r: Reader) => any;
export type EncodeFn = (w: Writer, o: any) => void;

export interface StructCodec {
  decode: DecodeFn;
  encode: EncodeFn;
  /** A struct holding every field's default, for fields absent from a version. */
  defaults: () => any;
}

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';
const EMPTY = Buffer.alloc(0);

/** Smallest wire size of one value, used to bound array counts before allocating. */
function minSize(type: PrimitiveType | readonly AnyField[], array: boolean, flexible: boolean, version: number): number {
  if (array) return flexible ? 1 : 4;
  if (typeof type !== 'string') {
    let n = flexible ? 1 : 0;
    for (const f of type) if (inRange(f.versions, version) && f.tag === undefined) n += minSize(f.type, f.array, flexible, version);
    return n;
  }
  switch (type) {
    case 'bool':
    case 'int8':
      return 1;
    case 'int16':
    case 'uint16':
      return 2;
    case 'int32':
      return 4;
    case 'int64':
    case 'float64':
      return 8;
    case 'uuid':
      return 16;
    case 'string':
      return flexible ? 1 : 2;
    case 'bytes':
    case 'records':
      return flexible ? 1 : 4;
  }
}

function nullableIn(f: AnyField, version: number): boolean {
  return inRange(f.nullable, version);
}

/** The value a field takes when it is absent or not given. */
function defaultValue(f: AnyField): unknown {
  if (f.default !== undefined) return f.default;
  if (f.array) return [];
  if (typeof f.type !== 'string') return undefined;
  switch (f.type) {
    case 'bool':
      return false;
    case 'int64':
      return 0n;
    case 'string':
      return '';
    case 'uuid':
      return ZERO_UUID;
    case 'bytes':
      return EMPTY;
    case 'records':
      return null;
    default:
      return 0;
  }
}

/** Compiles struct codecs for one version, sharing compiled children between identical field lists. */
export class StructCompiler {
  private readonly cache = new Map<readonly AnyField[], StructCodec>();

  constructor(
    private readonly version: number,
    private readonly flexible: boolean,
  ) {}

  compile(fields: readonly AnyField[]): StructCodec {
    const hit = this.cache.get(fields);
    if (hit) return hit;
    const codec = {} as StructCodec;
    this.cache.set(fields, codec);
    Object.assign(codec, this.build(fields));
    return codec;
  }

  private build(fields: readonly AnyField[]): StructCodec {
    const { version, flexible } = this;
    const consts: unknown[] = [];
    const k = (v: unknown): string => `k[${consts.push(v) - 1}]`;
    // A tagged field never travels inline: outside its tagged versions it is not sent at all.
    const inline = fields.filter((f) => inRange(f.versions, version) && f.tag === undefined);
    const tagged = flexible ? fields.filter((f) => f.tag !== undefined).sort((a, b) => a.tag! - b.tag!) : [];

    const defaultExpr = (f: AnyField): string => {
      const d = defaultValue(f);
      if (f.array && d !== null) return '[]';
      if (d === undefined) return `${k(this.compile(f.type as readonly AnyField[]))}.defaults()`;
      return k(d);
    };

    // ---- decode ----
    const decodeExpr = (f: AnyField, reader: string): string => {
      const compact = flexible ? 'true' : 'false';
      const nullable = nullableIn(f, version);
      const value = (expr: string): string => (nullable ? expr : `h.nonNull(${expr}, ${k(f.name)})`);
      if (f.array) {
        const element = this.elementDecoder(f);
        return value(`h.array(${reader}, ${compact}, ${minSize(f.type, false, flexible, version) || 1}, ${k(element)})`);
      }
      if (typeof f.type !== 'string') {
        const child = k(this.compile(f.type).decode);
        return nullable ? `(${reader}.int8() < 0 ? null : ${child}(${reader}))` : `${child}(${reader})`;
      }
      switch (f.type) {
        case 'string':
          return value(`${reader}.string(${compact})`);
        case 'bytes':
        case 'records':
          return value(`${reader}.bytes(${compact})`);
        default:
          return `${reader}.${f.type}()`;
      }
    };

    const props = fields.map((f) => {
      const expr = inline.includes(f) ? decodeExpr(f, 'r') : defaultExpr(f);
      return `${JSON.stringify(f.name)}: ${expr}`;
    });
    let decodeSrc = `const o = {${props.join(', ')}};\n`;
    if (flexible) {
      const cases = tagged.map((f) => `case ${f.tag}: o[${JSON.stringify(f.name)}] = ${decodeExpr(f, 't')}; break;`);
      decodeSrc +=
        `for (let n = r.uvarint(); n > 0; n--) {\n` +
        `  const tag = r.uvarint(), size = r.uvarint();\n` +
        `  if (size > r.remaining()) throw new h.DecodeError('tagged field ' + tag + ' overruns the message');\n` +
        `  const end = r.pos + size;\n` +
        (cases.length ? `  const t = new h.Reader(r.buf, r.pos, end);\n  switch (tag) { ${cases.join(' ')} }\n` : '') +
        `  r.pos = end;\n` +
        `}\n`;
    }
    decodeSrc += 'return o;';

    // ---- encode ----
    const encodeStmt = (f: AnyField, writer: string): string => {
      const compact = flexible ? 'true' : 'false';
      const nullable = nullableIn(f, version);
      const guard = nullable ? '' : `if (v === null) h.nullError(${k(f.name)});\n`;
      let write: string;
      if (f.array) {
        write = `h.writeArray(${writer}, v, ${compact}, ${k(this.elementEncoder(f))});`;
      } else if (typeof f.type !== 'string') {
        const child = k(this.compile(f.type).encode);
        write = nullable ? `if (v === null) ${writer}.int8(-1); else { ${writer}.int8(1); ${child}(${writer}, v); }` : `${child}(${writer}, v);`;
      } else {
        switch (f.type) {
          case 'string':
            write = `${writer}.string(v, ${compact});`;
            break;
          case 'bytes':
          case 'records':
            write = `${writer}.bytes(v, ${compact});`;
            break;
          default:
            write = `${writer}.${f.type}(v);`;
        }
      }
      return guard + write;
    };

    let encodeSrc = 'let v;\n';
    for (const f of inline) {
      encodeSrc += `v = o[${JSON.stringify(f.name)}]; if (v === undefined) v = ${defaultExpr(f)};\n${encodeStmt(f, 'w')}\n`;
    }
    if (flexible) {
      const emitted = tagged.filter((f) => inRange(f.taggedVersions, version));
      if (emitted.length === 0) {
        encodeSrc += 'w.uvarint(0);\n';
      } else {
        encodeSrc += 'const tags = [];\n';
        for (const f of emitted) {
          const d = defaultValue(f);
          const isDefault = f.array
            ? `(v === null ? ${d === null} : v.length === 0)`
            : typeof f.type !== 'string'
              ? 'v === null'
              : `v === ${k(d)}`;
          encodeSrc +=
            `v = o[${JSON.stringify(f.name)}];\n` +
            `if (v !== undefined && !(${isDefault})) { const t = new h.Writer(64); ${encodeStmt(f, 't')} tags.push(${f.tag}, t.toBuffer()); }\n`;
        }
        encodeSrc +=
          'w.uvarint(tags.length / 2);\n' +
          'for (let i = 0; i < tags.length; i += 2) { w.uvarint(tags[i]); w.uvarint(tags[i + 1].length); w.raw(tags[i + 1]); }\n';
      }
    }

    const defaultsSrc = `return {${fields.map((f) => `${JSON.stringify(f.name)}: ${defaultExpr(f)}`).join(', ')}};`;

    const make = (params: string, body: string) => new Function('k', 'h', `return function (${params}) {\n${body}\n};`)(consts, helpers);
    return {
      decode: make('r', decodeSrc),
      encode: make('w, o', encodeSrc),
      defaults: make('', defaultsSrc),
    };
  }

  private elementDecoder(f: AnyField): DecodeFn {
    const compact = this.flexible;
    if (typeof f.type !== 'string') return this.compile(f.type).decode;
    switch (f.type) {
      case 'string':
        return (r) => helpers.nonNull(r.string(compact), f.name);
      case 'bytes':
      case 'records':
        return (r) => helpers.nonNull(r.bytes(compact), f.name);
      default: {
        const t = f.type;
        return (r) => (r as any)[t]();
      }
    }
  }

  private elementEncoder(f: AnyField): EncodeFn {
    const compact = this.flexible;
    if (typeof f.type !== 'string') return this.compile(f.type).encode;
    switch (f.type) {
      case 'string':
        return (w, v) => w.string(v, compact);
      case 'bytes':
      case 'records':
        return (w, v) => w.bytes(v, compact);
      default: {
        const t = f.type;
        return (w, v) => (w as any)[t](v);
      }
    }
  }
}

const helpers = {
  Reader,
  Writer,
  DecodeError,
  nonNull<T>(v: T | null, name: string): T {
    if (v === null) throw new DecodeError(`field ${name} is null but not nullable in this version`);
    return v;
  },
  nullError(name: string): never {
    throw new TypeError(`field ${name} is null but not nullable in this version`);
  },
  array(r: Reader, compact: boolean, minElementSize: number, element: DecodeFn): unknown[] | null {
    const n = r.arrayLength(compact, minElementSize);
    if (n < 0) return null;
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(element(r));
    return out;
  },
  writeArray(w: Writer, v: unknown[] | null, compact: boolean, element: EncodeFn): void {
    if (v === null) return w.length(-1, compact, true);
    w.length(v.length, compact, true);
    for (let i = 0; i < v.length; i++) element(w, v[i]);
  },
};

export function isFlexible(flexibleVersions: VersionRange, version: number): boolean {
  return inRange(flexibleVersions, version);
}
