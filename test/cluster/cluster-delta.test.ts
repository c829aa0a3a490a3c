// The cluster view's deltas: what a TopicIndex records as topics are replaced, and what a take
// reports against the last one, brokers and controller included.

import { isEmptyDelta } from '../../src/cluster/cluster-delta';
import { PartitionInfo, TopicInfo } from '../../src/cluster/topic';
import { TopicIndex } from '../../src/cluster/topic-index';

const p = (leader: number, leaderEpoch = 0, isr = [1, 2], replicas = [1, 2]): PartitionInfo => ({ leader, leaderEpoch, isr, replicas });
const topic = (name: string, partitions: PartitionInfo[], configs: Record<string, string> = {}, id = `${name}-id`): TopicInfo => ({ name, id, partitions, configs });
const brokers = (...ids: number[]) => ids.map((id) => ({ id, endpoints: [{ host: 'h', port: 9000 + id }] }));

test('a new topic is created with every partition, before null', () => {
  const index = new TopicIndex();
  index.set(topic('t', [p(1), p(2)]));
  const d = index.changes.take(brokers(1, 2), 1);
  expect(d.topicsCreated).toEqual(['t']);
  expect(d.partitions.map((c) => [c.partition, c.before, c.after?.leader])).toEqual([
    [0, null, 1],
    [1, null, 2],
  ]);
  expect([d.brokersUp, d.controllerChanged]).toEqual([[1, 2], true]);
});

test('only partitions whose leader, epoch, ISR or replicas moved are reported, with their first state before', () => {
  const index = new TopicIndex();
  index.set(topic('t', [p(1), p(2), p(1)]));
  index.changes.take(brokers(1, 2), 1);
  index.set(topic('t', [p(1), p(2, 1), p(1, 0, [1])]));
  index.set(topic('t', [p(1), p(1, 2), p(1, 0, [1])]));
  const d = index.changes.take(brokers(1, 2), 1);
  expect(d.partitions.map((c) => [c.partition, c.before?.leader, c.after?.leader, c.after?.isr])).toEqual([
    [1, 2, 1, [1, 2]],
    [2, 1, 1, [1]],
  ]);
  expect(d.topicsCreated).toEqual([]);
  expect(d.controllerChanged).toBe(false);
});

test('nothing changed is an empty delta, and so is a change undone before the view reports', () => {
  const index = new TopicIndex();
  index.set(topic('t', [p(1)]));
  index.changes.take(brokers(1), 1);
  expect(isEmptyDelta(index.changes.take(brokers(1), 1))).toBe(true);
  index.set(topic('t', [p(2)]));
  index.set(topic('t', [p(1)]));
  expect(isEmptyDelta(index.changes.take(brokers(1), 1))).toBe(true);
});

test('configs changed, topics deleted, and a topic recreated under a new id', () => {
  const index = new TopicIndex();
  index.set(topic('a', [p(1)]));
  index.set(topic('b', [p(1)]));
  index.set(topic('c', [p(1)]));
  index.changes.take(brokers(1), 1);
  index.set(topic('a', [p(1)], { 'retention.ms': '1' }));
  index.delete('b');
  index.set(topic('c', [p(1)], {}, 'c-new-id'));
  const d = index.changes.take(brokers(1), 1);
  expect(d.configsChanged).toEqual(['a']);
  expect(d.topicsDeleted.sort()).toEqual(['b', 'c']);
  expect(d.topicsCreated).toEqual(['c']);
  expect(d.partitions.filter((c) => c.topic === 'b').map((c) => c.after)).toEqual([null]);
  expect(d.partitions.filter((c) => c.topic === 'c').map((c) => [c.before === null, c.after === null])).toEqual([
    [false, true],
    [true, false],
  ]);
});

test('brokers up, down and re-registered, and a new controller', () => {
  const index = new TopicIndex();
  index.changes.take(brokers(1, 2), 1);
  const moved = [...brokers(1), { id: 3, endpoints: [{ host: 'h', port: 1 }] }, { id: 2, endpoints: [{ host: 'other', port: 9002 }] }];
  const d = index.changes.take(moved, 2);
  expect([d.brokersUp, d.brokersDown, d.brokersChanged, d.controllerChanged]).toEqual([[3], [], [2], true]);
  const gone = index.changes.take(brokers(1), 2);
  expect([gone.brokersDown.sort(), gone.brokersUp, gone.controllerChanged]).toEqual([[2, 3], [], false]);
});
