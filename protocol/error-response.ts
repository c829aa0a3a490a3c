// A response that fails a whole request, built from the API's schema alone, as Kafka's
// AbstractRequest.getErrorResponse does per request class: the error code goes into every
// error_code field, on the request's own topics, partitions, groups and resources, which are
// mirrored from the decoded request into the response. Fields it cannot fill keep their defaults.

import { AnyField, ApiSpec, inRange } from './spec';

type Value = Record<string, unknown>;

/** Response field names and the request field names that carry the same key. */
const KEY_ALIASES: Record<string, readonly string[]> = {
  partitionIndex: ['partitionIndex', 'partition', 'index', 'partitionId'],
  partition: ['partition', 'partitionIndex', 'index'],
  index: ['index', 'partitionIndex', 'partition'],
  partitionId: ['partitionId', 'partitionIndex', 'partition'],
  name: ['name', 'topic', 'topicName'],
  topic: ['topic', 'name', 'topicName'],
  topicName: ['topicName', 'topic', 'name'],
};

export function errorResponse(spec: ApiSpec, version: number, request: unknown, errorCode: number, errorMessage: string | null): Value {
  return fill(spec.response, version, asObject(request), errorCode, errorMessage);
}

function fill(fields: readonly AnyField[], version: number, source: Value | null, errorCode: number, errorMessage: string | null): Value {
  const out: Value = {};
  for (const f of fields) {
    if (!inRange(f.versions, version)) continue;
    if (f.name === 'errorCode' && f.type === 'int16' && !f.array) out.errorCode = errorCode;
    else if (f.name === 'errorMessage' && f.type === 'string' && !f.array) out.errorMessage = inRange(f.nullable, version) ? errorMessage : errorMessage ?? '';
    else if (typeof f.type !== 'string' && f.array) out[f.name] = mirror(f.type, version, source, f.name, errorCode, errorMessage);
    else if (typeof f.type !== 'string') out[f.name] = fill(f.type, version, asObject(source?.[f.name]), errorCode, errorMessage);
    else if (source) {
      const key = (KEY_ALIASES[f.name] ?? [f.name]).find((k) => source[k] !== undefined && typeof source[k] === typeof zeroOf(f));
      if (key !== undefined) out[f.name] = source[key];
    }
  }
  return out;
}

/** One response entry per entry of the request array that holds the same things, when entries carry errors. */
function mirror(fields: readonly AnyField[], version: number, source: Value | null, name: string, errorCode: number, errorMessage: string | null): Value[] {
  if (!source || !carriesErrors(fields, version)) return [];
  const entries = sourceArray(fields, version, source, name);
  return entries.map((entry) => {
    if (typeof entry === 'object' && entry !== null) return fill(fields, version, entry as Value, errorCode, errorMessage);
    // An entry named by a bare key (a group id, a topic name): it goes into the entry's first string field.
    const keyField = fields.find((f) => inRange(f.versions, version) && f.type === 'string' && !f.array && f.name !== 'errorMessage');
    const out = fill(fields, version, null, errorCode, errorMessage);
    if (keyField) out[keyField.name] = entry;
    return out;
  });
}

/** The request array a response array mirrors: the same name, else the one whose entries share most keys. */
function sourceArray(fields: readonly AnyField[], version: number, source: Value, name: string): unknown[] {
  const arrays = Object.entries(source).filter((e): e is [string, unknown[]] => Array.isArray(e[1]));
  const same = arrays.find(([k]) => k === name);
  if (same) return same[1];
  const wanted = fields.filter((f) => inRange(f.versions, version)).flatMap((f) => KEY_ALIASES[f.name] ?? [f.name]);
  const score = (entries: unknown[]): number => {
    const first = entries[0];
    if (typeof first === 'string') return 0.5;
    if (typeof first !== 'object' || first === null) return 0;
    return Object.keys(first).filter((k) => wanted.includes(k)).length;
  };
  let best: unknown[] = [];
  let bestScore = 0;
  for (const [, entries] of arrays) {
    const s = score(entries);
    if (s > bestScore) [best, bestScore] = [entries, s];
  }
  return best;
}

function carriesErrors(fields: readonly AnyField[], version: number): boolean {
  return fields.some((f) => inRange(f.versions, version) && (f.name === 'errorCode' || (typeof f.type !== 'string' && carriesErrors(f.type, version))));
}

function asObject(v: unknown): Value | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v) ? (v as Value) : null;
}

function zeroOf(f: AnyField): unknown {
  switch (f.type) {
    case 'int64':
      return 0n;
    case 'string':
    case 'uuid':
      return '';
    case 'bool':
      return false;
    default:
      return 0;
  }
}
