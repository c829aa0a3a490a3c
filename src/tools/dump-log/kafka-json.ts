// Kafka's generated JsonConverter output for a message decoded with one of our schemas: the fields of
// that version in schema order, int64 as JSON numbers, bytes as base64, absent nullables as null.
import { AnyField, inRange } from '../../../protocol/spec';

function primitiveJson(type: string, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (type === 'bytes' || type === 'records') return JSON.stringify((value as Buffer).toString('base64'));
  if (type === 'int64') return String(value);
  return JSON.stringify(value);
}

function valueJson(field: AnyField, value: unknown, version: number): string {
  if (value === null || value === undefined) return 'null';
  const element = (v: unknown): string => (typeof field.type === 'string' ? primitiveJson(field.type, v) : structJson(field.type, v as Record<string, unknown>, version));
  if (field.array) return `[${(value as unknown[]).map(element).join(',')}]`;
  return element(value);
}

/** The JSON of a decoded struct, as Kafka's `<Message>JsonConverter.write(message, version)` prints it. */
export function structJson(fields: readonly AnyField[], message: Record<string, unknown>, version: number, replace: Record<string, string> = {}): string {
  const parts = fields
    .filter((f) => inRange(f.versions, version))
    .map((f) => `${JSON.stringify(f.name)}:${replace[f.name] ?? valueJson(f, message[f.name], version)}`);
  return `{${parts.join(',')}}`;
}
