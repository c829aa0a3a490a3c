import { Apis, Reader, Writer, codecFor } from '../../protocol';
import { RequestLog, RequestLogEntry } from '../../src/control/request-log';
import { responseErrorCodes } from '../../src/control/response-errors';

let correlationId = 0;

function entry(fields: Partial<RequestLogEntry> = {}): RequestLogEntry {
  return {
    time: 0,
    apiKey: 0,
    api: 'Produce',
    version: 9,
    correlationId: correlationId++,
    clientId: 'app',
    principal: 'User:ANONYMOUS',
    listener: 'PLAINTEXT',
    remote: '127.0.0.1:50000',
    requestBytes: 100,
    responseBytes: 50,
    latencyMs: 1,
    errorCodes: [],
    ...fields,
  };
}

const ids = (entries: RequestLogEntry[]) => entries.map((e) => e.correlationId);

describe('RequestLog', () => {
  it('is off by default and then keeps nothing', () => {
    const log = new RequestLog();
    expect(log.enabled).toBe(false);
    log.record(entry());
    expect(log.entries()).toEqual([]);
  });

  it('keeps the newest entries up to its capacity, oldest first', () => {
    const log = new RequestLog(3);
    const recorded = Array.from({ length: 5 }, () => entry());
    recorded.slice(0, 2).forEach((e) => log.record(e));
    expect(ids(log.entries())).toEqual(ids(recorded.slice(0, 2)));
    recorded.slice(2).forEach((e) => log.record(e));
    expect(ids(log.entries())).toEqual(ids(recorded.slice(2)));
    expect(ids(log.entries({}, 2))).toEqual(ids(recorded.slice(3)));
    expect(log.entries({}, 0)).toEqual([]);
  });

  it('filters by client id, API key and API name in any case', () => {
    const log = new RequestLog(10);
    const a = entry({ clientId: 'a' });
    const metadata = entry({ clientId: 'a', apiKey: 3, api: 'Metadata' });
    const b = entry({ clientId: 'b' });
    const anonymous = entry({ clientId: null });
    [a, metadata, b, anonymous].forEach((e) => log.record(e));
    expect(ids(log.entries({ clientId: 'a' }))).toEqual(ids([a, metadata]));
    expect(ids(log.entries({ api: 'produce' }))).toEqual(ids([a, b, anonymous]));
    expect(ids(log.entries({ apiKey: 3 }))).toEqual(ids([metadata]));
    expect(ids(log.entries({ api: 'PRODUCE', clientId: 'b' }))).toEqual(ids([b]));
    expect(ids(log.entries({ clientId: 'a' }, 1))).toEqual(ids([metadata]));
  });

  it('refuses filters and sizes a query string could get wrong', () => {
    const log = new RequestLog(10);
    expect(() => log.entries({ api: 'NoSuchApi' })).toThrow(RangeError);
    expect(() => log.entries({ apiKey: 999 })).toThrow(RangeError);
    expect(() => log.entries({ apiKey: 1.5 })).toThrow(RangeError);
    expect(() => log.entries({ api: 'Fetch', apiKey: 0 })).toThrow(RangeError);
    expect(() => log.entries({ client: 'a' } as never)).toThrow(RangeError);
    expect(() => log.entries({ clientId: 7 } as never)).toThrow(TypeError);
    expect(() => log.entries({}, -1)).toThrow(RangeError);
    expect(() => log.subscribe({ api: 'nope' }, () => undefined)).toThrow(RangeError);
    expect(() => log.resize(-1)).toThrow(RangeError);
    expect(() => log.resize(2.5)).toThrow(RangeError);
    expect(log.entries({ api: 'Fetch', apiKey: 1 })).toEqual([]);
  });

  it('streams later matching entries to subscribers until they unsubscribe', () => {
    const log = new RequestLog(10);
    log.record(entry({ clientId: 'a' }));
    const seen: RequestLogEntry[] = [];
    const all: RequestLogEntry[] = [];
    const unsubscribe = log.subscribe({ clientId: 'a' }, (e) => seen.push(e));
    log.subscribe({}, (e) => all.push(e));
    const live = entry({ clientId: 'a' });
    log.record(live);
    log.record(entry({ clientId: 'b' }));
    unsubscribe();
    log.record(entry({ clientId: 'a' }));
    expect(ids(seen)).toEqual(ids([live]));
    expect(all).toHaveLength(3);
  });

  it('drops a subscriber whose listener throws, and records on', () => {
    const log = new RequestLog(10);
    let calls = 0;
    log.subscribe({}, () => {
      calls++;
      throw new Error('listener bug');
    });
    log.record(entry());
    log.record(entry());
    expect(calls).toBe(1);
    expect(log.entries()).toHaveLength(2);
  });

  it('keeps the newest entries when shrunk, grows, and forgets all when turned off', () => {
    const log = new RequestLog(4);
    const recorded = Array.from({ length: 6 }, () => entry());
    recorded.forEach((e) => log.record(e));
    log.resize(2);
    expect(log.capacity).toBe(2);
    expect(ids(log.entries())).toEqual(ids(recorded.slice(4)));
    log.resize(3);
    const later = entry();
    log.record(later);
    expect(ids(log.entries())).toEqual(ids([...recorded.slice(4), later]));
    const latest = entry();
    log.record(latest);
    expect(ids(log.entries())).toEqual(ids([recorded[5], later, latest]));
    log.resize(0);
    expect(log.enabled).toBe(false);
    log.resize(3);
    expect(log.entries()).toEqual([]);
  });

  it('clears its entries but keeps its capacity', () => {
    const log = new RequestLog(2);
    log.record(entry());
    log.record(entry());
    log.clear();
    expect(log.entries()).toEqual([]);
    const next = entry();
    log.record(next);
    expect(ids(log.entries())).toEqual(ids([next]));
    expect(log.capacity).toBe(2);
  });
});

describe('responseErrorCodes', () => {
  /** A response as it travels: encoded, then decoded, so the shape is the codec's, records included. */
  function roundTrip(spec: Parameters<typeof codecFor>[0], version: number, response: unknown): unknown {
    const w = new Writer(256);
    codecFor(spec, version).response.encode(w, response);
    return codecFor(spec, version).response.decode(new Reader(Buffer.concat(w.finish())));
  }

  it('finds a partition error in a Produce response', () => {
    const response = roundTrip(Apis.Produce, 9, {
      responses: [
        { name: 'orders', partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 5n }, { index: 1, errorCode: 6, baseOffset: -1n }] },
        { name: 'payments', partitionResponses: [{ index: 0, errorCode: 6, baseOffset: -1n }] },
      ],
      throttleTimeMs: 0,
    });
    expect(responseErrorCodes(Apis.Produce, response)).toEqual([6]);
  });

  it('is empty when all is well', () => {
    const response = { responses: [{ name: 'orders', partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 5n }] }], throttleTimeMs: 0 };
    expect(responseErrorCodes(Apis.Produce, response)).toEqual([]);
    expect(responseErrorCodes(Apis.Produce, {})).toEqual([]);
  });

  it('collects top-level and partition codes of a Fetch response, past its records', () => {
    const response = roundTrip(Apis.Fetch, 12, {
      errorCode: 0,
      sessionId: 0,
      responses: [
        {
          topic: 'orders',
          partitions: [
            { partitionIndex: 0, errorCode: 0, highWatermark: 1n, records: Buffer.alloc(64, 1) },
            { partitionIndex: 1, errorCode: 1, highWatermark: -1n, records: null },
            { partitionIndex: 2, errorCode: 75, highWatermark: -1n, records: null },
          ],
        },
      ],
    });
    expect(responseErrorCodes(Apis.Fetch, response)).toEqual([1, 75]);
    expect(responseErrorCodes(Apis.Fetch, { errorCode: 15, responses: [] })).toEqual([15]);
  });

  it('reads groups, topics and the <x>ErrorCode fields of other APIs', () => {
    expect(responseErrorCodes(Apis.DescribeGroups, { groups: [{ groupId: 'g', errorCode: 16, members: [] }, { groupId: 'h', errorCode: 0, members: [] }] })).toEqual([16]);
    const addPartitions = { throttleTimeMs: 0, resultsByTopicV3AndBelow: [{ name: 't', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: 48 }] }] };
    expect(responseErrorCodes(Apis.AddPartitionsToTxn, addPartitions)).toEqual([48]);
    expect(responseErrorCodes(Apis.Metadata, { brokers: [], topics: [{ name: 't', errorCode: 3, partitions: [{ partitionIndex: 0, errorCode: 5 }] }] })).toEqual([3, 5]);
  });
});
