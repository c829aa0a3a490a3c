// Request and response headers. The request header is v2 exactly when the API version is flexible,
// but its client id keeps the classic int16 length even then. The response header is v1 for
// flexible versions except ApiVersions, whose response header is always v0 so that a client can
// read it whatever version it asked for.

import { inRange } from './spec';
import { API_BY_KEY } from './messages';
import { Reader } from './codec/reader';
import { Writer } from './codec/writer';

export const API_VERSIONS_KEY = 18;
const CONTROLLED_SHUTDOWN_KEY = 7;

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

function flexible(apiKey: number, apiVersion: number): boolean {
  const spec = API_BY_KEY.get(apiKey);
  return spec !== undefined && inRange(spec.flexibleVersions, apiVersion);
}

export function requestHeaderVersion(apiKey: number, apiVersion: number): number {
  // ControlledShutdown v0 predates the client id.
  if (apiKey === CONTROLLED_SHUTDOWN_KEY && apiVersion === 0) return 0;
  return flexible(apiKey, apiVersion) ? 2 : 1;
}

export function responseHeaderVersion(apiKey: number, apiVersion: number): number {
  return apiKey !== API_VERSIONS_KEY && flexible(apiKey, apiVersion) ? 1 : 0;
}

function skipTaggedFields(r: Reader): void {
  for (let n = r.uvarint(); n > 0; n--) {
    r.uvarint();
    r.skip(r.uvarint());
  }
}

export function readRequestHeader(r: Reader): RequestHeader {
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  const version = requestHeaderVersion(apiKey, apiVersion);
  const clientId = version >= 1 ? r.string(false) : null;
  if (version >= 2) skipTaggedFields(r);
  return { apiKey, apiVersion, correlationId, clientId };
}

export function writeRequestHeader(w: Writer, h: RequestHeader): void {
  const version = requestHeaderVersion(h.apiKey, h.apiVersion);
  w.int16(h.apiKey);
  w.int16(h.apiVersion);
  w.int32(h.correlationId);
  if (version >= 1) w.string(h.clientId, false);
  if (version >= 2) w.uvarint(0);
}

export function writeResponseHeader(w: Writer, correlationId: number, headerVersion: number): void {
  w.int32(correlationId);
  if (headerVersion >= 1) w.uvarint(0);
}

export function readResponseHeader(r: Reader, headerVersion: number): number {
  const correlationId = r.int32();
  if (headerVersion >= 1) skipTaggedFields(r);
  return correlationId;
}
