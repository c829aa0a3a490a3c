// kafka-dump-log.sh against Kafka 3.9's DumpLogSegments output: hand-built segments, indexes, snapshots and
// transaction indexes with exact expected lines (v2 batches, legacy magic 0/1 messages, control batches,
// decoders, index mismatches and sanity checks), and the files a real kafka-ts broker wrote.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Apis, ErrorCode } from '../../protocol';
import { dataCodecFor } from '../../protocol/codec/api-codec';
import { Writer } from '../../protocol/codec/writer';
import { GroupMetadataValue } from '../../protocol/internal/consumer-offsets';
import { encodeTransactionLogKey, encodeTransactionLogValue } from '../../protocol/internal/transaction-log';
import { DataSpec } from '../../protocol/spec';
import { Compression, buildBatch, crc32, readBatchHeader } from '../../protocol/records';
import { encodeProducerSnapshot } from '../../src/log/producer-snapshot';
import { encodeAbortedTxn } from '../../src/log/txn-index';
import { ConsumerProtocolAssignment, ConsumerProtocolSubscription } from '../../protocol/internal/consumer-protocol';
import { command, dumpLogSegments } from '../../src/tools/dump-log/dump-log';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { runTool } from '../helpers/run-tool';
import { connectClient } from '../helpers/test-client';
import { waitFor } from '../helpers/wait';

const T0 = 1_700_000_000_000;
const BASE = '00000000000000000000';
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dump-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function dump(...args: string[]): { out: string; err: string; code: number } {
  let out = '';
  let err = '';
  const code = dumpLogSegments(command.parse(args), { out: (t) => (out += t), err: (t) => (err += t) });
  return { out, err, code };
}

function file(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const plainBatch = () =>
  buildBatch(
    [
      { key: null, value: Buffer.from('hello'), timestamp: T0 },
      { key: Buffer.from('k'), value: Buffer.from('v'), headers: [{ key: 'h1', value: Buffer.from('x') }, { key: 'h2', value: null }], timestamp: T0 + 1 },
    ],
    { baseOffset: 0, baseTimestamp: T0, partitionLeaderEpoch: 0 },
  );

/** A legacy (magic 0/1) message: [offset][size][crc][magic][attributes][timestamp v1][key][value]. */
function legacyMessage(offset: number, magic: 0 | 1, timestamp: number, key: string | null, value: string | null): Buffer {
  const bytes = (s: string | null) => {
    const len = Buffer.alloc(4);
    len.writeInt32BE(s === null ? -1 : Buffer.byteLength(s));
    return s === null ? len : Buffer.concat([len, Buffer.from(s)]);
  };
  const ts = Buffer.alloc(8);
  ts.writeBigInt64BE(BigInt(timestamp));
  const body = Buffer.concat([Buffer.from([magic, 0]), magic === 1 ? ts : Buffer.alloc(0), bytes(key), bytes(value)]);
  const head = Buffer.alloc(16);
  head.writeBigInt64BE(BigInt(offset), 0);
  head.writeInt32BE(body.length + 4, 8);
  head.writeUInt32BE(crc32(body), 12);
  return Buffer.concat([head, body]);
}

test('a v2 segment: batch and record lines exactly as Kafka prints them, payloads, headers and trailing bytes', () => {
  const batch = plainBatch();
  const log = file(`${BASE}.log`, Buffer.concat([batch, Buffer.from([1, 2, 3])]));
  const crc = readBatchHeader(batch).crc >>> 0;
  expect(dump('--files', log, '--print-data-log')).toEqual({
    out: [
      `Dumping ${log}`,
      'Log starting offset: 0',
      `baseOffset: 0 lastOffset: 1 count: 2 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: ${T0 + 1} size: ${batch.length} magic: 2 compresscodec: none crc: ${crc} isvalid: true`,
      `| offset: 0 CreateTime: ${T0} keySize: -1 valueSize: 5 sequence: -1 headerKeys: [] payload: hello`,
      `| offset: 1 CreateTime: ${T0 + 1} keySize: 1 valueSize: 1 sequence: -1 headerKeys: [h1,h2] key: k payload: v`,
      `Found 3 invalid bytes at the end of ${BASE}.log`,
      '',
    ].join('\n'),
    err: '',
    code: 0,
  });
  // --max-bytes stops before a batch that does not fit, and leaves out the report of trailing bytes.
  expect(dump('--files', log, '--max-bytes', String(batch.length - 1)).out).toBe(`Dumping ${log}\nLog starting offset: 0\n`);
  expect(dump('--files', log, '--max-bytes', String(batch.length + 2)).out.split('\n')).toHaveLength(4);
  // Shallow iteration prints only the batch line; --skip-record-metadata leaves only key and payload.
  expect(dump('--files', log).out.split('\n')).toHaveLength(5);
  expect(dump('--files', log, '--print-data-log', '--skip-record-metadata').out).toContain('\n| key: k payload: v\n');
  expect(dump('--files', log, '--deep-iteration').out).toContain(`| offset: 1 CreateTime: ${T0 + 1} keySize: 1 valueSize: 1 sequence: -1 headerKeys: [h1,h2]\n`);
});

test('producer batches, compression, a corrupted CRC, sequences and a transaction marker', () => {
  const gz = buildBatch([{ key: null, value: Buffer.from('a'), timestamp: T0 }, { key: null, value: Buffer.from('b'), timestamp: T0 + 7 }], {
    baseOffset: 10,
    baseTimestamp: T0,
    compression: Compression.GZIP,
    producerId: 42n,
    producerEpoch: 3,
    baseSequence: 5,
    transactional: true,
    partitionLeaderEpoch: 2,
  });
  const marker = buildBatch([{ key: Buffer.from([0, 0, 0, 1]), value: Buffer.from([0, 0, 0, 0, 0, 9]), timestamp: T0 + 9 }], {
    baseOffset: 12,
    baseTimestamp: T0 + 9,
    producerId: 42n,
    producerEpoch: 3,
    transactional: true,
    control: true,
    partitionLeaderEpoch: 2,
  });
  const broken = Buffer.from(plainBatch());
  broken.writeBigInt64BE(13n, 0);
  broken.writeUInt32BE(12345, 17); // a stored CRC that no longer matches
  const log = file(`${BASE}.log`, Buffer.concat([gz, marker, broken]));
  const { out, err } = dump('--files', log, '--print-data-log');
  const lines = out.split('\n');
  expect(lines[2]).toBe(
    `baseOffset: 10 lastOffset: 11 count: 2 baseSequence: 5 lastSequence: 6 producerId: 42 producerEpoch: 3 partitionLeaderEpoch: 2 isTransactional: true isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: ${T0 + 7} size: ${gz.length} magic: 2 compresscodec: gzip crc: ${readBatchHeader(gz).crc >>> 0} isvalid: true`,
  );
  expect(lines[3]).toBe(`| offset: 10 CreateTime: ${T0} keySize: -1 valueSize: 1 sequence: 5 headerKeys: [] payload: a`);
  expect(lines[4]).toBe(`| offset: 11 CreateTime: ${T0 + 7} keySize: -1 valueSize: 1 sequence: 6 headerKeys: [] payload: b`);
  expect(lines[5]).toContain('baseOffset: 12 lastOffset: 12 count: 1 baseSequence: -1 lastSequence: -1 producerId: 42 producerEpoch: 3 partitionLeaderEpoch: 2 isTransactional: true isControl: true');
  expect(lines[6]).toBe(`| offset: 12 CreateTime: ${T0 + 9} keySize: 4 valueSize: 6 sequence: -1 headerKeys: [] endTxnMarker: COMMIT coordinatorEpoch: 9`);
  expect(lines[7]).toMatch(/^baseOffset: 13 lastOffset: 14 .* position: \d+ CreateTime: \d+ size: 91 magic: 2 compresscodec: none crc: \d+ isvalid: false$/);
  expect(err).toBe('');
});

test('legacy magic 0 and 1 messages: offset lines, NoTimestampType, the per-record CRC and Kafka\'s stray brace', () => {
  const v0 = legacyMessage(0, 0, -1, 'k', 'old');
  const v1 = legacyMessage(1, 1, T0, null, 'newer');
  const log = file(`${BASE}.log`, Buffer.concat([v0, v1]));
  const crc0 = v0.readUInt32BE(12);
  const crc1 = v1.readUInt32BE(12);
  expect(dump('--files', log, '--print-data-log').out).toBe(
    [
      `Dumping ${log}`,
      'Log starting offset: 0',
      `offset: 0 position: 0 NoTimestampType: -1 size: ${v0.length} magic: 0 compresscodec: none crc: ${crc0} isvalid: true`,
      `| offset: 0 NoTimestampType: -1 keySize: 1 valueSize: 3 isValid: true crc: ${crc0}} key: k payload: old`,
      `offset: 1 position: ${v0.length} CreateTime: ${T0} size: ${v1.length} magic: 1 compresscodec: none crc: ${crc1} isvalid: true`,
      `| offset: 1 CreateTime: ${T0} keySize: -1 valueSize: 5 isValid: true crc: ${crc1}} payload: newer`,
      '',
    ].join('\n'),
  );
});

test('non-consecutive offsets are reported on stderr, newest first, as Kafka\'s list prepends them', () => {
  const a = buildBatch([{ key: null, value: Buffer.from('a') }], { baseOffset: 0, baseTimestamp: T0 });
  const b = buildBatch([{ key: null, value: Buffer.from('b') }], { baseOffset: 5, baseTimestamp: T0 });
  const c = buildBatch([{ key: null, value: Buffer.from('c') }], { baseOffset: 9, baseTimestamp: T0 });
  const log = file(`${BASE}.log`, Buffer.concat([a, b, c]));
  expect(dump('--files', log, '--deep-iteration').err).toBe(`Non-consecutive offsets in ${log}\n  5 is followed by 9\n  0 is followed by 5\n`);
});

test('offset and time indexes: entries, zero slots of a preallocated file, mismatches, sanity checks', () => {
  const a = buildBatch([{ key: null, value: Buffer.from('a'), timestamp: T0 }], { baseOffset: 0, baseTimestamp: T0 });
  const b = buildBatch([{ key: null, value: Buffer.from('b'), timestamp: T0 + 5 }, { key: null, value: Buffer.from('c'), timestamp: T0 + 3 }], { baseOffset: 1, baseTimestamp: T0 + 5 });
  file(`${BASE}.log`, Buffer.concat([a, b]));
  const index = Buffer.alloc(32); // two entries, then zero slots as in Kafka's preallocated active index
  index.writeInt32BE(0, 0);
  index.writeInt32BE(0, 4);
  index.writeInt32BE(1, 8); // batch b's last offset is 2: a mismatch
  index.writeInt32BE(a.length, 12);
  const idx = file(`${BASE}.index`, index);
  expect(dump('--files', idx)).toEqual({
    out: `Dumping ${idx}\noffset: 0 position: 0\noffset: 1 position: ${a.length}\n`,
    err: `Mismatches in :${idx}\n  Index offset: 1, log offset: 2\n`,
    code: 0,
  });
  expect(dump('--files', idx, '--verify-index-only').out).toBe(`Dumping ${idx}\n`);
  expect(dump('--files', idx, '--index-sanity-check').out).toBe(`Dumping ${idx}\n${idx} passed sanity check.\n`);

  const time = Buffer.alloc(24);
  time.writeBigInt64BE(BigInt(T0), 0);
  time.writeInt32BE(0, 8);
  time.writeBigInt64BE(BigInt(T0 + 4), 12); // the batch ending at 2 has max timestamp T0 + 5
  time.writeInt32BE(2, 20);
  const tix = file(`${BASE}.timeindex`, time);
  expect(dump('--files', tix)).toEqual({
    out: `Dumping ${tix}\ntimestamp: ${T0} offset: 0\ntimestamp: ${T0 + 4} offset: 2\n`,
    err: `Found timestamp mismatch in :${tix}\n  Index timestamp: ${T0 + 4}, log timestamp: ${T0 + 5}\n`,
    code: 0,
  });

  const torn = file(`${BASE}.index`, Buffer.alloc(12, 1));
  const failed = dump('--files', torn, '--index-sanity-check');
  expect(failed.code).toBe(1);
  expect(failed.err).toBe(
    `Exception in thread "main" org.apache.kafka.common.errors.CorruptIndexException: Index file ${torn} is corrupt, found 12 bytes which is neither positive nor a multiple of 8\n`,
  );
  expect(dump('--files', file(`${BASE}.index`, Buffer.alloc(0))).out).toBe(`Dumping ${torn}\n${torn} is empty.\n`);
});

test('producer snapshots and transaction indexes', () => {
  const snap = file(
    `${BASE}.snapshot`,
    encodeProducerSnapshot([
      { producerId: 7n, producerEpoch: 1, lastSequence: 9, lastOffset: 20, offsetDelta: 4, timestamp: T0, coordinatorEpoch: 3, currentTxnFirstOffset: 16 },
      { producerId: 8n, producerEpoch: 0, lastSequence: -1, lastOffset: -1, offsetDelta: 0, timestamp: -1, coordinatorEpoch: 2, currentTxnFirstOffset: -1 },
    ]),
  );
  expect(dump('--files', snap).out).toBe(
    [
      `Dumping ${snap}`,
      `producerId: 7 producerEpoch: 1 coordinatorEpoch: 3 currentTxnFirstOffset: OptionalLong[16] lastTimestamp: ${T0} firstSequence: 5 lastSequence: 9 lastOffset: 20 offsetDelta: 4 timestamp: ${T0}`,
      'producerId: 8 producerEpoch: 0 coordinatorEpoch: 2 currentTxnFirstOffset: OptionalLong.empty lastTimestamp: -1 ',
      '',
    ].join('\n'),
  );
  const corrupt = encodeProducerSnapshot([]);
  corrupt.writeUInt32BE(1, 2);
  expect(dump('--files', file(`${BASE}.snapshot`, corrupt)).err).toMatch(/^Snapshot is corrupt \(CRC is no longer valid\)\. Stored crc: 1\. Computed crc: \d+\n$/);

  const txn = file(`${BASE}.txnindex`, Buffer.concat([encodeAbortedTxn({ producerId: 7n, firstOffset: 3, lastOffset: 6, lastStableOffset: 7 })]));
  expect(dump('--files', txn).out).toBe(`Dumping ${txn}\nversion: 0 producerId: 7 firstOffset: 3 lastOffset: 6 lastStableOffset: 7\n`);
  expect(dump('--files', file('notes.txt', Buffer.alloc(0))).err).toBe(`Ignoring unknown file ${join(dir, 'notes.txt')}\n`);
});

test('--transaction-log-decoder and --offsets-decoder, and Kafka\'s decoder classes', () => {
  const txnValue = encodeTransactionLogValue({
    producerId: 4n,
    producerEpoch: 1,
    transactionTimeoutMs: 60000,
    transactionStatus: 1,
    transactionPartitions: [{ topic: 't', partitionIds: [0, 1] }],
    transactionLastUpdateTimestampMs: BigInt(T0),
    transactionStartTimestampMs: BigInt(T0),
  });
  const txnLog = file(`${BASE}.log`, buildBatch([{ key: encodeTransactionLogKey('tx'), value: txnValue, timestamp: T0 }], { baseTimestamp: T0 }));
  expect(dump('--files', txnLog, '--transaction-log-decoder').out).toContain(
    ' key: transaction_metadata::transactionalId=tx payload: producerId:4,producerEpoch:1,state=Ongoing,partitions=[t-0,t-1],txnLastUpdateTimestamp=1700000000000,txnTimeoutMs=60000\n',
  );

  const key = Buffer.from('000100016700017400000002', 'hex'); // OffsetCommitKey v1: group "g", topic "t", partition 2
  const value = Buffer.alloc(2 + 8 + 4 + 2 + 8);
  value.writeInt16BE(3, 0);
  value.writeBigInt64BE(15n, 2);
  value.writeInt32BE(0, 10);
  value.writeInt16BE(0, 14);
  value.writeBigInt64BE(BigInt(T0), 16);
  const offsets = file(`${BASE}.log`, buildBatch([{ key, value, timestamp: T0 }, { key, value: null, timestamp: T0 }], { baseTimestamp: T0 }));
  const out = dump('--files', offsets, '--offsets-decoder').out;
  expect(out).toContain(
    ` key: {"type":"1","data":{"group":"g","topic":"t","partition":2}} payload: {"version":"3","data":{"offset":15,"leaderEpoch":0,"metadata":"","commitTimestamp":${T0}}}\n`,
  );
  expect(out).toContain(' key: {"type":"1","data":{"group":"g","topic":"t","partition":2}} payload: <DELETE>\n');

  // A consumer group's metadata: members' subscription and assignment are shown decoded.
  const versioned = (spec: DataSpec, version: number, value: Record<string, unknown>) => {
    const w = new Writer(256);
    w.int16(version);
    dataCodecFor(spec, version).encode(w, value);
    return w.toBuffer();
  };
  const groupKey = Buffer.from([0, 2, 0, 1, 0x67]); // GroupMetadataKey v2: group "g"
  const groupValue = versioned(GroupMetadataValue, 3, {
    protocolType: 'consumer',
    generation: 1,
    protocol: 'range',
    leader: 'm1',
    currentStateTimestamp: BigInt(T0),
    members: [
      {
        memberId: 'm1',
        groupInstanceId: null,
        clientId: 'c',
        clientHost: '/127.0.0.1',
        rebalanceTimeout: 300000,
        sessionTimeout: 45000,
        subscription: versioned(ConsumerProtocolSubscription, 1, { topics: ['t'], userData: null, ownedPartitions: [] }),
        assignment: versioned(ConsumerProtocolAssignment, 0, { assignedPartitions: [{ topic: 't', partitions: [0] }], userData: null }),
      },
    ],
  });
  const groups = file(`${BASE}.log`, buildBatch([{ key: groupKey, value: groupValue, timestamp: T0 }], { baseTimestamp: T0 }));
  expect(dump('--files', groups, '--offsets-decoder').out).toContain(
    ' key: {"type":"2","data":{"group":"g"}} payload: {"version":"3","data":{"protocolType":"consumer","generation":1,"protocol":"range","leader":"m1",' +
      `"currentStateTimestamp":${T0},"members":[{"memberId":"m1","groupInstanceId":null,"clientId":"c","clientHost":"/127.0.0.1","rebalanceTimeout":300000,` +
      '"sessionTimeout":45000,"subscription":{"topics":["t"],"userData":null,"ownedPartitions":[]},"assignment":{"assignedPartitions":[{"topic":"t","partitions":[0]}],"userData":null}}]}}\n',
  );

  const ints = Buffer.alloc(4);
  ints.writeInt32BE(77);
  const intLog = file(`${BASE}.log`, buildBatch([{ key: null, value: ints, timestamp: T0 }], { baseTimestamp: T0 }));
  expect(dump('--files', intLog, '--value-decoder-class', 'org.apache.kafka.tools.api.IntegerDecoder').out).toContain(' payload: 77\n');
  expect(dump('--files', intLog, '--value-decoder-class', 'kafka.serializer.IntegerDecoder').out).toContain(
    'kafka.serializer.IntegerDecoder is deprecated. Please use org.apache.kafka.tools.api.IntegerDecoder instead\n',
  );
});

test('the command line: --files is required, unknown options are refused, --help lists Kafka\'s options', async () => {
  const missing = await runTool('kafka-dump-log', ['--print-data-log']);
  expect(missing.code).toBe(1);
  expect(missing.stderr.split('\n')[0]).toBe('Missing required argument "[files]"');
  const unknown = await runTool('kafka-dump-log', ['--filez', 'x']);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr.split('\n')[0]).toBe('filez is not a recognized option');
  const help = await runTool('kafka-dump-log', ['--help']);
  expect(help.code).toBe(0);
  expect(help.stdout.split('\n')[0]).toBe('This tool helps to parse a log file and dump its contents to the console, useful for debugging a seemingly corrupt log segment.');
  for (const o of ['--deep-iteration', '--files <String: file1, file2, ...>', '--index-sanity-check', '--max-bytes <Integer: size>', '--offsets-decoder', '--transaction-log-decoder']) {
    expect(help.stdout).toContain(o);
  }
  const gone = await runTool('kafka-dump-log', ['--files', join(dir, `${BASE}.log`)]);
  expect(gone.code).toBe(1);
  expect(gone.stderr).toBe(`Exception in thread "main" java.nio.file.NoSuchFileException: ${join(dir, `${BASE}.log`)}\n`);
});

describe('files written by a kafka-ts broker', () => {
  let broker: BrokerProcess | undefined;
  afterAll(() => cleanup(broker));

  test('keys, headers, compression and a committed transaction read back from the segment, its indexes and snapshot', async () => {
    broker = await startBroker({ props: { 'log.index.interval.bytes': 1 } });
    const client = await connectClient(broker.port);
    try {
      const created = await client.request(Apis.CreateTopics, 7, { topics: [{ name: 'dumped', numPartitions: 1, replicationFactor: 1 }], timeoutMs: 5000 });
      expect(created.topics[0].errorCode).toBe(ErrorCode.NONE);
      const produce = async (records: Buffer, transactionalId: string | null = null) => {
        const res = await client.request(Apis.Produce, 9, { transactionalId, acks: -1, timeoutMs: 5000, topicData: [{ name: 'dumped', partitionData: [{ index: 0, records }] }] });
        expect(res.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);
      };
      await produce(buildBatch([{ key: Buffer.from('k1'), value: Buffer.from('one'), headers: [{ key: 'trace', value: Buffer.from('t') }], timestamp: T0 }], { baseTimestamp: T0 }));
      await produce(
        buildBatch([{ key: null, value: Buffer.from('two'), timestamp: T0 + 1 }, { key: null, value: Buffer.from('three'), timestamp: T0 + 2 }], {
          baseTimestamp: T0 + 1,
          compression: Compression.LZ4,
        }),
      );
      // FindCoordinator creates the transaction log; InitProducerId works once it is loaded.
      await waitFor(async () => (await client.request(Apis.FindCoordinator, 4, { keyType: 1, coordinatorKeys: ['dumper'] })).coordinators[0].errorCode === ErrorCode.NONE, 'a transaction coordinator');
      let init = { errorCode: -1, producerId: -1n, producerEpoch: -1 };
      await waitFor(async () => {
        init = await client.request(Apis.InitProducerId, 4, { transactionalId: 'dumper', transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 });
        return init.errorCode === ErrorCode.NONE;
      }, 'InitProducerId to succeed');
      const added = await client.request(Apis.AddPartitionsToTxn, 3, {
        v3AndBelowTransactionalId: 'dumper',
        v3AndBelowProducerId: init.producerId,
        v3AndBelowProducerEpoch: init.producerEpoch,
        v3AndBelowTopics: [{ name: 'dumped', partitions: [0] }],
      });
      expect(added.resultsByTopicV3AndBelow[0].resultsByPartition[0].partitionErrorCode).toBe(ErrorCode.NONE);
      await produce(
        buildBatch([{ key: null, value: Buffer.from('txn'), timestamp: T0 + 3 }], {
          baseTimestamp: T0 + 3,
          producerId: init.producerId,
          producerEpoch: init.producerEpoch,
          baseSequence: 0,
          transactional: true,
        }),
        'dumper',
      );
      const ended = await client.request(Apis.EndTxn, 3, { transactionalId: 'dumper', producerId: init.producerId, producerEpoch: init.producerEpoch, committed: true });
      expect(ended.errorCode).toBe(ErrorCode.NONE);
      // The COMMIT marker lands after EndTxn answers: the last stable offset passes it once it is written.
      await waitFor(async () => {
        const res = await client.request(Apis.Fetch, 12, {
          maxWaitMs: 0,
          minBytes: 0,
          maxBytes: 1024,
          isolationLevel: 1,
          topics: [{ topic: 'dumped', partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1024 }] }],
        });
        return res.responses[0].partitions[0].lastStableOffset === 5n;
      }, 'the COMMIT marker');
    } finally {
      client.close();
    }
    // A clean shutdown writes the producer snapshot and trims the active indexes.
    expect(await broker.stop()).toBe(0);
    const partitionDir = join(broker.logDir, 'data', 'dumped-0');
    const names = readdirSync(partitionDir);
    // The last file of a kind (a transaction marker may start a new segment).
    const path = (suffix: string) => join(partitionDir, names.filter((n) => n.endsWith(suffix)).sort().pop()!);
    const logs = names.filter((n) => n.endsWith('.log')).sort().map((n) => join(partitionDir, n));

    const run = await runTool('kafka-dump-log', ['--files', logs.join(','), '--print-data-log']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.split("\n");
    expect(lines[1]).toBe('Log starting offset: 0');
    expect(lines[2]).toMatch(/^baseOffset: 0 lastOffset: 0 count: 1 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1700000000000 size: \d+ magic: 2 compresscodec: none crc: \d+ isvalid: true$/);
    expect(lines[3]).toBe('| offset: 0 CreateTime: 1700000000000 keySize: 2 valueSize: 3 sequence: -1 headerKeys: [trace] key: k1 payload: one');
    expect(lines[4]).toMatch(/^baseOffset: 1 lastOffset: 2 count: 2 .* compresscodec: lz4 crc: \d+ isvalid: true$/);
    expect(lines[5]).toBe('| offset: 1 CreateTime: 1700000000001 keySize: -1 valueSize: 3 sequence: -1 headerKeys: [] payload: two');
    expect(lines[6]).toBe('| offset: 2 CreateTime: 1700000000002 keySize: -1 valueSize: 5 sequence: -1 headerKeys: [] payload: three');
    expect(lines[7]).toMatch(/^baseOffset: 3 lastOffset: 3 count: 1 baseSequence: 0 lastSequence: 0 producerId: \d+ producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: true isControl: false /);
    const marker = lines.findIndex((l) => l.startsWith('baseOffset: 4 '));
    expect(lines[marker]).toMatch(/^baseOffset: 4 lastOffset: 4 count: 1 baseSequence: -1 lastSequence: -1 producerId: \d+ producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: true isControl: true /);
    expect(lines[marker + 1]).toMatch(/^\| offset: 4 CreateTime: \d+ keySize: 4 valueSize: 6 sequence: -1 headerKeys: \[\] endTxnMarker: COMMIT coordinatorEpoch: 0$/);

    const first = (suffix: string) => join(partitionDir, `${BASE}${suffix}`);
    const indexes = await runTool('kafka-dump-log', ['--files', `${first('.index')},${first('.timeindex')}`]);
    expect(indexes.stderr).toBe('');
    expect(indexes.stdout).toBe(
      [
        `Dumping ${first('.index')}`,
        'offset: 2 position: 81',
        'offset: 3 position: 179',
        `Dumping ${first('.timeindex')}`,
        'timestamp: 1700000000002 offset: 2',
        'timestamp: 1700000000003 offset: 3',
        '',
      ].join('\n'),
    );

    const snapshot = await runTool('kafka-dump-log', ['--files', path('.snapshot')]);
    expect(snapshot.stdout).toMatch(/\nproducerId: \d+ producerEpoch: 0 coordinatorEpoch: 0 currentTxnFirstOffset: OptionalLong.empty lastTimestamp: (\d+) firstSequence: 0 lastSequence: 0 lastOffset: 3 offsetDelta: 0 timestamp: \1\n/);
  });
});
