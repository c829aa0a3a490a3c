// DescribeLogDirs in-process, on real logs in a temp dir: the dir's absolute path, partition sizes
// and offset lag, the asked partitions only (a topic held but not asked for still named), the file
// system's bytes from v4, KAFKA_STORAGE_ERROR for a dir that cannot be read or is offline, and a
// replica being moved between dirs reported as a future replica with its lag.

import * as path from 'node:path';
import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import describeLogDirs from '../../src/handlers/35-describe-log-dirs';
import { LogManager } from '../../src/log/log-manager';
import { makeTempDir, removeDir, testConfig } from '../log/helpers';
import { TestBroker, addTopic, call, testBroker, topicInfo } from './fake-context';

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
  addTopic(b.metadata, b.logs, topicInfo('a', 2));
  addTopic(b.metadata, b.logs, topicInfo('b', 1));
  const log = b.logs.get('a', 1)!;
  log.append(buildBatch([{ key: null, value: Buffer.alloc(100), timestamp: 1 }]), { leaderEpoch: 0, now: 1 });
  log.highWatermark = log.logEndOffset;
});
afterEach(() => b.close());

const ask = (version: number, topics: { topic: string; partitions: number[] }[] | null) => call<typeof Apis.DescribeLogDirs>(describeLogDirs, b.ctx(version), { topics });

test('every partition of every dir, with its size on disk and lag, and the disk bytes (v4)', async () => {
  const res = (await ask(4, null))!;
  expect(res.errorCode).toBe(ErrorCode.NONE);
  expect(res.results).toHaveLength(1);
  const [dir] = res.results;
  expect(dir.errorCode).toBe(ErrorCode.NONE);
  expect(dir.logDir).toBe(path.resolve(b.logs.logDirs[0]));
  const sizes = Object.fromEntries(dir.topics.flatMap((t) => t.partitions.map((p) => [`${t.name}-${p.partitionIndex}`, [p.partitionSize, p.offsetLag, p.isFutureKey]])));
  expect(sizes).toEqual({
    'a-0': [0n, 0n, false],
    'a-1': [BigInt(b.logs.get('a', 1)!.size), 0n, false],
    'b-0': [0n, 0n, false],
  });
  expect(b.logs.get('a', 1)!.size).toBeGreaterThan(100);
  expect(dir.totalBytes).toBeGreaterThan(0n);
  expect(dir.usableBytes).toBeGreaterThan(0n);
  expect(dir.usableBytes).toBeLessThanOrEqual(dir.totalBytes);
});

test('only the asked partitions; a topic held in the dir but not asked for is still named, as Kafka does', async () => {
  const [dir] = (await ask(2, [{ topic: 'a', partitions: [1] }]))!.results;
  expect(dir.topics.map((t) => [t.name, t.partitions.map((p) => p.partitionIndex)]).sort()).toEqual([
    ['a', [1]],
    ['b', []],
  ]);
});

test('a dir that cannot be read answers KAFKA_STORAGE_ERROR', async () => {
  b.services.logDirs = { get: () => undefined, isOffline: () => false, describeLogDirs: () => [{ dir: '/gone', error: 'Log directory /gone is offline', totalBytes: -1n, usableBytes: -1n, logs: [] }] };
  expect((await ask(4, null))!.results).toEqual([{ errorCode: ErrorCode.KAFKA_STORAGE_ERROR, logDir: '/gone', topics: [], totalBytes: -1n, usableBytes: -1n }]);
});

describe('with two log dirs', () => {
  let root: string;
  let logs: LogManager;
  beforeEach(async () => {
    root = makeTempDir();
    logs = await LogManager.open({ logDirs: [path.join(root, 'd0'), path.join(root, 'd1')], defaultConfig: testConfig(), clock: b.clock, tasks: false });
    b.services.logDirs = logs;
  });
  afterEach(async () => {
    await logs.close();
    removeDir(root);
  });

  test('a replica being moved is reported in its destination with is_future and how far it is behind', async () => {
    const log = logs.createPartition('a', 0);
    for (let i = 0; i < 3; i++) log.append(buildBatch([{ key: null, value: Buffer.alloc(10), timestamp: 1 }]), { leaderEpoch: 0, now: 1 });
    const to = logs.logDirs.find((d) => d !== log.logDir)!;
    const future = logs.getOrCreateFutureLog('a', 0, to);
    const res = (await ask(4, null))!;
    const entry = (dir: string) => res.results.find((r) => r.logDir === dir)!.topics.flatMap((t) => t.partitions.map((p) => [t.name, p.partitionIndex, p.offsetLag, p.isFutureKey]));
    expect(entry(log.logDir)).toEqual([['a', 0, 0n, false]]);
    expect(entry(future.logDir)).toEqual([['a', 0, 3n, true]]);
  });

  test('an offline dir answers KAFKA_STORAGE_ERROR and no partitions', async () => {
    const log = logs.createPartition('a', 0);
    logs.handleLogDirFailure(log.logDir);
    const res = (await ask(4, null))!;
    expect(res.results.find((r) => r.logDir === log.logDir)).toEqual({ errorCode: ErrorCode.KAFKA_STORAGE_ERROR, logDir: log.logDir, topics: [], totalBytes: -1n, usableBytes: -1n });
    expect(res.results.find((r) => r.logDir !== log.logDir)!.errorCode).toBe(ErrorCode.NONE);
  });
});
