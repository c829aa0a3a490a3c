// The shape of an API handler: the spec it serves, the versions it accepts, and a function from a
// decoded request to a response body (or null: no response, as for acks=0 produce).

import { ApiSpec, RequestHeader, RequestOf, ResponseOf, inRange } from '../../protocol';
import type { Broker } from '../broker';

export interface ApiRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export interface RequestContext {
  header: RequestHeader;
  version: number;
  /** Name of the listener the request arrived on, to answer with that listener's endpoints. */
  listenerName: string;
  /** The client's address as Kafka reports it (e.g. "/127.0.0.1"). */
  clientHost: string;
  broker: Broker;
  /** Every API this broker serves, for ApiVersions. */
  apis: readonly ApiRange[];
}

export type HandlerFn<S extends ApiSpec> = (
  request: RequestOf<S>,
  ctx: RequestContext,
) => ResponseOf<S> | null | Promise<ResponseOf<S> | null>;

export interface Handler {
  readonly spec: ApiSpec;
  readonly minVersion: number;
  readonly maxVersion: number;
  readonly handle: HandlerFn<any>;
}

export function handler<S extends ApiSpec>(spec: S, minVersion: number, maxVersion: number, handle: HandlerFn<S>): Handler {
  if (!inRange(spec.validVersions, minVersion) || !inRange(spec.validVersions, maxVersion) || minVersion > maxVersion) {
    throw new Error(`${spec.name} handler versions ${minVersion}-${maxVersion} outside the schema's range`);
  }
  return { spec, minVersion, maxVersion, handle };
}
