// A ZooKeeper client library: ZooKeeper's client wire protocol (jute encoding, protocol.ts), one
// session over reconnecting TCP connections (session.ts), and a promise API on top (client.ts):
// data operations, multi, watches, chroot, session resumption and a new session after expiry.
// InMemoryEnsemble (in-memory-ensemble.ts, znode-tree.ts) gives the same session API without a
// server, over one znode tree shared by the brokers of one process.
//
// It stands alone: it imports nothing outside this folder but Node's builtins, and knows nothing
// of Kafka (no znode paths, payloads or broker logger; it logs through ZkLogger, its own
// interface). Kafka's ZooKeeper-mode logic builds on it from elsewhere. Keep it that way:
// test/zookeeper/independence.test.ts fails on any import that leaves this folder.

export { ZkClient } from './client';
export type { CreateMode, ZooKeeperSession, ZkClientOptions, ZkLogger, ZkOp, ZkStat, ZkWatchEvent, ZkWatcher } from './client';
export { isZkError, ZkError } from './errors';
export { InMemoryEnsemble, InMemorySession } from './in-memory-ensemble';
export type { ZkErrorCode } from './errors';
