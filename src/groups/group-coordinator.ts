// Classic group membership, as Kafka 3.9's GroupCoordinator in ZooKeeper mode: JoinGroup parks
// members until the rebalance completes, the leader's SyncGroup hands out the assignment, and
// heartbeats, session expiry, LeaveGroup and static membership move groups through their states.
// Kafka's delayed operations (join, sync, heartbeat) are timers of the injected clock.
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../../protocol/errors';
import type {
  DescribedGroup,
  GroupCoordinatorOptions,
  GroupInfo,
  HeartbeatRequest,
  JoinGroupRequest,
  JoinGroupResult,
  LeaveGroupResult,
  LeavingMember,
  ListedGroup,
  SyncGroupRequest,
  SyncGroupResult,
} from './coordinator-api';
import { Group } from './group';
import { GroupMember, JoinWaiter, SyncWaiter } from './member';
import { Rebalancer } from './rebalance';
import { joinError, syncError } from './results';
import type { GroupSnapshot } from './types';

/** How long a brand-new member may wait in a rebalance (Kafka's NewMemberJoinTimeoutMs). */
const NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;

const UNKNOWN_MEMBER_ID = '';

export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();
  private active = true;
  private readonly rebalance: Rebalancer;

  constructor(private readonly opts: GroupCoordinatorOptions) {
    this.rebalance = new Rebalancer(opts);
  }

  joinGroup(req: JoinGroupRequest): Promise<JoinGroupResult> {
    return new Promise((resolve) => this.handleJoinGroup(req, resolve));
  }

  syncGroup(req: SyncGroupRequest): Promise<SyncGroupResult> {
    return new Promise((resolve) => this.handleSyncGroup(req, resolve));
  }

  heartbeat(req: HeartbeatRequest): number {
    const statusError = this.validateGroupStatus(req.groupId);
    if (statusError !== ErrorCode.NONE) return statusError;
    const group = this.groups.get(req.groupId);
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    const memberError = this.validateCurrentMember(group, req.memberId, req.groupInstanceId);
    if (memberError !== ErrorCode.NONE) return memberError;
    if (req.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    const member = group.get(req.memberId)!;
    switch (group.state) {
      case 'PreparingRebalance':
        this.rebalance.scheduleSessionExpiry(group, member);
        return ErrorCode.REBALANCE_IN_PROGRESS;
      // Consumers may heartbeat between their JoinGroup and SyncGroup responses.
      case 'CompletingRebalance':
      case 'Stable':
        this.rebalance.scheduleSessionExpiry(group, member);
        return ErrorCode.NONE;
      default:
        return ErrorCode.UNKNOWN_MEMBER_ID;
    }
  }

  leaveGroup(groupId: string, members: LeavingMember[]): LeaveGroupResult {
    const statusError = this.validateGroupStatus(groupId);
    if (statusError !== ErrorCode.NONE) return { errorCode: statusError, members: [] };
    const group = this.groups.get(groupId);
    const answer = (m: LeavingMember, errorCode: number) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      errorCode,
    });
    const errorFor = (m: LeavingMember) => (group ? this.removeLeavingMember(group, m) : ErrorCode.UNKNOWN_MEMBER_ID);
    return { errorCode: ErrorCode.NONE, members: members.map((m) => answer(m, errorFor(m))) };
  }

  describeGroup(groupId: string): DescribedGroup {
    const none = { protocolType: '', protocolData: '', members: [] };
    if (!this.active) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, groupState: '', ...none };
    const group = this.groups.get(groupId);
    if (!group) return { errorCode: ErrorCode.NONE, groupState: 'Dead', ...none };
    // Metadata and assignments are only meaningful once the group has settled on a protocol.
    const stable = group.is('Stable');
    const protocolName = group.protocolName ?? '';
    const empty = Buffer.alloc(0);
    return {
      errorCode: ErrorCode.NONE,
      groupState: group.state,
      protocolType: group.protocolType ?? '',
      protocolData: stable ? protocolName : '',
      members: group.allMembers().map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: stable ? m.metadata(protocolName) : empty,
        memberAssignment: stable ? m.assignment : empty,
      })),
    };
  }

  listGroups(statesFilter: string[]): ListedGroup[] {
    if (!this.active) return [];
    const states = new Set(statesFilter.map((s) => s.toLowerCase()));
    const listed: ListedGroup[] = [];
    for (const group of this.groups.values()) {
      if (states.size > 0 && !states.has(group.state.toLowerCase())) continue;
      listed.push({ groupId: group.groupId, protocolType: group.protocolType ?? '', groupState: group.state });
    }
    return listed;
  }

  deleteGroup(groupId: string): number {
    if (!this.active) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const group = this.groups.get(groupId);
    if (!group) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (!group.is('Empty')) return ErrorCode.NON_EMPTY_GROUP;
    this.removeGroup(group);
    this.opts.log.info(`Group ${groupId} was deleted`);
    return ErrorCode.NONE;
  }

  /**
   * Fencing for OffsetCommit (and, with `transactional`, TxnOffsetCommit). generationId -1 with an
   * empty member id is a commit from outside group management: fine while the group is Empty or
   * unknown (an Empty group is created for it, as Kafka does).
   */
  validateOffsetCommit(
    groupId: string,
    generationId: number,
    memberId: string,
    groupInstanceId: string | null,
    transactional = false,
  ): number {
    if (!this.active) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    let group = this.groups.get(groupId);
    if (!group) {
      if (!transactional && generationId >= 0) return ErrorCode.ILLEGAL_GENERATION;
      this.opts.log.info(`Creating simple consumer group ${groupId} via manual offset commit`);
      group = this.addGroup(groupId);
    }
    const error = this.validateCommitMember(group, generationId, memberId, groupInstanceId, transactional);
    if (error !== ErrorCode.NONE || transactional) return error;
    switch (group.state) {
      case 'Empty':
        return ErrorCode.NONE;
      // Commits of the previous generation are still welcome while the group rebalances; the
      // heartbeat response tells the member about the rebalance.
      case 'Stable':
      case 'PreparingRebalance':
        this.rebalance.scheduleSessionExpiry(group, group.get(memberId)!);
        return ErrorCode.NONE;
      case 'CompletingRebalance':
        return ErrorCode.REBALANCE_IN_PROGRESS;
      default:
        return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    }
  }

  /**
   * OffsetFetch v9 carries a member id and epoch for the new consumer protocol; Kafka's classic
   * coordinator ignores them, so only the coordinator's own availability is checked.
   */
  validateOffsetFetch(_groupId: string, _memberId: string | null, _memberEpoch: number): number {
    return this.active ? ErrorCode.NONE : ErrorCode.COORDINATOR_NOT_AVAILABLE;
  }

  groupInfo(groupId: string): GroupInfo | undefined {
    const group = this.groups.get(groupId);
    if (!group) return undefined;
    return {
      state: group.state,
      protocolType: group.protocolType ?? '',
      currentStateTimestamp: group.currentStateTimestamp,
      subscribedTopics: group.subscribedTopics,
    };
  }

  /** Rebuilds a group read back from __consumer_offsets; a later snapshot of the same group wins. */
  loadGroup(snapshot: GroupSnapshot): void {
    const previous = this.groups.get(snapshot.groupId);
    if (previous) this.rebalance.unload(previous);
    const group = Group.restore(snapshot, () => this.opts.clock.now());
    this.groups.set(group.groupId, group);
    this.opts.log.info(`Loaded group ${group.groupId} with generation ${group.generationId} in state ${group.state}`);
    if (group.size > this.opts.config.groupMaxSize) {
      const reason = `freshly-loaded group is over capacity (${this.opts.config.groupMaxSize})`;
      this.rebalance.prepareRebalance(group, reason);
    }
    for (const member of group.allMembers()) this.rebalance.scheduleSessionExpiry(group, member);
  }

  /** An Empty group whose offsets all expired: it becomes Dead and is forgotten. */
  removeIfEmpty(groupId: string): void {
    const group = this.groups.get(groupId);
    if (!group?.is('Empty')) return;
    this.removeGroup(group);
    this.opts.log.info(`Group ${groupId} transitioned to Dead with no offsets left`);
  }

  /** This broker stopped leading the groups' offsets partition: forget them (pending requests are answered). */
  unloadGroups(belongs: (groupId: string) => boolean): void {
    for (const group of [...this.groups.values()]) {
      if (!belongs(group.groupId)) continue;
      this.rebalance.unload(group);
      this.groups.delete(group.groupId);
    }
  }

  shutdown(): void {
    this.active = false;
    for (const group of this.groups.values()) this.rebalance.unload(group);
    this.groups.clear();
  }

  // ---- JoinGroup ----

  private handleJoinGroup(req: JoinGroupRequest, respond: JoinWaiter): void {
    const statusError = this.validateGroupStatus(req.groupId);
    if (statusError !== ErrorCode.NONE) return respond(joinError(req.memberId, statusError));
    const { groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs } = this.opts.config;
    if (req.sessionTimeoutMs < groupMinSessionTimeoutMs || req.sessionTimeoutMs > groupMaxSessionTimeoutMs) {
      return respond(joinError(req.memberId, ErrorCode.INVALID_SESSION_TIMEOUT));
    }
    const isUnknownMember = req.memberId === UNKNOWN_MEMBER_ID;
    let group = this.groups.get(req.groupId);
    if (!group) {
      if (!isUnknownMember) return respond(joinError(req.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
      group = this.addGroup(req.groupId);
    }
    const rebalanceTimeoutMs = req.version === 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs;
    const join: Join = { ...req, rebalanceTimeoutMs, respond };
    if (!this.acceptJoiningMember(group, req.memberId)) {
      const rejected = group.get(req.memberId);
      if (rejected) this.rebalance.dropMember(group, rejected);
      group.removePendingMember(req.memberId);
      respond(joinError(UNKNOWN_MEMBER_ID, ErrorCode.GROUP_MAX_SIZE_REACHED));
    } else if (isUnknownMember) {
      this.joinNewMember(group, join);
    } else {
      this.joinCurrentMember(group, join);
    }
    if (group.is('PreparingRebalance')) this.rebalance.tryCompleteJoin(group);
  }

  /** group.max.size, counted so that an over-full group sheds its last rejoiners. */
  private acceptJoiningMember(group: Group, memberId: string): boolean {
    const max = this.opts.config.groupMaxSize;
    switch (group.state) {
      case 'PreparingRebalance':
        return group.get(memberId)?.isAwaitingJoin === true || group.numAwaiting < max;
      case 'CompletingRebalance':
      case 'Stable':
        return group.has(memberId) || group.size < max;
      default:
        return true;
    }
  }

  private joinNewMember(group: Group, join: Join): void {
    if (!group.supportsProtocols(join.protocolType, protocolNames(join))) {
      return join.respond(joinError(UNKNOWN_MEMBER_ID, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    const newMemberId = `${join.groupInstanceId ?? join.clientId}-${randomUUID()}`;
    if (join.groupInstanceId !== null) {
      const oldMemberId = group.currentStaticMemberId(join.groupInstanceId);
      if (oldMemberId !== undefined) {
        this.opts.log.info(
          `Static member with groupInstanceId=${join.groupInstanceId} and unknown member id joins group ` +
            `${group.groupId} in ${group.state} state. Replacing previously mapped member ${oldMemberId}.`,
        );
        return this.replaceStaticMember(group, join, oldMemberId, newMemberId);
      }
      return this.addMemberAndRebalance(group, join, newMemberId);
    }
    if (join.version >= 4) {
      // The member must come back with this id, which proves it received the response.
      const expire = () => this.rebalance.expirePendingMember(group, newMemberId);
      const expiry = this.opts.clock.setTimeout(expire, join.sessionTimeoutMs);
      group.addPendingMember(newMemberId, expiry);
      return join.respond(joinError(newMemberId, ErrorCode.MEMBER_ID_REQUIRED));
    }
    this.addMemberAndRebalance(group, join, newMemberId);
  }

  private joinCurrentMember(group: Group, join: Join): void {
    if (!group.supportsProtocols(join.protocolType, protocolNames(join))) {
      return join.respond(joinError(join.memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    if (group.isPendingMember(join.memberId)) {
      // Pending ids are only handed to dynamic members; Kafka fails such a request internally.
      if (join.groupInstanceId !== null) return join.respond(joinError(join.memberId, ErrorCode.UNKNOWN_SERVER_ERROR));
      return this.addMemberAndRebalance(group, join, join.memberId);
    }
    const memberError = this.validateCurrentMember(group, join.memberId, join.groupInstanceId);
    if (memberError !== ErrorCode.NONE) return join.respond(joinError(join.memberId, memberError));
    const member = group.get(join.memberId)!;
    switch (group.state) {
      case 'PreparingRebalance':
        return this.updateMemberAndRebalance(group, member, join, 'joining during PreparingRebalance');
      case 'CompletingRebalance':
        // Same metadata: the member most likely lost its JoinGroup response; send it again.
        if (member.matches(join.protocols)) {
          return join.respond(group.joinResult(member, group.isLeader(member.memberId)));
        }
        return this.updateMemberAndRebalance(group, member, join, 'metadata changed during CompletingRebalance');
      case 'Stable':
        // A rejoining leader forces a rebalance, so it can react to changes outside member metadata.
        if (group.isLeader(member.memberId)) {
          return this.updateMemberAndRebalance(group, member, join, 'leader rejoined');
        }
        if (!member.matches(join.protocols)) {
          return this.updateMemberAndRebalance(group, member, join, 'metadata changed');
        }
        return join.respond(group.joinResult(member, false));
      default:
        return join.respond(joinError(join.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    }
  }

  private addMemberAndRebalance(group: Group, join: Join, memberId: string): void {
    const member = new GroupMember(
      memberId,
      join.groupInstanceId,
      join.clientId,
      join.clientHost,
      join.rebalanceTimeoutMs,
      join.sessionTimeoutMs,
      join.protocolType,
      join.protocols,
    );
    member.isNew = true;
    // Lets the initial delay extend while the first generation keeps gaining members.
    if (group.is('PreparingRebalance') && group.generationId === 0) group.newMemberAdded = true;
    group.add(member, join.respond);
    // The session timeout cannot apply while the member waits without an id it could heartbeat with.
    this.rebalance.scheduleExpiry(group, member, NEW_MEMBER_JOIN_TIMEOUT_MS);
    const reason = `adding new member ${memberId} with group instance id ${join.groupInstanceId}${reasonSuffix(join)}`;
    this.rebalance.maybePrepareRebalance(group, reason);
  }

  private updateMemberAndRebalance(group: Group, member: GroupMember, join: Join, why: string): void {
    this.setJoinRequest(group, member, join);
    this.rebalance.maybePrepareRebalance(group, `member ${member.memberId} ${why}${reasonSuffix(join)}`);
  }

  /** Takes the member's new protocols and timeouts and parks its JoinGroup (answering an older one). */
  private setJoinRequest(group: Group, member: GroupMember, join: Join): void {
    group.completeJoin(member, joinError(member.memberId, ErrorCode.REBALANCE_IN_PROGRESS));
    group.updateMember(member, join.protocols, join.rebalanceTimeoutMs, join.sessionTimeoutMs, join.respond);
  }

  private replaceStaticMember(group: Group, join: Join, oldMemberId: string, newMemberId: string): void {
    const instanceId = join.groupInstanceId!;
    const previousLeader = group.leaderId;
    const member = group.replaceStaticMember(instanceId, oldMemberId, newMemberId);
    this.rebalance.scheduleSessionExpiry(group, member);
    const previous = { protocols: member.protocols, rebalanceTimeoutMs: member.rebalanceTimeoutMs, sessionTimeoutMs: member.sessionTimeoutMs };
    this.setJoinRequest(group, member, join);
    switch (group.state) {
      case 'Stable': {
        if (group.selectProtocol() !== group.protocolName) {
          const reason = `static member ${instanceId} rejoined with a change of protocol`;
          return this.rebalance.maybePrepareRebalance(group, reason);
        }
        this.opts.log.info(`Static member ${instanceId} rejoined Stable group ${group.groupId} without a rebalance`);
        // The new member id is answered only once the ISR has it, so a new coordinator knows it too.
        void this.rebalance.persist(group).then((errorCode) => {
          // Unloaded, or the member left meanwhile: its JoinGroup was answered then.
          if (group.is('Dead') || group.get(newMemberId) !== member) return;
          if (errorCode !== ErrorCode.NONE) {
            // The old instance stays the member; the new one learns why it was refused.
            group.updateMember(member, previous.protocols, previous.rebalanceTimeoutMs, previous.sessionTimeoutMs, null);
            group.replaceStaticMember(instanceId, newMemberId, oldMemberId);
            this.rebalance.scheduleSessionExpiry(group, member);
            const { generationId, protocolType, protocolName } = group;
            return join.respond({ ...joinError(UNKNOWN_MEMBER_ID, errorCode), generationId, protocolType, protocolName, leader: previousLeader ?? '' });
          }
          if (join.version >= 9) {
            // The leader learns it leads but skips the assignor: the Stable group would ignore its result.
            const isLeader = group.isLeader(newMemberId);
            return group.completeJoin(member, { ...group.joinResult(member, isLeader), skipAssignment: isLeader });
          }
          // Older clients are told the previous leader id, so a returning leader does not run the assignor.
          group.completeJoin(member, { ...group.joinResult(member, false), leader: previousLeader ?? '' });
        });
        return;
      }
      case 'CompletingRebalance':
        // The leader may be assigning to the old member id; only a new rebalance gets this one an assignment.
        return this.rebalance.prepareRebalance(group, `static member ${instanceId} rejoined while completing`);
      default:
        return;
    }
  }

  // ---- SyncGroup ----

  private handleSyncGroup(req: SyncGroupRequest, respond: SyncWaiter): void {
    // From v5 both fields are mandatory; Kafka checks this before anything else.
    if (req.version >= 5 && (req.protocolType === null || req.protocolName === null)) {
      return respond(syncError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    const statusError = this.validateGroupStatus(req.groupId);
    if (statusError !== ErrorCode.NONE) return respond(syncError(statusError));
    const group = this.groups.get(req.groupId);
    if (!group) return respond(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    const error = this.validateSyncGroup(group, req);
    if (error !== ErrorCode.NONE) return respond(syncError(error));
    const member = group.get(req.memberId)!;
    switch (group.state) {
      case 'PreparingRebalance':
        return respond(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      case 'CompletingRebalance':
        group.completeSync(member, syncError(ErrorCode.REBALANCE_IN_PROGRESS));
        member.syncWaiter = respond;
        this.rebalance.removePendingSyncMember(group, member.memberId);
        if (group.isLeader(member.memberId)) this.rebalance.storeAssignment(group, member.memberId, req.assignments);
        return;
      case 'Stable': {
        this.rebalance.removePendingSyncMember(group, member.memberId);
        const { protocolType, protocolName } = group;
        respond({ errorCode: ErrorCode.NONE, protocolType, protocolName, assignment: member.assignment });
        return this.rebalance.scheduleSessionExpiry(group, member);
      }
      default:
        return respond(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    }
  }

  private validateSyncGroup(group: Group, req: SyncGroupRequest): number {
    const memberError = this.validateCurrentMember(group, req.memberId, req.groupInstanceId);
    if (memberError !== ErrorCode.NONE) return memberError;
    if (req.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    const typeMismatch = req.protocolType !== null && req.protocolType !== group.protocolType;
    const nameMismatch = req.protocolName !== null && req.protocolName !== group.protocolName;
    return typeMismatch || nameMismatch ? ErrorCode.INCONSISTENT_GROUP_PROTOCOL : ErrorCode.NONE;
  }

  // ---- Members leaving and expiring ----

  private removeLeavingMember(group: Group, leaving: LeavingMember): number {
    const why = `left through LeaveGroup; client reason: ${leaving.reason ?? 'not provided'}`;
    // Administrative removal names only the instance id.
    if (leaving.memberId === UNKNOWN_MEMBER_ID) {
      const instanceId = leaving.groupInstanceId;
      const memberId = instanceId === null ? undefined : group.currentStaticMemberId(instanceId);
      if (memberId === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
      this.rebalance.removeMemberAndUpdateGroup(group, group.get(memberId)!, why);
      return ErrorCode.NONE;
    }
    if (group.isPendingMember(leaving.memberId)) {
      group.removePendingMember(leaving.memberId);
      this.opts.log.info(`Pending member ${leaving.memberId} has left group ${group.groupId} through LeaveGroup`);
      if (group.is('PreparingRebalance')) this.rebalance.tryCompleteJoin(group);
      return ErrorCode.NONE;
    }
    const error = this.validateCurrentMember(group, leaving.memberId, leaving.groupInstanceId);
    if (error !== ErrorCode.NONE) return error;
    this.rebalance.removeMemberAndUpdateGroup(group, group.get(leaving.memberId)!, why);
    return ErrorCode.NONE;
  }

  // ---- Validation and the group table ----

  /** Membership APIs need a group id; only the offset and admin APIs accept an empty one, as in Kafka. */
  private validateGroupStatus(groupId: string): number {
    if (groupId === '') return ErrorCode.INVALID_GROUP_ID;
    if (!this.active) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    return ErrorCode.NONE;
  }

  /** A static member's instance id must map to this member id; the member id must be in the group. */
  private validateCurrentMember(group: Group, memberId: string, groupInstanceId: string | null): number {
    if (groupInstanceId !== null) {
      const current = group.currentStaticMemberId(groupInstanceId);
      if (current === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (current !== memberId) {
        this.opts.log.info(
          `Request memberId=${memberId} for static member with groupInstanceId=${groupInstanceId} ` +
            `is fenced by current memberId=${current}`,
        );
        return ErrorCode.FENCED_INSTANCE_ID;
      }
    }
    return group.has(memberId) ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  private validateCommitMember(
    group: Group,
    generationId: number,
    memberId: string,
    groupInstanceId: string | null,
    transactional: boolean,
  ): number {
    if (generationId < 0 && group.is('Empty')) return ErrorCode.NONE;
    if (generationId >= 0 || memberId !== UNKNOWN_MEMBER_ID || groupInstanceId !== null) {
      const error = this.validateCurrentMember(group, memberId, groupInstanceId);
      if (error !== ErrorCode.NONE) return error;
      return generationId === group.generationId ? ErrorCode.NONE : ErrorCode.ILLEGAL_GENERATION;
    }
    // Only members commit to a live group; old TxnOffsetCommit versions carry no member fields.
    return transactional ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  private addGroup(groupId: string): Group {
    const group = new Group(groupId, () => this.opts.clock.now());
    this.groups.set(groupId, group);
    return group;
  }

  private removeGroup(group: Group): void {
    this.rebalance.unload(group);
    this.groups.delete(group.groupId);
    this.opts.onGroupRemoved?.(group.groupId);
  }
}

/** A JoinGroup in flight, with its effective rebalance timeout and the way to answer it. */
interface Join extends JoinGroupRequest {
  respond: JoinWaiter;
}

function protocolNames(join: Join): string[] {
  return join.protocols.map((p) => p.name);
}

function reasonSuffix(join: Join): string {
  return `; client reason: ${join.reason ?? 'not provided'}`;
}
