// The shape of an API handler: the spec it serves, the versions it accepts, and a function from a
// decoded request to a response body (or null: no response, as for acks=0 produce). Handlers reach
// the broker only through the narrow services of their RequestContext.

import { ApiSpec, RequestHeader, RequestOf, ResponseOf, inRange } from '../../protocol';
import type { AclAdministration } from '../auth/acl/acl-admin';
import type { Authorizing } from '../auth/authorizer';
import type { DelegationTokens } from '../auth/tokens/delegation-tokens';
import type { ScramCredentials } from '../auth/sasl/scram-credential-store';
import type { Clock } from '../clock';
import type { ClusterAdmin } from '../cluster/cluster';
import type { FeatureHandling } from '../cluster/features';
import type { MetadataView } from '../cluster/metadata-view';
import type { TopicAdmin } from '../cluster/topic-admin';
import type { BrokerConfigs } from '../cluster/dynamic-broker-config';
import type { BrokerConfig } from '../config';
import type { FetchSessions } from '../fetch/fetch-sessions';
import type { FetchWaiting } from '../fetch/fetch-waiters';
import type { GroupHandling } from '../groups/group-handling';
import type { LogDirsView } from '../log/log-dirs';
import type { Logger } from '../logger';
import type { TopicMetrics } from '../metrics/topic-stats';
import type { ClientQuotas } from '../quotas/client-quotas';
import type { Partitions } from '../replication/local-partitions';
import type { Replication } from '../replication/replica-manager';
import type { LeaderReplicationQuota } from '../replication/replication-quotas';
import type { Session } from '../server/session';
import type { TransactionHandling } from '../txn/transaction-handling';

export interface ApiRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

/** What the broker lends every handler. */
export interface BrokerServices {
  clock: Clock;
  log: Logger;
  /** The configuration in effect: server.properties with overrides, and dynamic broker configs. */
  config: BrokerConfig;
  /** Dynamic broker configs: describe and change those of this broker and the cluster default. */
  brokerConfigs: BrokerConfigs;
  metadata: MetadataView;
  partitions: Partitions;
  /** This broker's log dirs and what they hold (DescribeLogDirs). */
  logDirs: LogDirsView;
  replication: Replication;
  /** The leader side of the replication throttles, for follower fetches. */
  replicationQuota: LeaderReplicationQuota;
  fetchWaiters: FetchWaiting;
  /** Incremental fetch sessions (KIP-227). */
  fetchSessions: FetchSessions;
  groups: GroupHandling;
  transactions: TransactionHandling;
  topicAdmin: TopicAdmin;
  /** The controller's side of admin requests and the controller's requests to this broker. */
  controller: ClusterAdmin;
  /** Supported and finalized features (ApiVersions), the controller's side of UpdateFeatures. */
  features: FeatureHandling;
  /** Client quotas: their admin, and the byte-rate and request quotas requests are recorded on. */
  quotas: ClientQuotas;
  /** ACLs: whether the session's principal may act on a resource (allows all without an authorizer). */
  authorizer: Authorizing;
  /** Delegation tokens: create, renew, expire, describe (Kafka's DelegationTokenManager). */
  delegationTokens: DelegationTokens;
  /** The ACLs themselves, for DescribeAcls, CreateAcls and DeleteAcls (disabled without an authorizer). */
  acls: AclAdministration;
  /** Users' SCRAM credentials (DescribeUserScramCredentials, AlterUserScramCredentials). */
  scramCredentials: ScramCredentials;
  /** Produce and fetch traffic by topic (Kafka's BrokerTopicMetrics), one call per partition. */
  metrics: TopicMetrics;
}

export interface RequestContext extends BrokerServices {
  header: RequestHeader;
  version: number;
  session: Session;
  /** Every API this broker serves, for ApiVersions. */
  apis: readonly ApiRange[];
}

export type HandlerFn<S extends ApiSpec> = (
  request: RequestOf<S>,
  ctx: RequestContext,
) => ResponseOf<S> | null | Promise<ResponseOf<S> | null>;

export interface Handler {
  readonly spec: ApiSpec;
  readonly minVersion: number;
  readonly maxVersion: number;
  readonly handle: HandlerFn<any>;
}

export function handler<S extends ApiSpec>(spec: S, minVersion: number, maxVersion: number, handle: HandlerFn<S>): Handler {
  if (!inRange(spec.validVersions, minVersion) || !inRange(spec.validVersions, maxVersion) || minVersion > maxVersion) {
    throw new Error(`${spec.name} handler versions ${minVersion}-${maxVersion} outside the schema's range`);
  }
  return { spec, minVersion, maxVersion, handle };
}
