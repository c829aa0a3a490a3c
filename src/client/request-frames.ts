// The start of a request frame: the size prefix and the request header. A connection builds the
// header once per (api, version) and copies it per request with the size and correlation id
// patched in, so a request body encoded once can be sent any number of times without re-encoding.

import { API_BY_KEY, ApiSpec, MessageInput, Writer, codecFor, writeRequestHeader } from '../../protocol';

/** Where the correlation id sits in a frame: after the size prefix, api key and api version. */
const CORRELATION_ID_AT = 8;

export class RequestHeaders {
  private readonly templates = new Map<number, Buffer>();

  constructor(private readonly clientId: string) {}

  /** Size prefix and header of a request whose body is `bodyBytes` long. */
  frameStart(apiKey: number, apiVersion: number, correlationId: number, bodyBytes: number): Buffer {
    const start = Buffer.from(this.template(apiKey, apiVersion));
    start.writeInt32BE(start.length - 4 + bodyBytes, 0);
    start.writeInt32BE(correlationId, CORRELATION_ID_AT);
    return start;
  }

  private template(apiKey: number, apiVersion: number): Buffer {
    const key = apiKey * 0x10000 + apiVersion;
    let template = this.templates.get(key);
    if (!template) {
      const w = new Writer(64);
      w.int32(0);
      writeRequestHeader(w, { apiKey, apiVersion, correlationId: 0, clientId: this.clientId });
      template = w.toBuffer();
      this.templates.set(key, template);
    }
    return template;
  }
}

/** A request body encoded as chunks: large record sets stay the caller's buffers, uncopied. */
export function encodeRequestBody<S extends ApiSpec>(spec: S, version: number, body: MessageInput<S['request']>): Buffer[] {
  const w = new Writer();
  codecFor(spec, version).request.encode(w, body);
  return w.finish();
}

/** A whole request frame in one buffer, for sending by hand (tests that tamper with frames). */
export function requestFrame<S extends ApiSpec>(
  spec: S,
  version: number,
  body: MessageInput<S['request']>,
  correlationId: number,
  clientId: string,
): Buffer {
  const chunks = encodeRequestBody(spec, version, body);
  const bodyBytes = chunks.reduce((n, c) => n + c.length, 0);
  return Buffer.concat([new RequestHeaders(clientId).frameStart(spec.apiKey, version, correlationId, bodyBytes), ...chunks]);
}

/** "Fetch v17", or the bare key of an API the codec does not know. */
export function requestName(apiKey: number, apiVersion: number): string {
  return `${API_BY_KEY.get(apiKey)?.name ?? `API ${apiKey}`} v${apiVersion}`;
}
