// IncrementalAlterConfigs' operations on a topic's or a broker's dynamic configs, as Kafka's
// ConfigAdminManager.prepareIncrementalConfigs applies them: SET and DELETE any key; APPEND and
// SUBTRACT only list-typed keys (APPEND starts from the default when the key is not set, and keeps
// each value once).

import { ErrorCode, KafkaError } from '../../protocol';
/** What APPEND and SUBTRACT need of a key: whether it is a list, and its default. Undefined: unknown key. */
export type ListKeyLookup = (name: string) => { isList: boolean; defaultValue: string | null } | undefined;

export const ConfigOperation = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

export interface ConfigOp {
  name: string;
  operation: number;
  value: string | null;
}

function listKey(lookup: ListKeyLookup, name: string, verb: 'append' | 'subtract'): string {
  const def = lookup(name);
  // Kafka says "topic" for broker keys too.
  if (!def) throw new KafkaError(ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${name}`);
  if (!def.isList) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Config value ${verb} is not allowed for config key: ${name}`);
  return def.defaultValue ?? '';
}

const split = (value: string): string[] => (value === '' ? [] : value.split(','));

/** The overrides after `ops`; throws INVALID_REQUEST or INVALID_CONFIG as Kafka does. */
export function applyConfigOps(current: Readonly<Record<string, string>>, ops: readonly ConfigOp[], lookup: ListKeyLookup): Record<string, string> {
  const names = ops.map((op) => op.name);
  const duplicates = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (duplicates.length > 0) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Error due to duplicate config keys : ${duplicates.join(',')}`);
  const next: Record<string, string> = { ...current };
  for (const { name, operation, value } of ops) {
    switch (operation) {
      case ConfigOperation.SET:
        if (value === null) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Null value not supported for : ${name}`);
        next[name] = value;
        break;
      case ConfigOperation.DELETE:
        delete next[name];
        break;
      case ConfigOperation.APPEND: {
        const fallback = listKey(lookup, name, 'append');
        const base = next[name] ?? fallback;
        next[name] = [...new Set([...split(base), ...split(value ?? '')])].join(',');
        break;
      }
      case ConfigOperation.SUBTRACT: {
        listKey(lookup, name, 'subtract');
        const removed = new Set(split(value ?? ''));
        next[name] = split(next[name] ?? '').filter((v) => !removed.has(v)).join(',');
        break;
      }
      default:
        throw new KafkaError(ErrorCode.INVALID_REQUEST, `Unknown config operation ${operation} for ${name}`);
    }
  }
  return next;
}
