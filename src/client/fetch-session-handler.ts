// The client side of one fetch session with one broker (KIP-227), as Kafka's FetchSessionHandler:
// the first fetch is full (epoch 0) and names every partition; once the broker answers with a
// session id, each fetch names only partitions that are new or whose fetch parameters changed,
// and forgets those no longer wanted (by topic id: Fetch v13+, the only versions this handler
// builds for). A session error, an answer that does not fit the session or a failed request makes
// the next fetch full again: FETCH_SESSION_ID_NOT_FOUND starts afresh, anything else closes the
// session it had (same id, epoch 0).

import { ErrorCode, FetchMetadata, FetchPartitionRequest, INITIAL_EPOCH, INVALID_SESSION_ID, isFullFetch, nextEpoch } from '../../protocol';

export interface SessionPartition extends FetchPartitionRequest {
  topic: string;
}

/** One fetch to send: its session id and epoch, what it names and forgets, and the session after it. */
export interface SessionFetch {
  metadata: FetchMetadata;
  toSend: SessionPartition[];
  toForget: { topic: string; topicId: string; partition: number }[];
  /** Every partition of the session once the broker takes this fetch, by topic id and partition. */
  session: ReadonlyMap<string, SessionPartition>;
}

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';
const byName = (p: { topic: string; partition: number }) => `${p.topic}:${p.partition}`;
export const byId = (topicId: string, partition: number): string => `${topicId}:${partition}`;

function sameParams(a: SessionPartition, b: SessionPartition): boolean {
  return (
    a.topicId === b.topicId &&
    a.fetchOffset === b.fetchOffset &&
    a.logStartOffset === b.logStartOffset &&
    a.partitionMaxBytes === b.partitionMaxBytes &&
    a.currentLeaderEpoch === b.currentLeaderEpoch &&
    a.lastFetchedEpoch === b.lastFetchedEpoch
  );
}

export class FetchSessionHandler {
  private next: FetchMetadata = { sessionId: INVALID_SESSION_ID, epoch: INITIAL_EPOCH };
  /** The partitions the broker holds for the session, by topic name and partition, in its order. */
  private partitions = new Map<string, SessionPartition>();

  get sessionId(): number {
    return this.next.sessionId;
  }

  /** Builds the next fetch for `wanted` (every partition to fetch now, with its current parameters). */
  build(wanted: readonly SessionPartition[]): SessionFetch {
    const metadata = this.next;
    if (isFullFetch(metadata)) {
      this.partitions = new Map(wanted.map((p) => [byName(p), p]));
      return { metadata, toSend: [...this.partitions.values()], toForget: [], session: this.byId() };
    }
    const next = new Map(wanted.map((p) => [byName(p), p]));
    const changed: SessionPartition[] = [];
    const toForget: SessionFetch['toForget'] = [];
    for (const [key, prev] of this.partitions) {
      const p = next.get(key);
      if (!p) {
        this.partitions.delete(key);
        toForget.push(prev);
        continue;
      }
      next.delete(key);
      if (prev.topicId !== p.topicId && prev.topicId !== ZERO_UUID && p.topicId !== ZERO_UUID) {
        // The topic was deleted and created anew: forget the old id, send the new one.
        toForget.push(prev);
        changed.push(p);
      } else if (!sameParams(prev, p)) {
        changed.push(p);
      } else {
        continue;
      }
      this.partitions.set(key, p);
    }
    const added = [...next.values()];
    for (const p of added) this.partitions.set(byName(p), p);
    return { metadata, toSend: [...added, ...changed], toForget, session: this.byId() };
  }

  /**
   * Takes the broker's answer to the last fetch built; false when its partitions must not be used
   * (a session error, or partitions the session does not explain).
   */
  handleResponse(res: { errorCode: number; sessionId: number; responses: { topicId: string; partitions: { partitionIndex: number }[] }[] }): boolean {
    if (res.errorCode !== ErrorCode.NONE) {
      this.next = res.errorCode === ErrorCode.FETCH_SESSION_ID_NOT_FOUND ? this.initial() : this.closeExisting();
      return false;
    }
    const session = this.byId();
    const answered = res.responses.flatMap((t) => t.partitions.map((p) => byId(t.topicId, p.partitionIndex)));
    const unexpected = answered.some((k) => !session.has(k));
    if (isFullFetch(this.next)) {
      // A full answer names every partition of the fetch, and only those.
      if (unexpected || new Set(answered).size !== session.size) {
        this.next = this.initial();
        return false;
      }
      this.next = res.sessionId === INVALID_SESSION_ID ? this.initial() : { sessionId: res.sessionId, epoch: nextEpoch(INITIAL_EPOCH) };
      return true;
    }
    if (unexpected) {
      this.next = this.closeExisting();
      return false;
    }
    this.next = res.sessionId === INVALID_SESSION_ID ? this.initial() : { sessionId: this.next.sessionId, epoch: nextEpoch(this.next.epoch) };
    return true;
  }

  /** The fetch failed without an answer: the next one is full, closing the session. */
  handleError(): void {
    this.next = this.closeExisting();
  }

  private initial(): FetchMetadata {
    return { sessionId: INVALID_SESSION_ID, epoch: INITIAL_EPOCH };
  }

  private closeExisting(): FetchMetadata {
    return { sessionId: this.next.sessionId, epoch: INITIAL_EPOCH };
  }

  private byId(): Map<string, SessionPartition> {
    return new Map([...this.partitions.values()].map((p) => [byId(p.topicId, p.partition), p]));
  }
}
