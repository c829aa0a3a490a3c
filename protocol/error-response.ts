// A response that fails a whole request, built from the API's schema alone, as Kafka's
// AbstractRequest.getErrorResponse does per request class: the error code goes into every
// error_code field, on the request's own topics, partitions, groups and resources, whose keys
// (names, ids, indexes) are mirrored from the decoded request into the response. Nothing else is
// copied: other fields keep their defaults, as in Kafka's error responses (no offsets, epochs or
// members echoed back).

import { AnyField, ApiSpec, inRange } from './spec';

type Value = Record<string, unknown>;

/** Response fields that identify a topic, partition, group or resource, and the request fields carrying the same key. */
const KEYS: Record<string, readonly string[]> = {
  name: ['name', 'topic', 'topicName'],
  topic: ['topic', 'name', 'topicName'],
  topicName: ['topicName', 'topic', 'name'],
  topicId: ['topicId'],
  partitionIndex: ['partitionIndex', 'partition', 'index', 'partitionId'],
  partition: ['partition', 'partitionIndex', 'index'],
  index: ['index', 'partitionIndex', 'partition'],
  partitionId: ['partitionId', 'partitionIndex', 'partition'],
  groupId: ['groupId'],
  key: ['key'],
  resourceType: ['resourceType'],
  resourceName: ['resourceName'],
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
    else if (source && KEYS[f.name] && !f.array) {
      const key = KEYS[f.name].find((k) => source[k] !== undefined && typeof source[k] === typeof zeroOf(f));
      if (key !== undefined) out[f.name] = source[key];
    }
  }
  return out;
}

/** The in-range key fields of an entry. */
function keyFields(fields: readonly AnyField[], version: number): AnyField[] {
  return fields.filter((f) => inRange(f.versions, version) && KEYS[f.name] !== undefined && !f.array && typeof f.type === 'string');
}

/**
 * One response entry per entry of the request array that holds the same things, when entries
 * carry errors and are identified by a key (a member list, say, is not mirrored).
 */
function mirror(fields: readonly AnyField[], version: number, source: Value | null, name: string, errorCode: number, errorMessage: string | null): Value[] {
  const keys = keyFields(fields, version);
  if (!source || keys.length === 0 || !carriesErrors(fields, version)) return [];
  const entries = sourceArray(fields, version, source, name);
  return entries.map((entry) => {
    if (typeof entry === 'object' && entry !== null) return fill(fields, version, entry as Value, errorCode, errorMessage);
    // An entry named by a bare key (a group id, a topic name, a partition index) fills the first key field of its type.
    const out = fill(fields, version, null, errorCode, errorMessage);
    const keyField = keys.find((f) => typeof zeroOf(f) === typeof entry);
    if (keyField) out[keyField.name] = entry;
    return out;
  });
}

/** The request array a response array mirrors: the same name, else the one whose entries share most keys. */
function sourceArray(fields: readonly AnyField[], version: number, source: Value, name: string): unknown[] {
  const arrays = Object.entries(source).filter((e): e is [string, unknown[]] => Array.isArray(e[1]));
  const same = arrays.find(([k]) => k === name);
  if (same) return same[1];
  const keys = keyFields(fields, version);
  const wanted = fields.filter((f) => inRange(f.versions, version)).flatMap((f) => KEYS[f.name] ?? [f.name]);
  const score = (entries: unknown[]): number => {
    const first = entries[0];
    if (typeof first === 'object' && first !== null) return Object.keys(first).filter((k) => wanted.includes(k)).length;
    return keys.some((f) => typeof zeroOf(f) === typeof first) ? 0.5 : 0;
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
