// The control plane's HTTP API: JSON in and out, one route per control of a broker (its faults,
// API versions, request log, clock, retention and compaction, leaders, ISRs and follower lag, down
// and up). Every body is checked here or by the control it reaches, each bad value a 400 naming it.

import { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest } from '../../console/api-error';
import { Fields, queryInt } from '../../console/http-io';
import { ApiResult, Route, ok, route } from '../../console/routes';
import type { ControlTarget, DownMode } from '../control-target';
import type { FaultSpec } from '../request-faults';
import { MAX_REQUEST_LOG_CAPACITY, RequestFilter } from '../request-log';
import { KAFKA_RELEASES } from '../../../protocol/kafka-releases';

export interface ControlContext {
  target: ControlTarget;
  query: URLSearchParams;
  params: string[];
  body(): Promise<Fields>;
  req: IncomingMessage;
  res: ServerResponse;
}

type Handler = (ctx: ControlContext) => Promise<ApiResult>;

/** How much of a live request-log stream may wait unread for its follower. */
const MAX_UNREAD_STREAM_BYTES = 4 * 1024 * 1024;

const get = (path: string, h: Handler): Route<ControlContext> => route<ControlContext>('GET', path, h);
const post = (path: string, h: Handler): Route<ControlContext> => route<ControlContext>('POST', path, h);
const put = (path: string, h: Handler): Route<ControlContext> => route<ControlContext>('PUT', path, h);
const del = (path: string, h: Handler): Route<ControlContext> => route<ControlContext>('DELETE', path, h);

export const CONTROL_ROUTES: readonly Route<ControlContext>[] = [
  get('/', async ({ target }) => ok(status(target))),

  get('/faults', async ({ target }) => ok(target.controls.faults.list())),
  post('/faults', async ({ target, body }) => {
    const spec = (await body()).object();
    return ok(checked(() => target.controls.faults.inject(spec as unknown as FaultSpec)), 201);
  }),
  del('/faults', async ({ target }) => {
    target.controls.faults.clear();
    return ok({ removed: 'all' });
  }),
  del('/faults/:id', async ({ target, params }) => {
    if (!target.controls.faults.remove(Number(params[0]))) throw new ApiError(404, `No fault ${params[0]}`);
    return ok({ removed: Number(params[0]) });
  }),

  get('/versions', async ({ target }) => ok({ release: target.controls.versions.release, releases: KAFKA_RELEASES })),
  put('/versions', async ({ target, body }) => {
    const f = await body();
    if (!f.has('release') && f.raw('release') !== null) throw badRequest('release is required: a Kafka release such as "2.8", or null to lift the cap');
    const release = f.optionalString('release');
    checked(() => target.controls.versions.set(release));
    return ok({ release });
  }),

  get('/requests', async ({ target, query, req, res }) => {
    const log = target.controls.requestLog;
    const filter = requestFilter(query);
    const limit = query.has('limit') ? queryInt(query, 'limit', 0, 0, MAX_REQUEST_LOG_CAPACITY) : undefined;
    const entries = checked(() => log.entries(filter, limit));
    if (query.get('follow') !== 'true') return ok(entries);
    if (!log.enabled) throw new ApiError(409, 'The request log is off: give it a size first (PUT /requests/size)');
    // One JSON object per line: what the log holds, then each request as it is answered, until the caller hangs up.
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-store' });
    res.flushHeaders();
    for (const e of entries) res.write(`${JSON.stringify(e)}\n`);
    const unsubscribe = log.subscribe(filter, (e) => {
      // A follower that does not read is cut off rather than buffered for without end.
      if (res.writableLength > MAX_UNREAD_STREAM_BYTES) {
        unsubscribe();
        res.destroy();
        return;
      }
      res.write(`${JSON.stringify(e)}\n`);
    });
    req.once('close', unsubscribe);
    return undefined;
  }),
  del('/requests', async ({ target }) => {
    target.controls.requestLog.clear();
    return ok({ cleared: true });
  }),
  put('/requests/size', async ({ target, body }) => {
    const size = (await body()).int('size', 0);
    checked(() => target.controls.requestLog.resize(size));
    return ok({ size });
  }),

  post('/clock/advance', async ({ target, body }) => {
    const clock = target.clock;
    if (clock === null) throw new ApiError(409, 'This broker runs on the system clock: start it with kafkats.control.clock=controllable');
    clock.advance((await body()).int('ms', 0));
    return ok({ advancedMs: clock.advancedMs, now: clock.now() });
  }),

  post('/retention', async ({ target }) => ok({ segmentsDeleted: running(target).enforceRetention() })),

  post('/compaction', async ({ target }) => ok({ logsCleaned: await running(target).compact() })),
  post('/partitions/:topic/:partition/leader', async ({ target, params, body }) => {
    const broker = (await body()).int('broker', 0);
    await running(target).moveLeader(params[0], partitionOf(params[1]), broker);
    return ok({ topic: params[0], partition: partitionOf(params[1]), leader: broker });
  }),
  put('/partitions/:topic/:partition/isr', async ({ target, params, body }) => {
    const isr = (await body()).raw('isr');
    if (!Array.isArray(isr) || isr.some((b) => !Number.isInteger(b) || b < 0)) throw badRequest('isr must be a list of broker ids');
    await running(target).shrinkIsr(params[0], partitionOf(params[1]), isr as number[]);
    return ok({ topic: params[0], partition: partitionOf(params[1]), isr });
  }),
  put('/partitions/:topic/:partition/follower-lag', async ({ target, params, body }) => {
    const records = (await body()).int('records', 0);
    await checkedAsync(() => target.lagFollower(params[0], partitionOf(params[1]), records));
    return ok({ topic: params[0], partition: partitionOf(params[1]), records });
  }),

  post('/broker/down', async ({ target, body }) => {
    const mode = (await body()).optionalString('mode') ?? 'kill';
    if (mode !== 'kill' && mode !== 'stop') throw badRequest('mode must be "kill" or "stop"');
    if (target.running) await target.down(mode as DownMode);
    return ok(status(target));
  }),
  post('/broker/up', async ({ target }) => {
    if (!target.running) await target.up();
    return ok(status(target));
  }),
];

function status(target: ControlTarget): unknown {
  return {
    brokerId: target.brokerId,
    running: target.running,
    clock: target.clock === null ? 'system' : { controllable: true, advancedMs: target.clock.advancedMs, now: target.clock.now() },
  };
}

function running(target: ControlTarget): ControlTarget {
  if (!target.running) throw new ApiError(409, `Broker ${target.brokerId} is down`);
  return target;
}

function partitionOf(text: string): number {
  if (!/^\d+$/.test(text)) throw badRequest(`Invalid partition ${text}`);
  return Number(text);
}

/** A control's RangeError or TypeError (a bad spec, checked by the control itself) is the caller's mistake: a 400 with its message. */
function badSpec(err: unknown): unknown {
  return err instanceof RangeError || err instanceof TypeError ? badRequest(err.message) : err;
}

function checked<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    throw badSpec(err);
  }
}

async function checkedAsync<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw badSpec(err);
  }
}
/** ?client=…&api=… (an API's name or key) as a request log filter; the log checks the values. */
function requestFilter(query: URLSearchParams): RequestFilter {
  const filter: RequestFilter = {};
  const client = query.get('client');
  const api = query.get('api');
  if (client !== null) filter.clientId = client;
  if (api !== null && /^\d+$/.test(api)) filter.apiKey = Number(api);
  else if (api !== null) filter.api = api;
  return filter;
}
