// The __transaction_state record format, pinned byte for byte against Kafka 3.9's TransactionLog
// layout: key [int16 0][string id], value [int16 version][TransactionLogValue].
import {
  TransactionStatus,
  decodeTransactionLogKey,
  decodeTransactionLogValue,
  encodeTransactionLogKey,
  encodeTransactionLogValue,
} from '../../../protocol/internal/transaction-log';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

const ongoing = {
  producerId: 1000n,
  producerEpoch: 2,
  transactionTimeoutMs: 60000,
  transactionStatus: TransactionStatus.Ongoing,
  transactionPartitions: [{ topic: 't', partitionIds: [0, 3] }],
  transactionLastUpdateTimestampMs: 5000n,
  transactionStartTimestampMs: 4000n,
};

describe('transaction log codec', () => {
  it('writes the key as version 0 then the transactional id', () => {
    const key = encodeTransactionLogKey('txn-1');
    expect(key).toEqual(hex('0000 0005 74786e2d31'));
    expect(decodeTransactionLogKey(key)).toBe('txn-1');
  });

  it('skips keys of other record versions', () => {
    expect(decodeTransactionLogKey(hex('0001 0001 61'))).toBeNull();
  });

  it('writes value version 0 as Kafka 3.9 does', () => {
    const value = encodeTransactionLogValue(ongoing);
    expect(value).toEqual(
      hex(`0000
        00000000000003e8 0002 0000ea60 01
        00000001 0001 74 00000002 00000000 00000003
        0000000000001388 0000000000000fa0`),
    );
    expect(decodeTransactionLogValue(value)).toEqual(ongoing);
  });

  it('writes an Empty state with null partitions', () => {
    const empty = { ...ongoing, transactionStatus: TransactionStatus.Empty, transactionPartitions: null, transactionStartTimestampMs: -1n };
    const value = encodeTransactionLogValue(empty);
    expect(value).toEqual(hex('0000 00000000000003e8 0002 0000ea60 00 ffffffff 0000000000001388 ffffffffffffffff'));
    expect(decodeTransactionLogValue(value)).toEqual(empty);
  });

  it('reads the flexible version 1', () => {
    const value = hex(`0001
      00000000000003e8 0002 0000ea60 01
      02 0274 03 00000000 00000003 00
      0000000000001388 0000000000000fa0 00`);
    expect(decodeTransactionLogValue(value)).toEqual(ongoing);
    expect(encodeTransactionLogValue(ongoing, 1)).toEqual(value);
  });

  it('refuses unknown value versions', () => {
    expect(() => decodeTransactionLogValue(hex('0002 00'))).toThrow('Unknown version 2');
  });
});
