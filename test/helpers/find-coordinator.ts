// Waiting for a coordinator, as a client does: FindCoordinator until it names a broker.

import { Apis, ErrorCode } from '../../protocol';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { waitFor } from './wait';

export const GROUP_KEY = 0;
export const TRANSACTION_KEY = 1;

/** FindCoordinator v4 through `via` until it names a broker other than `not` (the first call creates the internal topic). */
export async function coordinatorOf(via: KafkaConnection, keyType: number, key: string, not = -1): Promise<number> {
  let nodeId = -1;
  await waitFor(async () => {
    const res = await via.request(Apis.FindCoordinator, 4, { keyType, coordinatorKeys: [key] });
    const found = res.coordinators[0];
    nodeId = found.errorCode === ErrorCode.NONE ? found.nodeId : -1;
    return nodeId >= 0 && nodeId !== not;
  }, `a ${keyType === TRANSACTION_KEY ? 'transaction ' : ''}coordinator for ${key}`);
  return nodeId;
}
