// The console API's routing: each area module lists its routes (method, path with :params) and
// handlers that get the request's cluster client, query, path parameters and body, and answer
// with a status and a JSON body (or stream, for the live tail).

import { IncomingMessage, ServerResponse } from 'node:http';
import { ClusterClient } from '../client/cluster-client';
import { ApiError } from './api-error';
import { Fields } from './http-io';
import { Budget } from './message-browser';
import { ThroughputSource } from './throughput';

export interface ApiContext {
  client: ClusterClient;
  query: URLSearchParams;
  params: string[];
  body(): Promise<Fields>;
  budget: Budget;
  throughput: ThroughputSource | null;
  req: IncomingMessage;
  res: ServerResponse;
}

/** A JSON answer; undefined when the handler answered itself (a stream). */
export type ApiResult = { status?: number; body: unknown } | undefined;

/** A route of an HTTP API of ours; the console's handlers get an ApiContext, other APIs their own. */
export interface Route<C = ApiContext> {
  method: string;
  pattern: RegExp;
  handler: (ctx: C) => Promise<ApiResult>;
}

/** A route from "/api/topics/:name/configs": each :param matches one path segment. */
export function route<C = ApiContext>(method: string, path: string, handler: Route<C>['handler']): Route<C> {
  const pattern = new RegExp(`^${path.replace(/:[a-zA-Z]+/g, '([^/]+)')}$`);
  return { method, pattern, handler };
}

/** The route for a method and path with its decoded :params; 404 for an unknown path, 405 for a known path's other methods. */
export function findRoute<C>(routes: readonly Route<C>[], method: string, pathname: string): { route: Route<C>; params: string[] } {
  let pathKnown = false;
  for (const r of routes) {
    const m = r.pattern.exec(pathname);
    if (!m) continue;
    pathKnown = true;
    if (r.method === method) return { route: r, params: m.slice(1).map((p) => decodeURIComponent(p)) };
  }
  throw new ApiError(pathKnown ? 405 : 404, pathKnown ? `${method} is not allowed on ${pathname}` : `No API at ${pathname}`);
}

export const ok = (body: unknown, status = 200): ApiResult => ({ status, body });
