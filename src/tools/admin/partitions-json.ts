// The JSON files Kafka's partition tools read: {"partitions": [{"topic": "t", "partition": 0, ...}],
// "version": 1}, parsed with the checks and messages of Kafka's Json/DecodeJson helpers.

import { readFileSync } from 'node:fs';

/** A failure Kafka raises as an uncaught exception of this class: the tool prints it as the JVM would, first line only. */
export class UncaughtError extends Error {
  constructor(
    readonly className: string,
    message: string,
  ) {
    super(message);
    this.name = 'UncaughtError';
  }

  /** The JVM's first line for an uncaught exception. */
  line(): string {
    return `Exception in thread "main" ${this.className}: ${this.message}`;
  }
}

export const ADMIN_OPERATION = 'org.apache.kafka.server.common.AdminOperationException';
export const ADMIN_COMMAND_FAILED = 'org.apache.kafka.server.common.AdminCommandFailedException';
const MAPPING = 'com.fasterxml.jackson.databind.JsonMappingException';

type Json = unknown;

export function readJsonFile(path: string): Json | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UncaughtError('java.nio.file.NoSuchFileException', (err as NodeJS.ErrnoException).code === 'ENOENT' ? path : String(err));
  }
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

/** A field of an object, or Kafka's JsonMappingException naming it. */
export function field(obj: Json, name: string): Json {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj) || !(name in obj)) throw new UncaughtError(MAPPING, `No such field exists: \`${name}\``);
  return (obj as Record<string, Json>)[name];
}

export function asString(value: Json): string {
  if (typeof value !== 'string') throw new UncaughtError(MAPPING, `Expected \`String\` value, received ${JSON.stringify(value)}`);
  return value;
}

export function asInt(value: Json): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value > 2 ** 31 - 1 || value < -(2 ** 31)) throw new UncaughtError(MAPPING, `Expected \`Int\` value, received ${JSON.stringify(value)}`);
  return value;
}

export function asLong(value: Json): bigint {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new UncaughtError(MAPPING, `Expected \`Long\` value, received ${JSON.stringify(value)}`);
  return BigInt(value);
}

/** The "partitions" entries, each with its named fields; `missing` is the message when there is no such list. */
export function partitionEntries(json: Json, missing: string): Record<string, Json>[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json) || !('partitions' in json)) throw new UncaughtError(ADMIN_OPERATION, missing);
  const list = (json as Record<string, Json>).partitions;
  if (!Array.isArray(list)) throw new UncaughtError(MAPPING, `Expected \`Array\` value, received ${JSON.stringify(list)}`);
  return list.map((entry) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new UncaughtError(MAPPING, `Expected \`Object\` value, received ${JSON.stringify(entry)}`);
    return entry as Record<string, Json>;
  });
}
