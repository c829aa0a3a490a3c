// What LeaderAndIsr, UpdateMetadata and StopReplica share: only a ZooKeeper-mode broker acts on
// them, and only for the current controller epoch and this broker's own registration.

import { ErrorCode } from '../../protocol';
import { ControllerRequests } from '../cluster/controller-requests';
import { RequestContext } from './handler';

export type Checked = { errorCode: typeof ErrorCode.NONE; requests: ControllerRequests } | { errorCode: number; requests: null };

export function checkControllerRequest(ctx: RequestContext, controllerEpoch: number, brokerEpoch: bigint): Checked {
  const requests = ctx.controller.controllerRequests;
  // Without ZooKeeper there is no controller whose requests count.
  if (!requests) return { errorCode: ErrorCode.STALE_CONTROLLER_EPOCH, requests: null };
  const errorCode = requests.checkEpochs(controllerEpoch, brokerEpoch);
  return errorCode === ErrorCode.NONE ? { errorCode, requests } : { errorCode, requests: null };
}
