// FetchSessionHandler as Kafka's client-side handler: full then incremental fetches naming only
// what changed, forgotten and replaced partitions, and how each kind of answer moves the session.

import { ErrorCode } from '../../protocol';
import { FetchSessionHandler, SessionPartition } from '../../src/client/fetch-session-handler';

const ID_T = 'AAAAAAAAAAAAAAAAAAAAAQ';
const ID_T2 = 'AAAAAAAAAAAAAAAAAAAAAg';
const p = (partition: number, fetchOffset: number, topicId = ID_T): SessionPartition => ({
  topic: 't',
  topicId,
  partition,
  fetchOffset: BigInt(fetchOffset),
  logStartOffset: 0n,
  partitionMaxBytes: 1024,
  currentLeaderEpoch: 0,
  lastFetchedEpoch: -1,
});
const names = (ps: { partition: number; topicId: string }[]) => ps.map((x) => `${x.topicId === ID_T ? 't' : 't2'}-${x.partition}`);
const answer = (sessionId: number, partitions: number[], errorCode: number = ErrorCode.NONE) => ({
  errorCode,
  sessionId,
  responses: partitions.length ? [{ topicId: ID_T, partitions: partitions.map((partitionIndex) => ({ partitionIndex })) }] : [],
});

/** A handler in session 42 at epoch 1 over t-0 and t-1. */
function inSession(): FetchSessionHandler {
  const h = new FetchSessionHandler();
  h.build([p(0, 0), p(1, 0)]);
  expect(h.handleResponse(answer(42, [0, 1]))).toBe(true);
  return h;
}

test('the first fetch is full: epoch 0, every partition; the answer opens the session at epoch 1', () => {
  const h = new FetchSessionHandler();
  const first = h.build([p(0, 5), p(1, 7)]);
  expect(first.metadata).toEqual({ sessionId: 0, epoch: 0 });
  expect(names(first.toSend)).toEqual(['t-0', 't-1']);
  expect(h.handleResponse(answer(42, [0, 1]))).toBe(true);
  expect(h.build([p(0, 5), p(1, 7)]).metadata).toEqual({ sessionId: 42, epoch: 1 });
});

test('incremental fetches send new and changed partitions, forget the ones left out, and count epochs up', () => {
  const h = inSession();
  const next = h.build([p(1, 3), p(2, 0)]);
  expect(next.metadata).toEqual({ sessionId: 42, epoch: 1 });
  expect(names(next.toSend)).toEqual(['t-2', 't-1']);
  expect(names(next.toForget)).toEqual(['t-0']);
  expect([...next.session.keys()]).toEqual([`${ID_T}:1`, `${ID_T}:2`]);
  // An incremental answer may carry any subset of the session.
  expect(h.handleResponse(answer(42, [2]))).toBe(true);
  const quiet = h.build([p(1, 3), p(2, 0)]);
  expect(quiet).toMatchObject({ metadata: { sessionId: 42, epoch: 2 }, toSend: [], toForget: [] });
});

test('a partition whose topic id changed is forgotten under the old id and sent under the new', () => {
  const h = inSession();
  const next = h.build([p(0, 0), p(1, 0, ID_T2)]);
  expect(names(next.toSend)).toEqual(['t2-1']);
  expect(names(next.toForget)).toEqual(['t-1']);
});

test('FETCH_SESSION_ID_NOT_FOUND starts afresh; other errors and failed requests close the session with a full fetch', () => {
  const h = inSession();
  expect(h.handleResponse(answer(0, [], ErrorCode.FETCH_SESSION_ID_NOT_FOUND))).toBe(false);
  expect(h.build([p(0, 0)]).metadata).toEqual({ sessionId: 0, epoch: 0 });

  const g = inSession();
  expect(g.handleResponse(answer(0, [], ErrorCode.INVALID_FETCH_SESSION_EPOCH))).toBe(false);
  const full = g.build([p(0, 0), p(1, 0)]);
  expect(full.metadata).toEqual({ sessionId: 42, epoch: 0 });
  expect(names(full.toSend)).toEqual(['t-0', 't-1']);

  const e = inSession();
  e.handleError();
  expect(e.build([p(0, 0)]).metadata).toEqual({ sessionId: 42, epoch: 0 });
});

test('answers the session cannot explain are refused', () => {
  // A full answer must name exactly the partitions fetched.
  const h = new FetchSessionHandler();
  h.build([p(0, 0), p(1, 0)]);
  expect(h.handleResponse(answer(42, [0]))).toBe(false);
  expect(h.build([p(0, 0)]).metadata).toEqual({ sessionId: 0, epoch: 0 });
  // An incremental answer must name only partitions of the session.
  const g = inSession();
  g.build([p(0, 0), p(1, 0)]);
  expect(g.handleResponse(answer(42, [5]))).toBe(false);
  expect(g.build([p(0, 0)]).metadata).toEqual({ sessionId: 42, epoch: 0 });
});

test('an answer without a session id means no session: the next fetch is full', () => {
  const h = new FetchSessionHandler();
  h.build([p(0, 0)]);
  expect(h.handleResponse(answer(0, [0]))).toBe(true);
  expect(h.build([p(0, 0)]).metadata).toEqual({ sessionId: 0, epoch: 0 });
  const g = inSession();
  g.build([p(0, 0), p(1, 0)]);
  expect(g.handleResponse(answer(0, []))).toBe(true);
  expect(g.build([p(0, 0)]).metadata).toEqual({ sessionId: 0, epoch: 0 });
});
