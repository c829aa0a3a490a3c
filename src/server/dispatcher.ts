// Turns one request frame into one response frame: header, version gate, decode, handler, encode.
// Malformed or unsupported requests raise ProtocolViolation, on which the connection is closed;
// only ApiVersions answers an unsupported version, with a v0 body listing what is supported.

import {
  API_VERSIONS_KEY,
  Apis,
  ErrorCode,
  Reader,
  Writer,
  codecFor,
  readRequestHeader,
  responseHeaderVersion,
  writeResponseHeader,
} from '../../protocol';
import type { Broker } from '../broker';
import { ApiRange, Handler, RequestContext } from '../handlers/handler';

export class ProtocolViolation extends Error {}

export class Dispatcher {
  private readonly byKey = new Map<number, Handler>();
  readonly apis: readonly ApiRange[];

  constructor(
    handlers: readonly Handler[],
    private readonly broker: Broker,
  ) {
    for (const h of handlers) this.byKey.set(h.spec.apiKey, h);
    this.apis = [...this.byKey.values()]
      .map((h) => ({ apiKey: h.spec.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion }))
      .sort((a, b) => a.apiKey - b.apiKey);
  }

  /** Response frame as chunks (size prefix included), or null when the request gets no response. */
  async dispatch(frame: Buffer, listenerName: string, clientHost: string): Promise<Buffer[] | null> {
    if (frame.length < 8) throw new ProtocolViolation(`request of ${frame.length} bytes is shorter than a header`);
    const apiKey = frame.readInt16BE(0);
    const version = frame.readInt16BE(2);
    const h = this.byKey.get(apiKey);
    if (!h) throw new ProtocolViolation(`unknown or unsupported API key ${apiKey}`);
    if (version < h.minVersion || version > h.maxVersion) {
      if (apiKey === API_VERSIONS_KEY) return this.unsupportedApiVersions(frame.readInt32BE(4));
      throw new ProtocolViolation(`${h.spec.name} v${version} is not supported (${h.minVersion}-${h.maxVersion})`);
    }

    const r = new Reader(frame);
    let header, request;
    try {
      header = readRequestHeader(r);
      request = codecFor(h.spec, version).request.decode(r);
    } catch (err) {
      if (err instanceof RangeError) throw new ProtocolViolation(`malformed ${h.spec.name} v${version} request: ${err.message}`);
      throw err;
    }

    const ctx: RequestContext = { header, version, listenerName, clientHost, broker: this.broker, apis: this.apis };
    const response = await h.handle(request, ctx);
    if (response === null) return null;

    const w = new Writer(512);
    w.int32(0);
    writeResponseHeader(w, header.correlationId, responseHeaderVersion(apiKey, version));
    codecFor(h.spec, version).response.encode(w, response);
    return sealFrame(w);
  }

  /** KIP-511: a too-new ApiVersions gets a v0 answer with UNSUPPORTED_VERSION and the full list. */
  private unsupportedApiVersions(correlationId: number): Buffer[] {
    const w = new Writer(512);
    w.int32(0);
    writeResponseHeader(w, correlationId, 0);
    codecFor(Apis.ApiVersions, 0).response.encode(w, { errorCode: ErrorCode.UNSUPPORTED_VERSION, apiKeys: [...this.apis] });
    return sealFrame(w);
  }
}

/** Fills in the size prefix reserved at the start of the writer. */
function sealFrame(w: Writer): Buffer[] {
  const size = w.size - 4;
  const chunks = w.finish();
  chunks[0].writeInt32BE(size, 0);
  return chunks;
}
