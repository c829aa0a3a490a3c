// The declarative form of Kafka message schemas. Each API's file under messages/ describes its
// request and response for every version with these helpers; the codec compiles them, and the
// TypeScript types of decoded messages are derived from the same declarations.

export type PrimitiveType =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'int64'
  | 'float64'
  | 'string'
  | 'bytes'
  | 'records'
  | 'uuid';

/** Inclusive version range; `max` is 32767 for open ranges ("3+"). An empty range has min > max. */
export interface VersionRange {
  readonly min: number;
  readonly max: number;
}

export const MAX_VERSION = 0x7fff;
export const NO_VERSIONS: VersionRange = { min: 1, max: 0 };

/** Parses Kafka's version notation: "0+", "3-5", "7", "none". */
export function versions(text: string): VersionRange {
  if (text === 'none') return NO_VERSIONS;
  const plus = /^(\d+)\+$/.exec(text);
  if (plus) return { min: Number(plus[1]), max: MAX_VERSION };
  const range = /^(\d+)-(\d+)$/.exec(text);
  if (range) return { min: Number(range[1]), max: Number(range[2]) };
  if (/^\d+$/.test(text)) return { min: Number(text), max: Number(text) };
  throw new Error(`bad version range "${text}"`);
}

export function inRange(r: VersionRange, v: number): boolean {
  return v >= r.min && v <= r.max;
}

/** A field as the codec sees it. */
export interface AnyField {
  readonly name: string;
  /** A primitive, or the fields of a struct. */
  readonly type: PrimitiveType | readonly AnyField[];
  readonly array: boolean;
  readonly versions: VersionRange;
  readonly nullable: VersionRange;
  readonly nullableSomewhere: boolean;
  readonly tag?: number;
  readonly taggedVersions: VersionRange;
  /** Value when absent from a version or not given for encoding; undefined means the type's zero. */
  readonly default?: unknown;
}

/** A field with its name, type and nullability kept in the type system, so messages get types. */
export interface FieldSpec<
  N extends string = string,
  T extends PrimitiveType | readonly AnyField[] = PrimitiveType | readonly AnyField[],
  A extends boolean = boolean,
  Nl extends boolean = boolean,
> extends AnyField {
  readonly name: N;
  readonly type: T;
  readonly array: A;
  readonly nullableSomewhere: Nl;
}

export interface FieldOptions {
  /** Versions in which the value may be null. */
  nullable?: string;
  tag?: number;
  /** Versions in which the field travels as a tagged field; defaults to `versions` when `tag` is set. */
  tagged?: string;
  default?: number | bigint | string | boolean | null;
}

type NullableFlag<O> = O extends { nullable: string } ? true : false;

function field<N extends string, T extends PrimitiveType | readonly FieldSpec[], A extends boolean, O extends FieldOptions>(
  name: N,
  type: T,
  array: A,
  vers: string,
  opts: O | undefined,
): FieldSpec<N, T, A, NullableFlag<O>> {
  const range = versions(vers);
  return {
    name,
    type,
    array,
    versions: range,
    nullable: opts?.nullable ? versions(opts.nullable) : NO_VERSIONS,
    nullableSomewhere: Boolean(opts?.nullable) as NullableFlag<O>,
    tag: opts?.tag,
    taggedVersions: opts?.tag === undefined ? NO_VERSIONS : opts.tagged ? versions(opts.tagged) : range,
    default: opts?.default,
  };
}

/** A scalar field. */
export function f<const N extends string, const T extends PrimitiveType, const O extends FieldOptions = {}>(
  name: N,
  type: T,
  vers = '0+',
  opts?: O,
): FieldSpec<N, T, false, NullableFlag<O>> {
  return field(name, type, false, vers, opts);
}

/** An array of primitives or of structs (given as their fields). */
export function arr<
  const N extends string,
  const T extends PrimitiveType | readonly FieldSpec[],
  const O extends FieldOptions = {},
>(name: N, type: T, vers = '0+', opts?: O): FieldSpec<N, T, true, NullableFlag<O>> {
  return field(name, type, true, vers, opts);
}

/** A single nested struct. */
export function struct<const N extends string, const T extends readonly FieldSpec[], const O extends FieldOptions = {}>(
  name: N,
  fields: T,
  vers = '0+',
  opts?: O,
): FieldSpec<N, T, false, NullableFlag<O>> {
  return field(name, fields, false, vers, opts);
}

export interface ApiSpec<Req extends readonly FieldSpec[] = readonly FieldSpec[], Res extends readonly FieldSpec[] = readonly FieldSpec[]> {
  readonly apiKey: number;
  readonly name: string;
  readonly validVersions: VersionRange;
  readonly flexibleVersions: VersionRange;
  readonly request: Req;
  readonly response: Res;
}

export function api<const Req extends readonly FieldSpec[], const Res extends readonly FieldSpec[]>(
  apiKey: number,
  name: string,
  valid: string,
  flexible: string,
  request: Req,
  response: Res,
): ApiSpec<Req, Res> {
  return {
    apiKey,
    name,
    validVersions: versions(valid),
    flexibleVersions: versions(flexible),
    request,
    response,
  };
}

/** A versioned record schema that is not an API message (e.g. the internal topics' keys and values). */
export interface DataSpec<Fs extends readonly FieldSpec[] = readonly FieldSpec[]> {
  readonly name: string;
  readonly validVersions: VersionRange;
  readonly flexibleVersions: VersionRange;
  readonly fields: Fs;
}

export function data<const Fs extends readonly FieldSpec[]>(name: string, valid: string, flexible: string, fields: Fs): DataSpec<Fs> {
  return { name, validVersions: versions(valid), flexibleVersions: versions(flexible), fields };
}

// ---- Types of decoded messages, derived from the declarations ----

type PrimitiveValue<T> = T extends 'bool'
  ? boolean
  : T extends 'int8' | 'int16' | 'uint16' | 'int32' | 'float64'
    ? number
    : T extends 'int64'
      ? bigint
      : T extends 'string' | 'uuid'
        ? string
        : T extends 'bytes' | 'records'
          ? Buffer
          : never;

type ElementValue<T> = T extends readonly FieldSpec[] ? Message<T> : PrimitiveValue<T>;

export type FieldValue<F> =
  F extends FieldSpec<string, infer T, infer A, infer Nl>
    ? (A extends true ? ElementValue<T>[] : ElementValue<T>) | (Nl extends true ? null : never)
    : never;

/** A decoded struct: every field of every version, absent ones holding their defaults. */
export type Message<Fs extends readonly FieldSpec[]> = {
  -readonly [F in Fs[number] as F['name']]: FieldValue<F>;
};

/** A struct to encode: any field may be left out and takes its default. */
export type MessageInput<Fs extends readonly FieldSpec[]> = {
  -readonly [F in Fs[number] as F['name']]?: InputValue<F>;
};

type ElementInput<T> = T extends readonly FieldSpec[] ? MessageInput<T> : PrimitiveValue<T>;

type InputValue<F> =
  F extends FieldSpec<string, infer T, infer A, infer Nl>
    ? (A extends true ? ElementInput<T>[] : ElementInput<T>) | (Nl extends true ? null : never)
    : never;

export type RequestOf<S> = S extends ApiSpec<infer Req, readonly FieldSpec[]> ? Message<Req> : never;
export type ResponseOf<S> = S extends ApiSpec<readonly FieldSpec[], infer Res> ? MessageInput<Res> : never;
