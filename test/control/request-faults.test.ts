import { FaultSpec, RequestFaults } from '../../src/control/request-faults';

const produce = (topic: string, partition: number) => ({ acks: -1, topicData: [{ name: topic, partitionData: [{ index: partition, records: null }] }] });

describe('RequestFaults', () => {
  it('fires on its API only, counts each firing and goes once its count is used up', () => {
    const faults = new RequestFaults();
    const fault = faults.inject({ apiKey: 0, errorCode: 6, count: 2 });
    expect(faults.match(1, {})).toBeNull();
    expect(faults.match(0, produce('t', 0))).toMatchObject({ kind: 'error', errorCode: 6 });
    expect(faults.match(0, produce('t', 0))).toMatchObject({ kind: 'error', errorCode: 6 });
    expect(faults.match(0, produce('t', 0))).toBeNull();
    expect(fault.fired).toBe(2);
    expect(faults.list()).toEqual([]);
  });

  it('fires always by default, until removed', () => {
    const faults = new RequestFaults();
    const fault = faults.inject({ apiKey: 3, delayMs: 100 });
    for (let i = 0; i < 5; i++) expect(faults.match(3, { topics: null })?.delayMs).toBe(100);
    expect(faults.list()[0].remaining).toBe('always');
    expect(faults.remove(fault.id)).toBe(true);
    expect(faults.match(3, { topics: null })).toBeNull();
    expect(fault.fired).toBe(5);
  });

  it('narrows to a topic, a partition or a group the request names', () => {
    const faults = new RequestFaults();
    faults.inject({ apiKey: 0, errorCode: 6, topic: 'orders', partition: 1 });
    faults.inject({ apiKey: 8, errorCode: 16, group: 'billing' });
    expect(faults.match(0, produce('orders', 0))).toBeNull();
    expect(faults.match(0, produce('payments', 1))).toBeNull();
    expect(faults.match(0, produce('orders', 1))).toMatchObject({ errorCode: 6 });
    expect(faults.match(8, { groupId: 'other', topics: [] })).toBeNull();
    expect(faults.match(8, { groupId: 'billing', topics: [] })).toMatchObject({ errorCode: 16 });
    expect(faults.match(2, { topics: [{ name: 'orders', partitions: [{ partitionIndex: 1 }] }] })).toBeNull();
  });

  it('narrows to a topic that a request names by id (Fetch v13+)', () => {
    const faults = new RequestFaults();
    faults.inject({ apiKey: 1, errorCode: 6, topic: 'orders', partition: 0 });
    const fetch = (topicId: string) => ({ replicaId: -1, topics: [{ topic: '', topicId, partitions: [{ partition: 0 }] }] });
    const names = (id: string) => (id === 'id-orders' ? 'orders' : id === 'id-other' ? 'other' : undefined);
    expect(faults.match(1, fetch('id-other'), names)).toBeNull();
    expect(faults.match(1, fetch('id-unknown'), names)).toBeNull();
    expect(faults.match(1, fetch('id-orders'), names)).toMatchObject({ errorCode: 6 });
  });

  it('drops the connection of the requests in its scope, before or after handling', () => {
    const faults = new RequestFaults();
    const before = faults.inject({ kind: 'drop-connection', when: 'before', apiKey: 0, topic: 'orders', count: 1 });
    const after = faults.inject({ kind: 'drop-connection', when: 'after', apiKey: 1, delayMs: 5 });
    expect(faults.match(0, produce('payments', 0))).toBeNull();
    expect(faults.match(0, produce('orders', 0))).toEqual({ kind: 'drop-connection', when: 'before', apiKey: 0, topic: 'orders', count: 1 });
    expect(faults.match(0, produce('orders', 0))).toBeNull();
    expect(faults.match(1, { topics: [] })).toMatchObject({ kind: 'drop-connection', when: 'after', delayMs: 5 });
    expect([before.fired, after.fired]).toEqual([1, 1]);
    expect(faults.list().map((f) => f.id)).toEqual([after.id]);
  });

  it('swallows every request into a black hole, from its delay on, until its count is used up', () => {
    let now = 1000;
    const faults = new RequestFaults(() => now);
    const hole = faults.inject({ kind: 'black-hole', delayMs: 50, count: 2 });
    expect(faults.match(0, produce('t', 0))).toBeNull();
    now += 50;
    expect(faults.match(0, produce('t', 0))?.kind).toBe('black-hole');
    expect(faults.match(18, {})?.kind).toBe('black-hole');
    expect(faults.match(18, {})).toBeNull();
    expect(hole.fired).toBe(2);
    expect(hole.remaining).toBe(0);
  });

  it('refuses connections, not requests, and counts each one refused', () => {
    const faults = new RequestFaults();
    const refusal = faults.inject({ kind: 'refuse-connections', count: 2 });
    expect(faults.match(0, produce('t', 0))).toBeNull();
    expect(faults.matchConnection()).toEqual({ kind: 'refuse-connections', count: 2 });
    expect(faults.matchConnection()?.kind).toBe('refuse-connections');
    expect(faults.matchConnection()).toBeNull();
    expect(refusal.fired).toBe(2);
  });

  it('leaves connections alone when only request faults are set, and clears everything at once', () => {
    const faults = new RequestFaults();
    faults.inject({ apiKey: 0, errorCode: 6 });
    faults.inject({ kind: 'black-hole' });
    expect(faults.matchConnection()).toBeNull();
    faults.clear();
    expect(faults.list()).toEqual([]);
    expect(faults.match(0, produce('t', 0))).toBeNull();
  });

  it.each<[string, unknown, RegExp]>([
    ['a count of 0', { apiKey: 0, count: 0 }, /count must be a positive integer/],
    ['a fractional count', { kind: 'black-hole', count: 1.5 }, /count must be a positive integer/],
    ['a count in a string', { kind: 'black-hole', count: '2' }, /count must be a positive integer/],
    ['a negative delay', { apiKey: 0, delayMs: -1 }, /delayMs must be a number of milliseconds/],
    ['a delay past setTimeout', { kind: 'refuse-connections', delayMs: 2 ** 31 }, /delayMs must be/],
    ['an unknown kind', { kind: 'explode', apiKey: 0 }, /unknown fault kind "explode": one of error, drop-connection, black-hole, refuse-connections/],
    ['a kind that is not a string', { kind: 3 }, /unknown fault kind 3/],
    ['no apiKey', { errorCode: 6 }, /the error fault needs an apiKey/],
    ['an apiKey in a string', { apiKey: '0' }, /apiKey must be an integer from 0 to 32767, not "0"/],
    ['an error code past int16', { apiKey: 0, errorCode: 40000 }, /errorCode must be an integer/],
    ['an empty topic', { apiKey: 0, topic: '' }, /topic must be a non-empty string/],
    ['a group that is a number', { apiKey: 9, group: 7 }, /group must be a non-empty string/],
    ['a partition without its topic', { apiKey: 0, partition: 1 }, /needs its topic/],
    ['a negative partition', { apiKey: 0, topic: 't', partition: -1 }, /partition must be an integer/],
    ['a drop with no when', { kind: 'drop-connection', apiKey: 0 }, /needs when: "before" or "after", not none/],
    ['a drop with a wrong when', { kind: 'drop-connection', apiKey: 0, when: 'during' }, /not "during"/],
    ['a field of another kind', { kind: 'black-hole', apiKey: 0 }, /the black-hole fault has no field "apiKey"/],
    ['a misspelt field', { apiKey: 0, errorcode: 6 }, /the error fault has no field "errorcode"/],
    ['null', null, /a fault spec must be an object, not null/],
    ['an array', [], /must be an object, not an array/],
  ])('refuses %s with a RangeError saying what', (_, spec, message) => {
    const faults = new RequestFaults();
    expect(() => faults.inject(spec as FaultSpec)).toThrow(RangeError);
    expect(() => faults.inject(spec as FaultSpec)).toThrow(message);
    expect(faults.list()).toEqual([]);
  });

  it('takes a spec parsed from JSON and keeps a copy, not the caller’s object', () => {
    const faults = new RequestFaults();
    const spec = JSON.parse('{"kind":"drop-connection","when":"after","apiKey":0,"count":"always"}');
    const fault = faults.inject(spec);
    spec.apiKey = 1;
    expect(fault.spec).toEqual({ kind: 'drop-connection', when: 'after', apiKey: 0, count: 'always' });
    expect(fault.remaining).toBe('always');
  });
});
