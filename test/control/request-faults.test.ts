import { RequestFaults } from '../../src/control/request-faults';

const produce = (topic: string, partition: number) => ({ acks: -1, topicData: [{ name: topic, partitionData: [{ index: partition, records: null }] }] });

describe('RequestFaults', () => {
  it('fires on its API only, counts each firing and goes once its count is used up', () => {
    const faults = new RequestFaults();
    const fault = faults.inject({ apiKey: 0, errorCode: 6, count: 2 });
    expect(faults.match(1, {})).toBeNull();
    expect(faults.match(0, produce('t', 0))?.errorCode).toBe(6);
    expect(faults.match(0, produce('t', 0))?.errorCode).toBe(6);
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
    expect(faults.match(0, produce('orders', 1))?.errorCode).toBe(6);
    expect(faults.match(8, { groupId: 'other', topics: [] })).toBeNull();
    expect(faults.match(8, { groupId: 'billing', topics: [] })?.errorCode).toBe(16);
    expect(faults.match(2, { topics: [{ name: 'orders', partitions: [{ partitionIndex: 1 }] }] })).toBeNull();
  });

  it('refuses a count that is not a positive integer', () => {
    expect(() => new RequestFaults().inject({ apiKey: 0, count: 0 })).toThrow(RangeError);
  });
});
