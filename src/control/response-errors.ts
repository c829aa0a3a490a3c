// The error codes a response carries, for the request log: every errorCode (and the few
// <x>ErrorCode) field at every level of the response, top, topics, partitions, groups and so on.
// The walk follows the API's response schema, compiled once per API into the paths that can lead
// to an error code, so it never looks at records, byte fields, plain values or branches without one.

import type { AnyField, ApiSpec } from '../../protocol';

/** The struct fields of one level that hold an error code, and the children that lead to one. */
interface ErrorPlan {
  readonly codes: readonly string[];
  readonly children: readonly { readonly name: string; readonly array: boolean; readonly plan: ErrorPlan }[];
}

const plans = new WeakMap<ApiSpec, ErrorPlan | null>();

/** The distinct non-zero error codes in `response` (a handler's response object), in order of appearance. */
export function responseErrorCodes(spec: ApiSpec, response: unknown): number[] {
  let plan = plans.get(spec);
  if (plan === undefined) {
    plan = planFor(spec.response);
    plans.set(spec, plan);
  }
  const codes: number[] = [];
  if (plan !== null) collect(plan, response, codes);
  return codes;
}

/** A field an error code travels in: Kafka's errorCode, and AddPartitionsToTxn's partitionErrorCode and the like. */
function isErrorCode(f: AnyField): boolean {
  return f.type === 'int16' && !f.array && (f.name === 'errorCode' || f.name.endsWith('ErrorCode'));
}

/** Null when no error code can be found below these fields. */
function planFor(fields: readonly AnyField[]): ErrorPlan | null {
  const codes = fields.filter(isErrorCode).map((f) => f.name);
  const children: { name: string; array: boolean; plan: ErrorPlan }[] = [];
  for (const f of fields) {
    if (typeof f.type === 'string') continue;
    const plan = planFor(f.type);
    if (plan !== null) children.push({ name: f.name, array: f.array, plan });
  }
  return codes.length === 0 && children.length === 0 ? null : { codes, children };
}

function collect(plan: ErrorPlan, value: unknown, codes: number[]): void {
  if (typeof value !== 'object' || value === null) return;
  const struct = value as Record<string, unknown>;
  for (const name of plan.codes) {
    const code = struct[name];
    if (typeof code === 'number' && code !== 0 && !codes.includes(code)) codes.push(code);
  }
  for (const child of plan.children) {
    const v = struct[child.name];
    if (!child.array) collect(child.plan, v, codes);
    else if (Array.isArray(v)) for (const element of v) collect(child.plan, element, codes);
  }
}
