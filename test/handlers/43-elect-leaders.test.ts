// ElectLeaders in-process: the election type per version (v0 always preferred), the partitions named
// or all (null), results grouped by topic, and a controller's refusal at the top level (v1+) or,
// in v0, on every partition named.

import { Apis, ErrorCode, KafkaError, MessageInput } from '../../protocol';
import { ElectionResult } from '../../src/cluster/cluster';
import { TopicPartition } from '../../src/cluster/topic';
import electLeaders from '../../src/handlers/43-elect-leaders';
import { TestBroker, call, fakeController, testBroker } from './fake-context';

type Body = MessageInput<typeof Apis.ElectLeaders.request>;

const PREFERRED = 0;
const UNCLEAN = 1;

let b: TestBroker;
let asked: { type: number; partitions: TopicPartition[] | null }[];
let elect: (partitions: TopicPartition[] | null) => Promise<ElectionResult[]>;
beforeEach(async () => {
  asked = [];
  elect = async (partitions) => (partitions ?? []).map((tp) => ({ ...tp, errorCode: ErrorCode.NONE, errorMessage: null }));
  b = await testBroker({
    controller: fakeController({
      electLeaders: (type, partitions) => {
        asked.push({ type, partitions });
        return elect(partitions);
      },
    }),
  });
});
afterEach(() => b.close());

const send = (version: number, body: Body) => call<typeof Apis.ElectLeaders>(electLeaders, b.ctx(version), body);
const named: Body['topicPartitions'] = [
  { topic: 'x', partitions: [0, 1] },
  { topic: 'y', partitions: [2] },
];

test('results are grouped by topic, each partition with its own outcome', async () => {
  elect = async () => [
    { topic: 'x', partition: 0, errorCode: ErrorCode.NONE, errorMessage: null },
    { topic: 'y', partition: 2, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: 'no such partition' },
    { topic: 'x', partition: 1, errorCode: ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE, errorMessage: 'not in the ISR' },
  ];
  const res = await send(2, { electionType: PREFERRED, topicPartitions: named });
  expect(res!.errorCode).toBe(ErrorCode.NONE);
  expect(res!.replicaElectionResults).toEqual([
    {
      topic: 'x',
      partitionResult: [
        { partitionId: 0, errorCode: ErrorCode.NONE, errorMessage: null },
        { partitionId: 1, errorCode: ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE, errorMessage: 'not in the ISR' },
      ],
    },
    { topic: 'y', partitionResult: [{ partitionId: 2, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: 'no such partition' }] },
  ]);
  expect(asked).toEqual([
    {
      type: PREFERRED,
      partitions: [
        { topic: 'x', partition: 0 },
        { topic: 'x', partition: 1 },
        { topic: 'y', partition: 2 },
      ],
    },
  ]);
});

test('v1+ pass the election type on; v0 is always a preferred election', async () => {
  await send(1, { electionType: UNCLEAN, topicPartitions: named });
  await send(0, { topicPartitions: named });
  expect(asked.map((a) => a.type)).toEqual([UNCLEAN, PREFERRED]);
});

test('a null partition list asks for every partition', async () => {
  elect = async () => [{ topic: 'z', partition: 0, errorCode: ErrorCode.NONE, errorMessage: null }];
  const res = await send(2, { electionType: PREFERRED, topicPartitions: null });
  expect(asked[0].partitions).toBeNull();
  expect(res!.replicaElectionResults.map((r) => r.topic)).toEqual(['z']);
});

test('a refusal is the top-level error from v1, and every named partition carries it', async () => {
  elect = async () => {
    throw new KafkaError(ErrorCode.NOT_CONTROLLER, 'This is not the controller.');
  };
  const v2 = await send(2, { electionType: PREFERRED, topicPartitions: named });
  expect(v2!.errorCode).toBe(ErrorCode.NOT_CONTROLLER);
  const v0 = await send(0, { topicPartitions: named });
  expect(v0!.replicaElectionResults.flatMap((t) => t.partitionResult.map((p) => [t.topic, p.partitionId, p.errorCode, p.errorMessage]))).toEqual([
    ['x', 0, ErrorCode.NOT_CONTROLLER, 'This is not the controller.'],
    ['x', 1, ErrorCode.NOT_CONTROLLER, 'This is not the controller.'],
    ['y', 2, ErrorCode.NOT_CONTROLLER, 'This is not the controller.'],
  ]);
  const all = await send(1, { electionType: PREFERRED, topicPartitions: null });
  expect(all).toMatchObject({ errorCode: ErrorCode.NOT_CONTROLLER, replicaElectionResults: [] });
});
