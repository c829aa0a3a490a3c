// ControlledShutdown in-process: the controller is asked with the broker's id and epoch (none before
// v2), the partitions it still leads are answered, and the controller's refusals become error codes.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { TopicPartition } from '../../src/cluster/topic';
import controlledShutdown from '../../src/handlers/07-controlled-shutdown';
import { TestBroker, call, fakeController, testBroker } from './fake-context';

let b: TestBroker;
let asked: string[];
let answer: () => Promise<TopicPartition[]>;
beforeEach(async () => {
  asked = [];
  answer = async () => [];
  b = await testBroker({
    controller: fakeController({
      controlledShutdown: (brokerId, brokerEpoch) => {
        asked.push(`broker ${brokerId} epoch ${brokerEpoch}`);
        return answer();
      },
    }),
  });
});
afterEach(() => b.close());

const send = (version: number, brokerEpoch?: bigint) => call<typeof Apis.ControlledShutdown>(controlledShutdown, b.ctx(version), { brokerId: 3, brokerEpoch });

test('answers the partitions the broker still leads', async () => {
  answer = async () => [
    { topic: 'x', partition: 0 },
    { topic: 'y', partition: 2 },
  ];
  const res = await send(3, 42n);
  expect(res).toEqual({
    errorCode: ErrorCode.NONE,
    remainingPartitions: [
      { topicName: 'x', partitionIndex: 0 },
      { topicName: 'y', partitionIndex: 2 },
    ],
  });
  expect(asked).toEqual(['broker 3 epoch 42']);
});

test('v0-1 carry no broker epoch: the controller is asked with -1', async () => {
  await send(1, 42n);
  await send(2, 42n);
  expect(asked).toEqual(['broker 3 epoch -1', 'broker 3 epoch 42']);
});

test.each([ErrorCode.NOT_CONTROLLER, ErrorCode.STALE_BROKER_EPOCH])('the controller refusing with %i is answered with that code and no partitions', async (code) => {
  answer = async () => {
    throw new KafkaError(code, 'refused');
  };
  expect(await send(3, 42n)).toEqual({ errorCode: code, remainingPartitions: [] });
});

test('an unexpected failure is left to the dispatcher', async () => {
  answer = async () => {
    throw new Error('zookeeper went away');
  };
  await expect(send(3, 42n)).rejects.toThrow('zookeeper went away');
});
