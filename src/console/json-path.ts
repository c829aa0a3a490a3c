// A small JSONPath subset for the message browser's filter, written here because no maintained
// JSONPath library is installed: `$` then `.name`, `['name']`, `[N]`, `[*]`, `.*` and `..name`
// (any depth). A filter is a path (matches when it finds a value) or `path == JSON` (matches when a
// found value equals it; a bare word compares as a string).

export type PathStep = { kind: 'child'; name: string } | { kind: 'index'; index: number } | { kind: 'wildcard' } | { kind: 'deep'; name: string };

export interface JsonPathFilter {
  steps: PathStep[];
  /** The value compared with, when the filter has `== value`. */
  equals?: unknown;
}

export class JsonPathError extends Error {}

/** Parses `path` or `path == value`; throws JsonPathError saying what is wrong. */
export function parseJsonPathFilter(text: string): JsonPathFilter {
  const eq = text.indexOf('==');
  const pathText = (eq < 0 ? text : text.slice(0, eq)).trim();
  const steps = parseJsonPath(pathText);
  if (eq < 0) return { steps };
  const raw = text.slice(eq + 2).trim();
  if (raw === '') throw new JsonPathError('Invalid JSON path filter: nothing after ==');
  let equals: unknown;
  try {
    equals = JSON.parse(raw);
  } catch {
    equals = raw;
  }
  return { steps, equals };
}

export function parseJsonPath(path: string): PathStep[] {
  if (!path.startsWith('$')) throw new JsonPathError(`Invalid JSON path ${path}: it must start with $`);
  const steps: PathStep[] = [];
  let i = 1;
  const name = /^[A-Za-z_$][\w$-]*/;
  while (i < path.length) {
    const rest = path.slice(i);
    if (rest.startsWith('..')) {
      const m = name.exec(rest.slice(2));
      if (!m) throw new JsonPathError(`Invalid JSON path ${path}: expected a name after .. at ${i}`);
      steps.push({ kind: 'deep', name: m[0] });
      i += 2 + m[0].length;
    } else if (rest.startsWith('.*')) {
      steps.push({ kind: 'wildcard' });
      i += 2;
    } else if (rest.startsWith('.')) {
      const m = name.exec(rest.slice(1));
      if (!m) throw new JsonPathError(`Invalid JSON path ${path}: expected a name after . at ${i}`);
      steps.push({ kind: 'child', name: m[0] });
      i += 1 + m[0].length;
    } else if (rest.startsWith('[')) {
      const m = /^\[(?:(\d+)|\*|'([^']*)'|"([^"]*)")\]/.exec(rest);
      if (!m) throw new JsonPathError(`Invalid JSON path ${path}: expected [N], [*] or ['name'] at ${i}`);
      if (m[1] !== undefined) steps.push({ kind: 'index', index: Number(m[1]) });
      else if (m[2] !== undefined || m[3] !== undefined) steps.push({ kind: 'child', name: m[2] ?? m[3] });
      else steps.push({ kind: 'wildcard' });
      i += m[0].length;
    } else {
      throw new JsonPathError(`Invalid JSON path ${path}: unexpected ${JSON.stringify(rest[0])} at ${i}`);
    }
  }
  return steps;
}

/** Every value the path finds in a document. */
export function evaluate(steps: readonly PathStep[], doc: unknown): unknown[] {
  let current: unknown[] = [doc];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if (step.kind === 'child') {
        if (isObject(v) && Object.prototype.hasOwnProperty.call(v, step.name)) next.push(v[step.name]);
      } else if (step.kind === 'index') {
        if (Array.isArray(v) && step.index < v.length) next.push(v[step.index]);
      } else if (step.kind === 'wildcard') {
        if (Array.isArray(v)) next.push(...v);
        else if (isObject(v)) next.push(...Object.values(v));
      } else {
        collectDeep(v, step.name, next);
      }
    }
    current = next;
  }
  return current;
}

export function matchesJsonPath(filter: JsonPathFilter, doc: unknown): boolean {
  const found = evaluate(filter.steps, doc);
  if (!('equals' in filter)) return found.length > 0;
  const wanted = JSON.stringify(filter.equals);
  return found.some((v) => JSON.stringify(v) === wanted);
}

function collectDeep(v: unknown, name: string, out: unknown[]): void {
  if (Array.isArray(v)) {
    for (const x of v) collectDeep(x, name, out);
  } else if (isObject(v)) {
    if (Object.prototype.hasOwnProperty.call(v, name)) out.push(v[name]);
    for (const x of Object.values(v)) collectDeep(x, name, out);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
