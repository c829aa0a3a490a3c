// The API versions each Apache Kafka release from 2.0 to 3.9 serves as a ZooKeeper-mode broker, so a
// test can make a broker answer as that release would (VersionCap in src/control) and exercise a
// client's fallback to older request versions. APIs only a KRaft controller or KRaft broker serves
// are left out. Every minimum is 0: no release before 4.0 dropped an old request version (KIP-896).
//
// Sources: the ZooKeeper release tables of franz-go's kversion package (each bump annotated with its
// KAFKA ticket and KIP); the 3.9 row equals the "validVersions" of every request schema that lists
// the "zkBroker" listener in Kafka 3.9's clients/src/main/resources/common/message.

import { VersionRange } from './spec';

export const KAFKA_RELEASES = ['2.0', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '2.7', '2.8', '3.0', '3.1', '3.2', '3.3', '3.4', '3.5', '3.6', '3.7', '3.8', '3.9'] as const;

export type KafkaRelease = (typeof KAFKA_RELEASES)[number];

/**
 * For each API key, the releases in which its highest version changed and the version it became;
 * the first entry is the release that first served it (or 2.0, for what 2.0 already had).
 */
const MAX_VERSION_HISTORY: readonly (readonly [number, readonly (readonly [KafkaRelease, number])[]])[] = [
  [0, [['2.0', 6], ['2.1', 7], ['2.4', 8], ['2.8', 9], ['3.7', 10], ['3.8', 11]]], // Produce
  [1, [['2.0', 8], ['2.1', 10], ['2.3', 11], ['2.7', 12], ['3.1', 13], ['3.5', 15], ['3.7', 16], ['3.9', 17]]], // Fetch
  [2, [['2.0', 3], ['2.1', 4], ['2.2', 5], ['2.8', 6], ['3.0', 7], ['3.5', 8], ['3.9', 9]]], // ListOffsets
  [3, [['2.0', 6], ['2.1', 7], ['2.3', 8], ['2.4', 9], ['2.8', 11], ['3.1', 12]]], // Metadata
  [4, [['2.0', 1], ['2.2', 2], ['2.4', 4], ['2.8', 5], ['3.2', 6], ['3.4', 7]]], // LeaderAndIsr
  [5, [['2.0', 0], ['2.2', 1], ['2.4', 2], ['2.6', 3], ['3.4', 4]]], // StopReplica
  [6, [['2.0', 4], ['2.2', 5], ['2.4', 6], ['2.8', 7], ['3.4', 8]]], // UpdateMetadata
  [7, [['2.0', 1], ['2.2', 2], ['2.4', 3]]], // ControlledShutdown
  [8, [['2.0', 4], ['2.1', 6], ['2.3', 7], ['2.4', 8], ['3.7', 9]]], // OffsetCommit
  [9, [['2.0', 4], ['2.1', 5], ['2.4', 6], ['2.5', 7], ['3.0', 8], ['3.7', 9]]], // OffsetFetch
  [10, [['2.0', 2], ['2.4', 3], ['3.0', 4], ['3.8', 5], ['3.9', 6]]], // FindCoordinator
  [11, [['2.0', 3], ['2.2', 4], ['2.3', 5], ['2.4', 6], ['2.5', 7], ['3.2', 9]]], // JoinGroup
  [12, [['2.0', 2], ['2.3', 3], ['2.4', 4]]], // Heartbeat
  [13, [['2.0', 2], ['2.4', 4], ['3.2', 5]]], // LeaveGroup
  [14, [['2.0', 2], ['2.3', 3], ['2.4', 4], ['2.5', 5]]], // SyncGroup
  [15, [['2.0', 2], ['2.3', 3], ['2.4', 5]]], // DescribeGroups
  [16, [['2.0', 2], ['2.4', 3], ['2.6', 4], ['3.8', 5]]], // ListGroups
  [17, [['2.0', 1]]], // SaslHandshake
  [18, [['2.0', 2], ['2.4', 3], ['3.9', 4]]], // ApiVersions
  [19, [['2.0', 3], ['2.4', 5], ['2.7', 6], ['2.8', 7]]], // CreateTopics
  [20, [['2.0', 2], ['2.1', 3], ['2.4', 4], ['2.7', 5], ['2.8', 6]]], // DeleteTopics
  [21, [['2.0', 1], ['2.6', 2]]], // DeleteRecords
  [22, [['2.0', 1], ['2.4', 2], ['2.5', 3], ['2.7', 4], ['3.8', 5]]], // InitProducerId
  [23, [['2.0', 1], ['2.1', 2], ['2.3', 3], ['2.8', 4]]], // OffsetForLeaderEpoch
  [24, [['2.0', 1], ['2.7', 2], ['2.8', 3], ['3.6', 4], ['3.8', 5]]], // AddPartitionsToTxn
  [25, [['2.0', 1], ['2.7', 2], ['2.8', 3], ['3.8', 4]]], // AddOffsetsToTxn
  [26, [['2.0', 1], ['2.7', 2], ['2.8', 3], ['3.8', 4]]], // EndTxn
  [27, [['2.0', 0], ['2.8', 1]]], // WriteTxnMarkers
  [28, [['2.0', 1], ['2.1', 2], ['2.5', 3], ['3.8', 4]]], // TxnOffsetCommit
  [29, [['2.0', 1], ['2.5', 2], ['3.3', 3]]], // DescribeAcls
  [30, [['2.0', 1], ['2.5', 2], ['3.3', 3]]], // CreateAcls
  [31, [['2.0', 1], ['2.5', 2], ['3.3', 3]]], // DeleteAcls
  [32, [['2.0', 2], ['2.6', 3], ['2.8', 4]]], // DescribeConfigs
  [33, [['2.0', 1], ['2.8', 2]]], // AlterConfigs
  [34, [['2.0', 1], ['2.8', 2]]], // AlterReplicaLogDirs
  [35, [['2.0', 1], ['2.6', 2], ['3.2', 3], ['3.3', 4]]], // DescribeLogDirs
  [36, [['2.0', 0], ['2.2', 1], ['2.5', 2]]], // SaslAuthenticate
  [37, [['2.0', 1], ['2.5', 2], ['2.7', 3]]], // CreatePartitions
  [38, [['2.0', 1], ['2.4', 2], ['3.3', 3]]], // CreateDelegationToken
  [39, [['2.0', 1], ['2.5', 2]]], // RenewDelegationToken
  [40, [['2.0', 1], ['2.5', 2]]], // ExpireDelegationToken
  [41, [['2.0', 1], ['2.5', 2], ['3.3', 3]]], // DescribeDelegationToken
  [42, [['2.0', 1], ['2.4', 2]]], // DeleteGroups
  [43, [['2.2', 0], ['2.4', 2]]], // ElectLeaders
  [44, [['2.3', 0], ['2.4', 1]]], // IncrementalAlterConfigs
  [45, [['2.4', 0]]], // AlterPartitionReassignments
  [46, [['2.4', 0]]], // ListPartitionReassignments
  [47, [['2.4', 0]]], // OffsetDelete
  [48, [['2.6', 0], ['2.8', 1]]], // DescribeClientQuotas
  [49, [['2.6', 0], ['2.8', 1]]], // AlterClientQuotas
  [50, [['2.7', 0]]], // DescribeUserScramCredentials
  [51, [['2.7', 0]]], // AlterUserScramCredentials
  [56, [['2.7', 0], ['3.2', 1], ['3.3', 2], ['3.5', 3]]], // AlterPartition
  [57, [['2.7', 0], ['3.3', 1]]], // UpdateFeatures
  [58, [['3.4', 0]]], // Envelope
  [60, [['2.8', 0], ['3.7', 1]]], // DescribeCluster
  [61, [['2.8', 0]]], // DescribeProducers
  [65, [['3.0', 0]]], // DescribeTransactions
  [66, [['3.0', 0], ['3.8', 1]]], // ListTransactions
  [67, [['3.0', 0]]], // AllocateProducerIds
  [68, [['3.7', 0]]], // ConsumerGroupHeartbeat
  [69, [['3.8', 0]]], // ConsumerGroupDescribe
];

const BY_RELEASE: ReadonlyMap<string, ReadonlyMap<number, VersionRange>> = new Map(KAFKA_RELEASES.map((release, i) => [release, apisAt(i)]));

/** Each API the release at this index served, with the max of its last change up to that release. */
function apisAt(releaseIndex: number): ReadonlyMap<number, VersionRange> {
  const apis = new Map<number, VersionRange>();
  for (const [apiKey, changes] of MAX_VERSION_HISTORY) {
    let max = -1;
    for (const [release, version] of changes) if (KAFKA_RELEASES.indexOf(release) <= releaseIndex) max = version;
    if (max >= 0) apis.set(apiKey, { min: 0, max });
  }
  return apis;
}

export function isKafkaRelease(name: string): name is KafkaRelease {
  return BY_RELEASE.has(name);
}

/** The versions of every API the release's broker served, by API key; a RangeError for a release not listed. */
export function releaseApiVersions(release: string): ReadonlyMap<number, VersionRange> {
  const apis = BY_RELEASE.get(release);
  if (apis === undefined) throw new RangeError(`unknown Kafka release "${release}"; known releases: ${KAFKA_RELEASES.join(', ')}`);
  return apis;
}
