// The message routes of the console API: browse (message-browser.ts), the live tail over
// server-sent events (live-tail.ts), produce one record with the client's own producer, and a
// partition's active producers (DescribeProducers at its leader).

import { Producer } from '../client/producer';
import { describeProducers } from '../tools/transactions/transactions-admin';
import { badRequest } from './api-error';
import { queryInt, queryPartitions } from './http-io';
import { streamTail } from './live-tail';
import { browse, parseStart } from './message-browser';
import { PartitionReader } from './partition-reader';
import { buildFilter } from './record-filter';
import { parseDecoding } from './record-view';
import { ApiContext, Route, ok, route } from './routes';

/** The largest key plus value plus headers one produce call takes. */
export const MAX_PRODUCE_BYTES = 1024 * 1024;

export const messageRoutes: Route[] = [
  route('GET', '/api/topics/:name/messages', browseMessages),
  route('GET', '/api/topics/:name/tail', tail),
  route('POST', '/api/topics/:name/produce', produce),
  route('GET', '/api/topics/:name/producers', producers),
];

async function browseMessages(ctx: ApiContext) {
  const q = ctx.query;
  const isolation = q.get('isolation') || 'read_uncommitted';
  if (isolation !== 'read_committed' && isolation !== 'read_uncommitted') throw badRequest(`Unknown isolation ${isolation}: use read_committed or read_uncommitted`);
  const direction = q.get('direction');
  if (direction !== null && direction !== '' && direction !== 'next' && direction !== 'prev') throw badRequest(`Unknown direction ${direction}: use next or prev`);
  const page = await browse(
    ctx.client,
    {
      topic: ctx.params[0],
      partitions: queryPartitions(q),
      start: parseStart(q.get('start')),
      limit: queryInt(q, 'limit', 50, 1, 500),
      cursor: q.get('cursor') || null,
      filter: buildFilter({ filter: q.get('filter'), filterOn: q.get('filterOn'), filterMode: q.get('filterMode'), headerKey: q.get('headerKey') }),
      decoding: parseDecoding(q.get('decode')),
      readCommitted: isolation === 'read_committed',
    },
    ctx.budget,
  );
  return ok(page);
}

async function tail(ctx: ApiContext) {
  let closed = false;
  ctx.req.on('close', () => (closed = true));
  await streamTail(ctx.client, ctx.params[0], queryPartitions(ctx.query), parseDecoding(ctx.query.get('decode')), ctx.res, () => closed || ctx.res.destroyed);
  if (!ctx.res.writableEnded) ctx.res.end();
  return undefined;
}

async function produce(ctx: ApiContext) {
  const topic = ctx.params[0];
  const f = await ctx.body();
  const partition = f.optionalInt('partition', 0);
  const key = f.optionalString('key');
  const value = f.optionalString('value');
  const rawHeaders = f.raw('headers') ?? [];
  if (!Array.isArray(rawHeaders)) throw badRequest('headers must be a list of {key, value}');
  const headers = rawHeaders.map((h: unknown) => {
    const o = h as { key?: unknown; value?: unknown } | null;
    if (typeof o?.key !== 'string' || (o.value !== null && o.value !== undefined && typeof o.value !== 'string')) throw badRequest('headers must be a list of {key, value} strings');
    return { key: o.key, value: typeof o.value === 'string' ? Buffer.from(o.value) : null };
  });
  const keyBytes = key === null ? null : Buffer.from(key);
  const valueBytes = value === null ? null : Buffer.from(value);
  const size = (keyBytes?.length ?? 0) + (valueBytes?.length ?? 0) + headers.reduce((n, h) => n + Buffer.byteLength(h.key) + (h.value?.length ?? 0), 0);
  if (size > MAX_PRODUCE_BYTES) throw badRequest(`The record is too large: ${size} bytes, over the console's limit of ${MAX_PRODUCE_BYTES}`);
  const leaders = await new PartitionReader(ctx.client, topic, false).leaders(partition === null ? null : [partition]);
  if (leaders.size === 0) throw badRequest(`Topic ${topic} has no partitions`);
  const producer = new Producer(ctx.client, { maxBlockMs: 10_000, deliveryTimeoutMs: 15_000, requestTimeoutMs: 10_000 });
  try {
    const sent = producer.send({ topic, partition: partition ?? undefined, key: keyBytes, value: valueBytes, headers });
    await producer.flush();
    const meta = await sent;
    return ok({ partition: meta.partition, offset: meta.offset });
  } finally {
    await producer.close().catch(() => undefined);
  }
}

async function producers(ctx: ApiContext) {
  const topic = ctx.params[0];
  const leaders = await new PartitionReader(ctx.client, topic, false).leaders(queryPartitions(new URLSearchParams({ partitions: ctx.query.get('partition') ?? '' })));
  const found = await describeProducers(
    ctx.client,
    [...leaders.keys()].map((partition) => ({ topic, partition })),
    null,
  );
  return ok(
    [...found].flatMap(([tp, states]) =>
      states.map((s) => ({
        partition: Number(tp.slice(tp.lastIndexOf('-') + 1)),
        producerId: s.producerId,
        producerEpoch: s.producerEpoch,
        lastSequence: s.lastSequence,
        lastTimestamp: s.lastTimestamp,
        coordinatorEpoch: s.coordinatorEpoch,
        currentTransactionStartOffset: s.currentTransactionStartOffset,
      })),
    ),
  );
}
