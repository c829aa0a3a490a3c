// The message browser's filters: a substring, a regular expression (compiled up front, so a bad one
// is a 400 before any fetch) or a JSON path (json-path.ts), applied to a record's key, value or
// headers (all of them, or those with a given header key), on the bytes read as UTF-8.

import type { ConsumerRecord } from '../client/fetched-records';
import { badRequest } from './api-error';
import { JsonPathError, matchesJsonPath, parseJsonPathFilter } from './json-path';

export type RecordFilter = (r: ConsumerRecord) => boolean;

export interface FilterQuery {
  filter: string | null;
  filterOn: string | null;
  filterMode: string | null;
  headerKey: string | null;
}

/** The filter the query asks for (everything passes without one); bad input throws a 400. */
export function buildFilter(q: FilterQuery): RecordFilter {
  const on = q.filterOn || 'value';
  if (!['key', 'value', 'header'].includes(on)) throw badRequest(`Unknown filterOn ${on}: use key, value or header`);
  const headerKey = q.headerKey || null;
  if (!q.filter && !(on === 'header' && headerKey)) return () => true;
  const test = textTest(q.filterMode || 'substring', q.filter ?? '');
  if (on === 'key') return (r) => r.key !== null && test(r.key.toString('utf8'));
  if (on === 'value') return (r) => r.value !== null && test(r.value.toString('utf8'));
  return (r) => r.headers.some((h) => (headerKey === null || h.key === headerKey) && (q.filter ? h.value !== null && test(h.value.toString('utf8')) : true));
}

function textTest(mode: string, filter: string): (text: string) => boolean {
  if (mode === 'substring') return (text) => text.includes(filter);
  if (mode === 'regex') {
    let pattern: RegExp;
    try {
      pattern = new RegExp(filter);
    } catch (err) {
      throw badRequest(`Invalid regex ${filter}: ${(err as Error).message}`);
    }
    return (text) => pattern.test(text);
  }
  if (mode === 'jsonpath') {
    let path;
    try {
      path = parseJsonPathFilter(filter);
    } catch (err) {
      if (err instanceof JsonPathError) throw badRequest(err.message);
      throw err;
    }
    return (text) => {
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        return false;
      }
      return matchesJsonPath(path, doc);
    };
  }
  throw badRequest(`Unknown filterMode ${mode}: use substring, regex or jsonpath`);
}
