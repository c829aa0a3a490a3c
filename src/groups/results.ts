// Failed answers to JoinGroup and SyncGroup, shaped as Kafka's JoinGroupResult/SyncGroupResult
// (a successful JoinGroup answer is the group's own: Group.joinResult).
import type { JoinGroupResult, SyncGroupResult } from './coordinator-api';

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
