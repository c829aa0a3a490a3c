// Requests and results of the classic group membership API, as the protocol handlers see them.
import type { Clock } from '../clock';
import type { GroupStateName, GroupSnapshot } from './types';

export interface GroupProtocol {
  name: string;
  metadata: Buffer;
}

export interface JoinGroupRequest {
  version: number;
  groupId: string;
  sessionTimeoutMs: number;
  /** Ignored for v0, which has no such field: the session timeout is used, as Kafka does. */
  rebalanceTimeoutMs: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string;
  protocols: GroupProtocol[];
  clientId: string;
  clientHost: string;
  reason: string | null;
}

export interface JoinGroupMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Buffer;
}

export interface JoinGroupResult {
  errorCode: number;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leader: string;
  skipAssignment: boolean;
  memberId: string;
  members: JoinGroupMember[];
}

export interface SyncGroupRequest {
  version: number;
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string | null;
  protocolName: string | null;
  assignments: { memberId: string; assignment: Buffer }[];
}

export interface SyncGroupResult {
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export interface LeavingMember {
  memberId: string;
  groupInstanceId: string | null;
  reason: string | null;
}

export interface LeaveGroupResult {
  errorCode: number;
  members: { memberId: string; groupInstanceId: string | null; errorCode: number }[];
}

export interface DescribedMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  memberMetadata: Buffer;
  memberAssignment: Buffer;
}

export interface DescribedGroup {
  errorCode: number;
  groupState: string;
  protocolType: string;
  protocolData: string;
  members: DescribedMember[];
}

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  groupState: string;
}

export interface GroupInfo {
  state: GroupStateName;
  protocolType: string;
  currentStateTimestamp: number;
  /** Topics the members subscribe to; null when unknown (not a consumer group, or unparsable metadata). */
  subscribedTopics: Set<string> | null;
}

export interface GroupCoordinatorConfig {
  groupMinSessionTimeoutMs: number;
  groupMaxSessionTimeoutMs: number;
  groupInitialRebalanceDelayMs: number;
  groupMaxSize: number;
}

export interface GroupCoordinatorOptions {
  clock: Clock;
  config: GroupCoordinatorConfig;
  /**
   * Called with the group's state when the leader's assignment is stored, when a group becomes
   * Empty, and when a static member is replaced without a rebalance; the caller writes it to
   * __consumer_offsets. Resolves once the write is replicated, with NONE or the error the waiting
   * SyncGroup or JoinGroup gets, as Kafka's storeGroup reports it.
   */
  persist: (snapshot: GroupSnapshot) => Promise<number>;
  /** Called when a group becomes Dead (deleted, or emptied with nothing left), for a tombstone. */
  onGroupRemoved?: (groupId: string) => void;
  log: { info(m: string): void; warn(m: string): void };
}
