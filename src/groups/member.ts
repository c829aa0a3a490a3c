// One member of a classic group (Kafka's MemberMetadata): the protocols it supports, its current
// assignment, and the JoinGroup/SyncGroup responses it is waiting for.
import type { GroupProtocol, JoinGroupResult, SyncGroupResult } from './coordinator-api';

export type JoinWaiter = (result: JoinGroupResult) => void;
export type SyncWaiter = (result: SyncGroupResult) => void;

const EMPTY = Buffer.alloc(0);

export class GroupMember {
  assignment: Buffer = EMPTY;
  joinWaiter: JoinWaiter | null = null;
  syncWaiter: SyncWaiter | null = null;
  /** Added in the rebalance under way: it has no generation yet, so only the join timeout expires it. */
  isNew = false;
  /** Session (or new-member join) expiry; rescheduled on every sign of life. */
  expiryTimer: { cancel(): void } | null = null;

  constructor(
    /** Changes only when a static member is replaced by a new instance of itself. */
    public memberId: string,
    readonly groupInstanceId: string | null,
    readonly clientId: string,
    readonly clientHost: string,
    public rebalanceTimeoutMs: number,
    public sessionTimeoutMs: number,
    readonly protocolType: string,
    /** In the member's order of preference. */
    public protocols: GroupProtocol[],
  ) {}

  get isAwaitingJoin(): boolean {
    return this.joinWaiter !== null;
  }

  get isAwaitingSync(): boolean {
    return this.syncWaiter !== null;
  }

  get isStatic(): boolean {
    return this.groupInstanceId !== null;
  }

  /**
   * Whether an expiry that fired with no heartbeat since should remove the member. Members parked in
   * a rebalance are covered by the rebalance and sync timeouts instead, except brand-new joiners.
   */
  get expiresOnTimeout(): boolean {
    return this.isNew || !(this.isAwaitingJoin || this.isAwaitingSync);
  }

  metadata(protocolName: string): Buffer {
    return this.protocols.find((p) => p.name === protocolName)?.metadata ?? EMPTY;
  }

  /** Same protocols, in the same order, with the same metadata: a rejoin that changes nothing. */
  matches(protocols: GroupProtocol[]): boolean {
    return (
      protocols.length === this.protocols.length &&
      protocols.every((p, i) => p.name === this.protocols[i].name && p.metadata.equals(this.protocols[i].metadata))
    );
  }

  /** The member's most preferred protocol among the candidates. */
  vote(candidates: ReadonlySet<string>): string | undefined {
    return this.protocols.find((p) => candidates.has(p.name))?.name;
  }
}
