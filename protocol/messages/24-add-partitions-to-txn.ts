// AddPartitionsToTxn (key 24): versions 0-5, flexible 3+.
import { api, arr, f } from '../spec';

const addPartitionsToTxnTopic = [
  f('name', 'string'),
  arr('partitions', 'int32'),
] as const;

const addPartitionsToTxnPartitionResult = [
  f('partitionIndex', 'int32'),
  f('partitionErrorCode', 'int16'),
] as const;

const addPartitionsToTxnTopicResult = [
  f('name', 'string'),
  arr('resultsByPartition', addPartitionsToTxnPartitionResult),
] as const;

export const AddPartitionsToTxn = api(
  24,
  'AddPartitionsToTxn',
  '0-5',
  '3+',
  [
    arr('transactions', [
      f('transactionalId', 'string', '4+'),
      f('producerId', 'int64', '4+'),
      f('producerEpoch', 'int16', '4+'),
      f('verifyOnly', 'bool', '4+', { default: false }),
      arr('topics', addPartitionsToTxnTopic, '4+'),
    ], '4+'),
    f('v3AndBelowTransactionalId', 'string', '0-3'),
    f('v3AndBelowProducerId', 'int64', '0-3'),
    f('v3AndBelowProducerEpoch', 'int16', '0-3'),
    arr('v3AndBelowTopics', addPartitionsToTxnTopic, '0-3'),
  ],
  [
    f('throttleTimeMs', 'int32'),
    f('errorCode', 'int16', '4+'),
    arr('resultsByTransaction', [
      f('transactionalId', 'string', '4+'),
      arr('topicResults', addPartitionsToTxnTopicResult, '4+'),
    ], '4+'),
    arr('resultsByTopicV3AndBelow', addPartitionsToTxnTopicResult, '0-3'),
  ],
);
