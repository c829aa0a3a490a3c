// The console API's routing: each area module lists its routes (method, path with :params) and
// handlers that get the request's cluster client, query, path parameters and body, and answer
// with a status and a JSON body (or stream, for the live tail).

import { IncomingMessage, ServerResponse } from 'node:http';
import { ClusterClient } from '../client/cluster-client';
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

export interface Route {
  method: string;
  pattern: RegExp;
  handler: (ctx: ApiContext) => Promise<ApiResult>;
}

/** A route from "/api/topics/:name/configs": each :param matches one path segment. */
export function route(method: string, path: string, handler: Route['handler']): Route {
  const pattern = new RegExp(`^${path.replace(/:[a-zA-Z]+/g, '([^/]+)')}$`);
  return { method, pattern, handler };
}

export const ok = (body: unknown, status = 200): ApiResult => ({ status, body });
