// Answers to JoinGroup and SyncGroup, shaped as Kafka's JoinGroupResult/SyncGroupResult.
import { ErrorCode } from '../../protocol/errors';
import type { JoinGroupResult, SyncGroupResult } from './coordinator-api';
import type { Group } from './group';
import type { GroupMember } from './member';

const NO_GENERATION = -1;

export function joinError(memberId: string, errorCode: number): JoinGroupResult {
  return {
    errorCode,
    generationId: NO_GENERATION,
    protocolType: null,
    protocolName: null,
    leader: '',
    skipAssignment: false,
    memberId,
    members: [],
  };
}

export function syncError(errorCode: number): SyncGroupResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) };
}

/** The group's current generation as the member sees it; only the leader gets the members' metadata. */
export function joinSuccess(group: Group, member: GroupMember, withMembers: boolean): JoinGroupResult {
  return {
    errorCode: ErrorCode.NONE,
    generationId: group.generationId,
    protocolType: group.protocolType,
    protocolName: group.protocolName,
    leader: group.leaderId ?? '',
    skipAssignment: false,
    memberId: member.memberId,
    members: withMembers ? group.currentMemberMetadata() : [],
  };
}
