// Turns one request frame into one response frame: header, version gate, decode, handler, encode.
// Malformed or unsupported requests raise ProtocolViolation, on which the connection is closed;
// only ApiVersions answers an unsupported version, with a v0 body listing what is supported.
// A test's version cap (controls.versions) narrows both what is supported and what is advertised.
// Any exception a handler throws is logged once and answered with that API's own error response
// (its code on every topic, partition, group or resource of the request); the connection stays.

import {
  API_VERSIONS_KEY,
  Apis,
  ErrorCode,
  KafkaError,
  Reader,
  RequestHeader,
  Writer,
  codecFor,
  errorResponse,
  readRequestHeader,
  responseHeaderVersion,
  writeResponseHeader,
} from '../../protocol';
import { ApiRange, BrokerServices, Handler, RequestContext } from '../handlers/handler';
import { NO_REQUEST_METRICS, RequestMetrics, RequestTiming } from '../metrics/request-stats';
import { throttle } from '../quotas/throttle';
import { BrokerControls } from '../control/broker-controls';
import { InjectedConnectionDrop } from '../control/request-faults';
import { responseErrorCodes } from '../control/response-errors';
import { Session } from './session';

export class ProtocolViolation extends Error {}

export class Dispatcher {
  private readonly byKey = new Map<number, Handler>();
  readonly apis: readonly ApiRange[];
  /** `apis` under the version cap, for the release it was computed for. */
  private cappedApis: readonly ApiRange[] = [];
  private cappedRelease: string | null = null;
  /** For faults narrowed to a topic that a request names by id. */
  private readonly topicName = (id: string): string | undefined => this.services.metadata.topics.getById(id)?.name;

  constructor(
    handlers: readonly Handler[],
    private readonly services: BrokerServices,
    /** Request counts and times, which the connections record once a response is written. */
    readonly requestMetrics: RequestMetrics = NO_REQUEST_METRICS,
    /** What a test changed in this broker's request path (injected faults and the like). */
    readonly controls: BrokerControls = new BrokerControls(),
  ) {
    for (const h of handlers) this.byKey.set(h.spec.apiKey, h);
    this.apis = [...this.byKey.values()]
      .map((h) => ({ apiKey: h.spec.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion }))
      .sort((a, b) => a.apiKey - b.apiKey);
  }

  /**
   * Response frame as chunks (size prefix included), or null when the request gets no response.
   * `timing` gets the request's type and the handler's moments.
   */
  async dispatch(frame: Buffer, session: Session, timing?: RequestTiming): Promise<Buffer[] | null> {
    if (frame.length < 8) throw new ProtocolViolation(`request of ${frame.length} bytes is shorter than a header`);
    const apiKey = frame.readInt16BE(0);
    const version = frame.readInt16BE(2);
    const h = this.byKey.get(apiKey);
    if (!h) throw new ProtocolViolation(`unknown or unsupported API key ${apiKey}`);
    if (version < h.minVersion || version > h.maxVersion || !this.controls.versions.allows(apiKey, version)) {
      if (apiKey === API_VERSIONS_KEY) return this.unsupportedApiVersions(frame.readInt32BE(4));
      throw new ProtocolViolation(`${h.spec.name} v${version} is not supported (${this.supportedRange(apiKey)})`);
    }

    const r = new Reader(frame);
    let header: RequestHeader, request: any;
    try {
      header = readRequestHeader(r);
      request = codecFor(h.spec, version).request.decode(r);
    } catch (err) {
      if (err instanceof RangeError) throw new ProtocolViolation(`malformed ${h.spec.name} v${version} request: ${err.message}`);
      throw err;
    }
    noteClient(session, header, apiKey, version, request);
    if (timing) noteRequest(timing, apiKey, version, request);

    const ctx = new Context(this.services, header, version, session, this.advertisedApis());
    let response: any;
    const fault = this.controls.faults.match(apiKey, request, this.topicName);
    if (fault !== null) {
      // A black hole swallows the request: no answer, and it is not timed.
      if (fault.kind === 'black-hole') return swallowed(timing);
      if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (fault.kind === 'drop-connection' && fault.when === 'before') throw new InjectedConnectionDrop(`${h.spec.name} request dropped before handling`);
    }
    const started = performance.now();
    let handled = started;
    if (fault?.kind === 'error' && fault.errorCode !== undefined) {
      response = h.spec === Apis.Produce && request.acks === 0 ? null : errorResponse(h.spec, version, request, fault.errorCode, null);
    } else {
      try {
        const pending = h.handle(request, ctx);
        handled = performance.now();
        // This thread's share of the request: the handler until it first waits, not what it waits for.
        const handlerNanos = (handled - started) * 1e6;
        response = await pending;
        this.recordQuotas(h, ctx, request, frame.length, handlerNanos, response);
      } catch (err) {
        response = this.failed(h, ctx, request, err);
      }
    }
    if (timing) noteHandled(timing, started, handled);
    if (fault?.kind === 'drop-connection') throw new InjectedConnectionDrop(`${h.spec.name} request handled, its response dropped`);
    if (response === null) {
      if (this.controls.requestLog.enabled) this.logRequest(h, header, session, frame.length, timing?.received ?? started, null, 0);
      return null;
    }

    const w = new Writer(512);
    w.int32(0);
    writeResponseHeader(w, header.correlationId, responseHeaderVersion(apiKey, version));
    codecFor(h.spec, version).response.encode(w, response);
    const responseBytes = w.size - 4;
    const answer = sealFrame(w);
    if (this.controls.requestLog.enabled) this.logRequest(h, header, session, frame.length, timing?.received ?? started, response, responseBytes);
    return answer;
  }

  /** One entry in the request log, built only while the log is on: the error-code walk is not free. */
  private logRequest(h: Handler, header: RequestHeader, session: Session, requestBytes: number, received: number, response: unknown, responseBytes: number): void {
    this.controls.requestLog.record({
      time: this.services.clock.now(),
      apiKey: h.spec.apiKey,
      api: h.spec.name,
      version: header.apiVersion,
      correlationId: header.correlationId,
      clientId: header.clientId,
      principal: session.principal,
      listener: session.listenerName,
      remote: session.remote,
      requestBytes,
      responseBytes,
      latencyMs: performance.now() - received,
      errorCodes: response === null ? [] : responseErrorCodes(h.spec, response),
    });
  }

  /**
   * Produce's byte rate (the request's size) and the request percentage of every request but the
   * controller's and followers' (Kafka's exempt ones) and acks=0 produces: the longest throttle goes
   * in the response's throttle_time_ms and mutes the connection once the response is out (KIP-219).
   */
  private recordQuotas(h: Handler, ctx: RequestContext, request: any, requestBytes: number, handlerNanos: number, response: any): void {
    const { quotas, clock } = ctx;
    const { principal } = ctx.session;
    const clientId = ctx.header.clientId;
    const now = clock.now();
    const produce = h.spec === Apis.Produce;
    let ms = produce ? quotas.recordProduce(principal, clientId, requestBytes, now) : 0;
    if (!(produce && request.acks === 0) && !exemptFromRequestQuota(h.spec.apiKey, ctx.version, request)) {
      ms = Math.max(ms, quotas.recordRequest(principal, clientId, handlerNanos, now));
    }
    if (ms === 0) return;
    throttle(ctx.session, ms);
    if (response !== null && typeof response.throttleTimeMs === 'number') response.throttleTimeMs = Math.max(response.throttleTimeMs, ms);
  }

  /**
   * The one place a handler's failure turns into an answer: the KafkaError's code (or
   * UNKNOWN_SERVER_ERROR, whose message stays in the log, as Kafka's ApiError does) on everything
   * the request named. An acks=0 produce gets no answer, as ever.
   */
  private failed(h: Handler, ctx: RequestContext, request: any, err: unknown): unknown {
    const known = err instanceof KafkaError;
    const code = known ? err.code : ErrorCode.UNKNOWN_SERVER_ERROR;
    const { session, header } = ctx;
    const what = `${h.spec.name} v${ctx.version} request (correlation id ${header.correlationId}, client id ${header.clientId ?? ''}, from ${session.remote} on ${session.listenerName})`;
    if (known) ctx.log.warn(`Failed ${what} with error ${code}: ${err.message}`);
    else ctx.log.error(`Unexpected error handling ${what}`, err);
    if (h.spec === Apis.Produce && request.acks === 0) return null;
    return errorResponse(h.spec, ctx.version, request, code, known ? err.message : null);
  }

  /** KIP-511: a too-new ApiVersions gets a v0 answer with UNSUPPORTED_VERSION and the full (capped) list. */
  private unsupportedApiVersions(correlationId: number): Buffer[] {
    const w = new Writer(512);
    w.int32(0);
    writeResponseHeader(w, correlationId, 0);
    codecFor(Apis.ApiVersions, 0).response.encode(w, { errorCode: ErrorCode.UNSUPPORTED_VERSION, apiKeys: [...this.advertisedApis()] });
    return sealFrame(w);
  }

  /** The APIs ApiVersions lists: all the handlers serve, or those the version cap leaves, computed once per cap. */
  private advertisedApis(): readonly ApiRange[] {
    const release = this.controls.versions.release;
    if (release === null) return this.apis;
    if (release !== this.cappedRelease) {
      this.cappedApis = this.controls.versions.cap(this.apis);
      this.cappedRelease = release;
    }
    return this.cappedApis;
  }

  /** "min-max" of an API as advertised, for the error on a version outside it. */
  private supportedRange(apiKey: number): string {
    const range = this.advertisedApis().find((a) => a.apiKey === apiKey);
    const release = this.controls.versions.release;
    return `${range ? `${range.minVersion}-${range.maxVersion}` : 'none'}${release === null ? '' : ` as Kafka ${release}`}`;
  }
}

/**
 * One request's context. A class with its fields set one by one, not a spread of the services:
 * it is built for every request, and a 14-field spread showed up in produce profiles.
 */
class Context implements RequestContext {
  readonly clock: BrokerServices['clock'];
  readonly log: BrokerServices['log'];
  readonly config: BrokerServices['config'];
  readonly brokerConfigs: BrokerServices['brokerConfigs'];
  readonly metadata: BrokerServices['metadata'];
  readonly partitions: BrokerServices['partitions'];
  readonly logDirs: BrokerServices['logDirs'];
  readonly replication: BrokerServices['replication'];
  readonly replicationQuota: BrokerServices['replicationQuota'];
  readonly fetchWaiters: BrokerServices['fetchWaiters'];
  readonly fetchSessions: BrokerServices['fetchSessions'];
  readonly groups: BrokerServices['groups'];
  readonly transactions: BrokerServices['transactions'];
  readonly topicAdmin: BrokerServices['topicAdmin'];
  readonly controller: BrokerServices['controller'];
  readonly features: BrokerServices['features'];
  readonly quotas: BrokerServices['quotas'];
  readonly authorizer: BrokerServices['authorizer'];
  readonly delegationTokens: BrokerServices['delegationTokens'];
  readonly acls: BrokerServices['acls'];
  readonly scramCredentials: BrokerServices['scramCredentials'];
  readonly metrics: BrokerServices['metrics'];

  constructor(
    s: BrokerServices,
    readonly header: RequestHeader,
    readonly version: number,
    readonly session: Session,
    readonly apis: readonly ApiRange[],
  ) {
    this.clock = s.clock;
    this.log = s.log;
    this.config = s.config;
    this.brokerConfigs = s.brokerConfigs;
    this.metadata = s.metadata;
    this.partitions = s.partitions;
    this.logDirs = s.logDirs;
    this.replication = s.replication;
    this.replicationQuota = s.replicationQuota;
    this.fetchWaiters = s.fetchWaiters;
    this.fetchSessions = s.fetchSessions;
    this.groups = s.groups;
    this.transactions = s.transactions;
    this.topicAdmin = s.topicAdmin;
    this.controller = s.controller;
    this.features = s.features;
    this.quotas = s.quotas;
    this.authorizer = s.authorizer;
    this.delegationTokens = s.delegationTokens;
    this.acls = s.acls;
    this.scramCredentials = s.scramCredentials;
    this.metrics = s.metrics;
  }
}

/** Who the client says it is: its id on every request, its software in ApiVersions v3+. */
function noteClient(session: Session, header: RequestHeader, apiKey: number, version: number, request: any): void {
  session.clientId = header.clientId;
  if (apiKey === API_VERSIONS_KEY && version >= 3) {
    session.clientSoftwareName = request.clientSoftwareName;
    session.clientSoftwareVersion = request.clientSoftwareVersion;
  }
}

function noteRequest(timing: RequestTiming, apiKey: number, version: number, request: any): void {
  timing.apiKey = apiKey;
  timing.version = version;
  timing.follower = isFollowerFetch(apiKey, version, request);
}

function swallowed(timing: RequestTiming | undefined): null {
  if (timing) timing.apiKey = -1;
  return null;
}

function noteHandled(timing: RequestTiming, started: number, handled: number): void {
  timing.started = started;
  timing.handled = handled;
  timing.answered = performance.now();
}

/** Requests only the controller and other brokers send (ClusterAction in Kafka), and followers' fetches. */
const CLUSTER_ACTIONS = new Set([4, 5, 6, 7, 27]);

function exemptFromRequestQuota(apiKey: number, version: number, request: any): boolean {
  return CLUSTER_ACTIONS.has(apiKey) || isFollowerFetch(apiKey, version, request);
}

function isFollowerFetch(apiKey: number, version: number, request: any): boolean {
  return apiKey === Apis.Fetch.apiKey && (version >= 15 ? request.replicaState.replicaId : request.replicaId) >= 0;
}

/** Fills in the size prefix reserved at the start of the writer. */
function sealFrame(w: Writer): Buffer[] {
  const size = w.size - 4;
  const chunks = w.finish();
  chunks[0].writeInt32BE(size, 0);
  return chunks;
}
