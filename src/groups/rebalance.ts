// The rebalance machinery of the classic group coordinator: Kafka's delayed join (with the initial
// delay), delayed sync and heartbeat expiry as clock timers, and the state changes they drive.
// The coordinator decides what a request means; this moves the group along and answers parked requests.
import { ErrorCode } from '../../protocol/errors';
import type { GroupCoordinatorOptions, SyncGroupResult } from './coordinator-api';
import type { Group } from './group';
import type { GroupMember } from './member';
import { joinError, syncError } from './results';

export class Rebalancer {
  constructor(private readonly opts: GroupCoordinatorOptions) {}

  maybePrepareRebalance(group: Group, reason: string): void {
    if (group.canRebalance) this.prepareRebalance(group, reason);
  }

  prepareRebalance(group: Group, reason: string): void {
    // Followers waiting for the leader's assignment must rejoin instead.
    if (group.is('CompletingRebalance')) {
      this.resetAndPropagateAssignmentError(group, ErrorCode.REBALANCE_IN_PROGRESS);
    }
    this.clearPendingSync(group);
    const fromEmpty = group.is('Empty');
    group.transitionTo('PreparingRebalance');
    this.opts.log.info(
      `Preparing to rebalance group ${group.groupId} in state ${group.state} with old generation ` +
        `${group.generationId} (reason: ${reason})`,
    );
    if (fromEmpty) {
      const delay = this.opts.config.groupInitialRebalanceDelayMs;
      this.scheduleInitialJoin(group, delay, Math.max(group.rebalanceTimeoutMs - delay, 0));
    } else {
      this.scheduleJoin(group);
    }
  }

  /** Completes the rebalance now if everyone has rejoined (the initial delay is always waited out). */
  tryCompleteJoin(group: Group): void {
    const pending = group.joinTimer;
    if (!pending || pending.initial || !group.hasAllMembersJoined) return;
    pending.timer.cancel();
    group.joinTimer = null;
    this.completeJoin(group);
  }

  /**
   * The leader's assignment: members it left out get an empty one. Members (the leader too) get it
   * once the offsets partition's ISR has it, as in Kafka.
   */
  storeAssignment(group: Group, leaderId: string, assignments: { memberId: string; assignment: Buffer }[]): void {
    this.opts.log.info(
      `Assignment received from leader ${leaderId} for group ${group.groupId} for generation ${group.generationId}. ` +
        `The group has ${group.size} members.`,
    );
    const byMember = new Map(assignments.map((a) => [a.memberId, a.assignment]));
    const missing: string[] = [];
    for (const member of group.allMembers()) {
      const assignment = byMember.get(member.memberId);
      if (assignment === undefined) missing.push(member.memberId);
      member.assignment = assignment ?? Buffer.alloc(0);
    }
    if (missing.length > 0) {
      const ids = missing.join(', ');
      this.opts.log.warn(`Setting empty assignments for members ${ids} of ${group.groupId} for generation ${group.generationId}`);
    }
    const generationId = group.generationId;
    void this.persist(group).then((errorCode) => {
      // Members may have joined or left while the write was replicated: only the same rebalance completes.
      if (!group.is('CompletingRebalance') || group.generationId !== generationId) return;
      if (errorCode !== ErrorCode.NONE) {
        this.resetAndPropagateAssignmentError(group, errorCode);
        return this.maybePrepareRebalance(group, `error storing the assignment of leader ${leaderId}`);
      }
      this.propagateAssignment(group, ErrorCode.NONE);
      group.transitionTo('Stable');
    });
  }

  removePendingSyncMember(group: Group, memberId: string): void {
    group.removePendingSyncMember(memberId);
    if (group.allPendingSyncMembers().length === 0) this.clearPendingSync(group);
  }

  removeMemberAndUpdateGroup(group: Group, member: GroupMember, why: string): void {
    this.opts.log.info(`Member ${member.memberId} in group ${group.groupId} ${why}; removing it from the group`);
    this.dropMember(group, member);
    switch (group.state) {
      case 'Stable':
      case 'CompletingRebalance':
        return this.maybePrepareRebalance(group, `removing member ${member.memberId}: ${why}`);
      case 'PreparingRebalance':
        return this.tryCompleteJoin(group);
      default:
        return;
    }
  }

  /** Removes a member, first answering anything it still waits for so no request is left hanging. */
  dropMember(group: Group, member: GroupMember): void {
    group.completeJoin(member, joinError('', ErrorCode.UNKNOWN_MEMBER_ID));
    group.completeSync(member, syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    member.expiryTimer?.cancel();
    member.expiryTimer = null;
    group.remove(member.memberId);
  }

  scheduleSessionExpiry(group: Group, member: GroupMember): void {
    this.scheduleExpiry(group, member, member.sessionTimeoutMs);
  }

  scheduleExpiry(group: Group, member: GroupMember, timeoutMs: number): void {
    member.expiryTimer?.cancel();
    member.expiryTimer = this.opts.clock.setTimeout(() => {
      member.expiryTimer = null;
      if (!member.expiresOnTimeout) return;
      this.removeMemberAndUpdateGroup(group, member, 'has failed (session timeout expired)');
    }, timeoutMs);
  }

  expirePendingMember(group: Group, memberId: string): void {
    if (!group.isPendingMember(memberId)) return;
    this.opts.log.info(`Pending member ${memberId} in group ${group.groupId} has been removed after session timeout`);
    group.removePendingMember(memberId);
    if (group.is('PreparingRebalance')) this.tryCompleteJoin(group);
  }

  /** Cancels the group's timers and answers its parked requests: this broker no longer coordinates it. */
  unload(group: Group): void {
    group.joinTimer?.timer.cancel();
    group.joinTimer = null;
    this.clearPendingSync(group);
    for (const member of group.allMembers()) {
      group.completeJoin(member, joinError(member.memberId, ErrorCode.NOT_COORDINATOR));
      group.completeSync(member, syncError(ErrorCode.NOT_COORDINATOR));
      member.expiryTimer?.cancel();
      member.expiryTimer = null;
    }
    group.cancelPendingMembers();
    group.transitionTo('Dead');
  }

  /** Writes the group's state and waits for the ISR; resolves NONE or the error (logged). */
  async persist(group: Group): Promise<number> {
    let errorCode: number;
    let why: string;
    try {
      errorCode = await this.opts.persist(group.snapshot());
      why = `error code ${errorCode}`;
    } catch (e) {
      errorCode = ErrorCode.UNKNOWN_SERVER_ERROR;
      why = e instanceof Error ? e.message : String(e);
    }
    if (errorCode !== ErrorCode.NONE) this.opts.log.warn(`Failed to persist metadata for group ${group.groupId}: ${why}`);
    return errorCode;
  }

  /** Kafka's DelayedJoin: completes once every member rejoined, or at the rebalance timeout. */
  private scheduleJoin(group: Group): void {
    group.joinTimer?.timer.cancel();
    group.joinTimer = null;
    if (group.hasAllMembersJoined) return this.completeJoin(group);
    const timer = this.opts.clock.setTimeout(() => {
      group.joinTimer = null;
      this.completeJoin(group);
    }, group.rebalanceTimeoutMs);
    group.joinTimer = { timer, initial: false };
  }

  /**
   * Kafka's InitialDelayedJoin: the first rebalance of an Empty group waits the initial delay, and
   * again while new members keep arriving, never beyond the rebalance timeout.
   */
  private scheduleInitialJoin(group: Group, delayMs: number, remainingMs: number): void {
    const timer = this.opts.clock.setTimeout(() => {
      group.joinTimer = null;
      if (group.newMemberAdded && remainingMs !== 0) {
        group.newMemberAdded = false;
        const nextDelay = Math.min(this.opts.config.groupInitialRebalanceDelayMs, remainingMs);
        this.scheduleInitialJoin(group, nextDelay, Math.max(remainingMs - delayMs, 0));
      } else {
        this.completeJoin(group);
      }
    }, delayMs);
    group.joinTimer = { timer, initial: true };
  }

  private completeJoin(group: Group): void {
    // Static members keep their place: they may be restarting and will rejoin under the same instance id.
    const gone = group.notYetRejoinedMembers().filter((m) => !m.isStatic);
    if (gone.length > 0) {
      const ids = gone.map((m) => m.memberId).join(', ');
      this.opts.log.info(`Group ${group.groupId} removed dynamic members who haven't joined: ${ids}`);
      for (const member of gone) this.dropMember(group, member);
    }
    if (!group.maybeElectNewJoinedLeader() && group.size > 0) {
      this.opts.log.warn(`Group ${group.groupId} could not complete rebalance because no members rejoined`);
      return this.scheduleJoin(group);
    }
    group.initNextGeneration();
    if (group.is('Empty')) {
      this.opts.log.info(`Group ${group.groupId} with generation ${group.generationId} is now empty`);
      // Nobody waits for it: a lost write only brings back the previous generation, whose members then time out.
      void this.persist(group);
      return;
    }
    this.opts.log.info(`Stabilized group ${group.groupId} generation ${group.generationId} with ${group.size} members`);
    for (const member of group.allMembers()) {
      group.completeJoin(member, group.joinResult(member, group.isLeader(member.memberId)));
      this.scheduleSessionExpiry(group, member);
      member.isNew = false;
      group.addPendingSyncMember(member.memberId);
    }
    this.schedulePendingSync(group);
  }

  private resetAndPropagateAssignmentError(group: Group, errorCode: number): void {
    for (const member of group.allMembers()) member.assignment = Buffer.alloc(0);
    this.propagateAssignment(group, errorCode);
  }

  private propagateAssignment(group: Group, errorCode: number): void {
    const ok = errorCode === ErrorCode.NONE;
    for (const member of group.allMembers()) {
      const { protocolType, protocolName } = group;
      const result: SyncGroupResult = ok
        ? { errorCode, protocolType, protocolName, assignment: member.assignment }
        : syncError(errorCode);
      // The session restarts now: an expiry while the member waited for the leader was ignored.
      if (group.completeSync(member, result)) this.scheduleSessionExpiry(group, member);
    }
  }

  /**
   * Kafka's DelayedSync: members that have not fetched their assignment by the rebalance timeout are
   * removed and the group rebalances. Cancelled once everyone synced, or when a rebalance starts.
   */
  private schedulePendingSync(group: Group): void {
    group.syncTimer = this.opts.clock.setTimeout(() => {
      group.syncTimer = null;
      const stale = group.allPendingSyncMembers();
      for (const memberId of stale) {
        const member = group.get(memberId);
        if (member) this.dropMember(group, member);
      }
      this.prepareRebalance(group, `removing ${stale.join(', ')} on pending sync request expiration`);
    }, group.rebalanceTimeoutMs);
  }

  private clearPendingSync(group: Group): void {
    group.clearPendingSyncMembers();
    group.syncTimer?.cancel();
    group.syncTimer = null;
  }
}
