// A classic group's membership (Kafka's GroupMetadata): state machine, generation, leader, members
// (static ones also by instance id), members told to rejoin with a fresh id, and the protocol
// votes that pick the group's assignor. The coordinator drives it; timers it owns are kept here so
// they can be cancelled with the group.
import { ErrorCode } from '../../protocol/errors';
import { subscribedTopics } from './consumer-subscription';
import type { JoinGroupMember, JoinGroupResult, SyncGroupResult, GroupProtocol } from './coordinator-api';
import { GroupMember, JoinWaiter } from './member';
import { joinError, syncError } from './results';
import type { GroupSnapshot, GroupStateName } from './types';

type Timer = { cancel(): void };

const VALID_PREVIOUS_STATES: Record<GroupStateName, readonly GroupStateName[]> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
};

const CONSUMER_PROTOCOL_TYPE = 'consumer';

export class Group {
  private stateName: GroupStateName;
  currentStateTimestamp: number;
  /** Set by the first member to join; kept once the group is Empty again. */
  protocolType: string | null = null;
  protocolName: string | null = null;
  generationId = 0;
  leaderId: string | null = null;
  subscribedTopics: Set<string> | null = null;
  /** A member joined during the first rebalance: the initial delay is extended once more. */
  newMemberAdded = false;

  /** The pending rebalance completion; `initial` ones wait out the initial delay whatever happens. */
  joinTimer: { timer: Timer; initial: boolean } | null = null;
  /** Deadline for every member to fetch its assignment after a rebalance. */
  syncTimer: Timer | null = null;

  private readonly members = new Map<string, GroupMember>();
  private readonly staticMembers = new Map<string, string>();
  /** Member ids handed out with MEMBER_ID_REQUIRED, with their expiry. */
  private readonly pendingMembers = new Map<string, Timer>();
  private readonly pendingSyncMembers = new Set<string>();
  private readonly protocolVotes = new Map<string, number>();
  private numAwaitingJoin = 0;

  constructor(
    readonly groupId: string,
    private readonly now: () => number,
    initialState: GroupStateName = 'Empty',
  ) {
    this.stateName = initialState;
    this.currentStateTimestamp = now();
  }

  /** Rebuilds a group persisted in __consumer_offsets: Stable with its members, or Empty. */
  static restore(snapshot: GroupSnapshot, now: () => number): Group {
    const group = new Group(snapshot.groupId, now, snapshot.members.length > 0 ? 'Stable' : 'Empty');
    const protocolName = snapshot.protocolName;
    for (const m of snapshot.members) {
      const protocols = protocolName === null ? [] : [{ name: protocolName, metadata: m.subscription }];
      const member = new GroupMember(
        m.memberId,
        m.groupInstanceId,
        m.clientId,
        m.clientHost,
        m.rebalanceTimeoutMs,
        m.sessionTimeoutMs,
        snapshot.protocolType,
        protocols,
      );
      member.assignment = m.assignment;
      group.add(member, null);
    }
    // After the members: adding them sets a protocol type and leader of their own.
    group.generationId = snapshot.generationId;
    group.protocolType = snapshot.protocolType === '' ? null : snapshot.protocolType;
    group.protocolName = protocolName;
    group.currentStateTimestamp = snapshot.currentStateTimestamp;
    if (snapshot.leaderId !== null && group.has(snapshot.leaderId)) group.leaderId = snapshot.leaderId;
    group.subscribedTopics = group.computeSubscribedTopics();
    return group;
  }

  get state(): GroupStateName {
    return this.stateName;
  }

  is(state: GroupStateName): boolean {
    return this.stateName === state;
  }

  get canRebalance(): boolean {
    return VALID_PREVIOUS_STATES.PreparingRebalance.includes(this.stateName);
  }

  transitionTo(state: GroupStateName): void {
    if (!VALID_PREVIOUS_STATES[state].includes(this.stateName)) {
      throw new Error(`Group ${this.groupId} cannot move from ${this.stateName} to ${state}`);
    }
    this.stateName = state;
    this.currentStateTimestamp = this.now();
  }

  get size(): number {
    return this.members.size;
  }

  get numAwaiting(): number {
    return this.numAwaitingJoin;
  }

  has(memberId: string): boolean {
    return this.members.has(memberId);
  }

  get(memberId: string): GroupMember | undefined {
    return this.members.get(memberId);
  }

  allMembers(): GroupMember[] {
    return [...this.members.values()];
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  get rebalanceTimeoutMs(): number {
    let timeout = 0;
    for (const m of this.members.values()) timeout = Math.max(timeout, m.rebalanceTimeoutMs);
    return timeout;
  }

  get hasAllMembersJoined(): boolean {
    return this.members.size === this.numAwaitingJoin && this.pendingMembers.size === 0;
  }

  notYetRejoinedMembers(): GroupMember[] {
    return this.allMembers().filter((m) => !m.isAwaitingJoin);
  }

  add(member: GroupMember, joinWaiter: JoinWaiter | null): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId);
    if (this.leaderId === null) this.leaderId = member.memberId;
    this.members.set(member.memberId, member);
    this.countVotes(member.protocols, 1);
    member.joinWaiter = joinWaiter;
    if (joinWaiter) this.numAwaitingJoin++;
    this.removePendingMember(member.memberId);
  }

  /** Removes the member without answering its waiters: the caller does that first. */
  remove(memberId: string): void {
    const member = this.members.get(memberId);
    if (member) {
      this.members.delete(memberId);
      this.countVotes(member.protocols, -1);
      if (member.isAwaitingJoin) this.numAwaitingJoin--;
      if (member.groupInstanceId !== null && this.staticMembers.get(member.groupInstanceId) === memberId) {
        this.staticMembers.delete(member.groupInstanceId);
      }
    }
    if (this.isLeader(memberId)) this.leaderId = this.members.keys().next().value ?? null;
    this.removePendingMember(memberId);
    this.pendingSyncMembers.delete(memberId);
  }

  updateMember(
    member: GroupMember,
    protocols: GroupProtocol[],
    rebalanceTimeoutMs: number,
    sessionTimeoutMs: number,
    joinWaiter: JoinWaiter | null,
  ): void {
    this.countVotes(member.protocols, -1);
    this.countVotes(protocols, 1);
    member.protocols = protocols;
    member.rebalanceTimeoutMs = rebalanceTimeoutMs;
    member.sessionTimeoutMs = sessionTimeoutMs;
    if (joinWaiter && !member.isAwaitingJoin) this.numAwaitingJoin++;
    else if (!joinWaiter && member.isAwaitingJoin) this.numAwaitingJoin--;
    member.joinWaiter = joinWaiter;
  }

  /** The current generation as the member sees it; only the leader gets the members' metadata. */
  joinResult(member: GroupMember, withMembers: boolean): JoinGroupResult {
    return {
      errorCode: ErrorCode.NONE,
      generationId: this.generationId,
      protocolType: this.protocolType,
      protocolName: this.protocolName,
      leader: this.leaderId ?? '',
      skipAssignment: false,
      memberId: member.memberId,
      members: withMembers ? this.currentMemberMetadata() : [],
    };
  }

  /** Answers the member's parked JoinGroup, if any. */
  completeJoin(member: GroupMember, result: JoinGroupResult): void {
    const waiter = member.joinWaiter;
    if (!waiter) return;
    member.joinWaiter = null;
    this.numAwaitingJoin--;
    waiter(result);
  }

  /** Answers the member's parked SyncGroup, if any; true when there was one. */
  completeSync(member: GroupMember, result: SyncGroupResult): boolean {
    const waiter = member.syncWaiter;
    if (!waiter) return false;
    member.syncWaiter = null;
    waiter(result);
    return true;
  }

  /**
   * Keeps the current leader if it rejoined, else elects any member that did. False when nobody
   * rejoined (or the group has no leader), so the rebalance cannot complete yet.
   */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false;
    if (this.members.get(this.leaderId)?.isAwaitingJoin) return true;
    const joined = this.allMembers().find((m) => m.isAwaitingJoin);
    if (!joined) return false;
    this.leaderId = joined.memberId;
    return true;
  }

  currentStaticMemberId(groupInstanceId: string): string | undefined {
    return this.staticMembers.get(groupInstanceId);
  }

  /**
   * A static member came back with a new member id: the same member continues under the new id,
   * and whoever still waits under the old id is fenced.
   */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string): GroupMember {
    const member = this.members.get(oldMemberId);
    if (!member) throw new Error(`Cannot replace unknown member ${oldMemberId} of group ${this.groupId}`);
    this.completeJoin(member, joinError(oldMemberId, ErrorCode.FENCED_INSTANCE_ID));
    this.completeSync(member, syncError(ErrorCode.FENCED_INSTANCE_ID));
    this.members.delete(oldMemberId);
    member.memberId = newMemberId;
    this.members.set(newMemberId, member);
    if (this.isLeader(oldMemberId)) this.leaderId = newMemberId;
    if (this.pendingSyncMembers.delete(oldMemberId)) this.pendingSyncMembers.add(newMemberId);
    this.staticMembers.set(groupInstanceId, newMemberId);
    return member;
  }

  isPendingMember(memberId: string): boolean {
    return this.pendingMembers.has(memberId) && !this.members.has(memberId);
  }

  addPendingMember(memberId: string, expiry: Timer): void {
    this.pendingMembers.set(memberId, expiry);
  }

  removePendingMember(memberId: string): void {
    this.pendingMembers.get(memberId)?.cancel();
    this.pendingMembers.delete(memberId);
  }

  cancelPendingMembers(): void {
    for (const expiry of this.pendingMembers.values()) expiry.cancel();
    this.pendingMembers.clear();
  }

  addPendingSyncMember(memberId: string): void {
    this.pendingSyncMembers.add(memberId);
  }

  removePendingSyncMember(memberId: string): void {
    this.pendingSyncMembers.delete(memberId);
  }

  clearPendingSyncMembers(): void {
    this.pendingSyncMembers.clear();
  }

  allPendingSyncMembers(): string[] {
    return [...this.pendingSyncMembers];
  }

  /** Protocol type matches and at least one of the protocols is supported by every member. */
  supportsProtocols(protocolType: string, protocolNames: string[]): boolean {
    if (this.is('Empty')) return protocolType !== '' && protocolNames.length > 0;
    return (
      this.protocolType === protocolType &&
      protocolNames.some((name) => (this.protocolVotes.get(name) ?? 0) === this.members.size)
    );
  }

  /** Every member votes for its favourite protocol among those all support; the most votes wins. */
  selectProtocol(): string {
    const candidates = new Set<string>();
    for (const [name, count] of this.protocolVotes) if (count === this.members.size) candidates.add(name);
    const tally = new Map<string, number>();
    for (const member of this.members.values()) {
      const vote = member.vote(candidates);
      if (vote !== undefined) tally.set(vote, (tally.get(vote) ?? 0) + 1);
    }
    let winner: string | undefined;
    for (const [name, count] of tally) if (winner === undefined || count > tally.get(winner)!) winner = name;
    if (winner === undefined) throw new Error(`No protocol supported by every member of group ${this.groupId}`);
    return winner;
  }

  initNextGeneration(): void {
    this.generationId++;
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.subscribedTopics = this.computeSubscribedTopics();
      this.transitionTo('CompletingRebalance');
    } else {
      this.protocolName = null;
      this.subscribedTopics = this.computeSubscribedTopics();
      this.transitionTo('Empty');
    }
    this.pendingSyncMembers.clear();
  }

  /** What the leader receives to compute the assignment. */
  currentMemberMetadata(): JoinGroupMember[] {
    const protocolName = this.protocolName ?? '';
    return this.allMembers().map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadata(protocolName),
    }));
  }

  snapshot(): GroupSnapshot {
    const protocolName = this.protocolName;
    return {
      groupId: this.groupId,
      protocolType: this.protocolType ?? '',
      generationId: this.generationId,
      protocolName,
      leaderId: this.leaderId,
      currentStateTimestamp: this.currentStateTimestamp,
      members: this.allMembers().map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        sessionTimeoutMs: m.sessionTimeoutMs,
        subscription: protocolName === null ? Buffer.alloc(0) : m.metadata(protocolName),
        assignment: m.assignment,
      })),
    };
  }

  /** Consumer groups only; null when the subscriptions cannot be read. */
  private computeSubscribedTopics(): Set<string> | null {
    if (this.protocolType !== CONSUMER_PROTOCOL_TYPE) return null;
    if (this.members.size === 0) return new Set();
    if (this.protocolName === null) return null;
    const topics = new Set<string>();
    for (const member of this.members.values()) {
      const memberTopics = subscribedTopics(member.metadata(this.protocolName));
      if (memberTopics === null) return null;
      for (const t of memberTopics) topics.add(t);
    }
    return topics;
  }

  private countVotes(protocols: GroupProtocol[], delta: number): void {
    for (const p of protocols) {
      const count = (this.protocolVotes.get(p.name) ?? 0) + delta;
      if (count === 0) this.protocolVotes.delete(p.name);
      else this.protocolVotes.set(p.name, count);
    }
  }
}
