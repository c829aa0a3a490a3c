// What a test (or the HTTP control plane) can change in one broker's behaviour, kept outside the
// broker so that it outlives a restart: an embedded cluster hands the same controls to each new
// start of a broker. The request path and the replica fetcher read them; nothing here touches the
// log or the cluster.

import { FollowerLag } from './follower-lag';
import { RequestFaults } from './request-faults';
import { RequestLog } from './request-log';
import { VersionCap } from './version-cap';

export class BrokerControls {
  /** Injected faults: error codes and delays per API key, dropped connections, a black hole, refused connections. */
  readonly faults = new RequestFaults();
  /** The last requests answered (off until resized). */
  readonly requestLog = new RequestLog();
  /** The Kafka release whose API versions the broker advertises and accepts (none: all it serves). */
  readonly versions = new VersionCap();
  /** Partitions this broker, as a follower, holds some records behind their leader. */
  readonly followerLag = new FollowerLag();
}
