// What a test (or the HTTP control plane) can change in one broker's behaviour, kept outside the
// broker so that it outlives a restart: an embedded cluster hands the same controls to each new
// start of a broker. The request path and the replica fetcher read them; nothing here touches the
// log or the cluster.

import { FollowerLag } from './follower-lag';
import { RequestFaults } from './request-faults';

export class BrokerControls {
  /** Error codes and delays injected per API key. */
  readonly faults = new RequestFaults();
  /** Partitions this broker, as a follower, holds some records behind their leader. */
  readonly followerLag = new FollowerLag();
}
