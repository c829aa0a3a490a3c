// Every API a ZooKeeper-mode broker speaks, by key.
import { AddOffsetsToTxn } from './25-add-offsets-to-txn';
import { AddPartitionsToTxn } from './24-add-partitions-to-txn';
import { AllocateProducerIds } from './67-allocate-producer-ids';
import { AlterClientQuotas } from './49-alter-client-quotas';
import { AlterConfigs } from './33-alter-configs';
import { AlterPartitionReassignments } from './45-alter-partition-reassignments';
import { AlterPartition } from './56-alter-partition';
import { AlterReplicaLogDirs } from './34-alter-replica-log-dirs';
import { AlterUserScramCredentials } from './51-alter-user-scram-credentials';
import { ApiVersions } from './18-api-versions';
import { ConsumerGroupDescribe } from './69-consumer-group-describe';
import { ConsumerGroupHeartbeat } from './68-consumer-group-heartbeat';
import { ControlledShutdown } from './07-controlled-shutdown';
import { CreateAcls } from './30-create-acls';
import { CreateDelegationToken } from './38-create-delegation-token';
import { CreatePartitions } from './37-create-partitions';
import { CreateTopics } from './19-create-topics';
import { DeleteAcls } from './31-delete-acls';
import { DeleteGroups } from './42-delete-groups';
import { DeleteRecords } from './21-delete-records';
import { DeleteTopics } from './20-delete-topics';
import { DescribeAcls } from './29-describe-acls';
import { DescribeClientQuotas } from './48-describe-client-quotas';
import { DescribeCluster } from './60-describe-cluster';
import { DescribeConfigs } from './32-describe-configs';
import { DescribeDelegationToken } from './41-describe-delegation-token';
import { DescribeGroups } from './15-describe-groups';
import { DescribeLogDirs } from './35-describe-log-dirs';
import { DescribeProducers } from './61-describe-producers';
import { DescribeTransactions } from './65-describe-transactions';
import { DescribeUserScramCredentials } from './50-describe-user-scram-credentials';
import { ElectLeaders } from './43-elect-leaders';
import { EndTxn } from './26-end-txn';
import { Envelope } from './58-envelope';
import { ExpireDelegationToken } from './40-expire-delegation-token';
import { Fetch } from './01-fetch';
import { FindCoordinator } from './10-find-coordinator';
import { Heartbeat } from './12-heartbeat';
import { IncrementalAlterConfigs } from './44-incremental-alter-configs';
import { InitProducerId } from './22-init-producer-id';
import { JoinGroup } from './11-join-group';
import { LeaderAndIsr } from './04-leader-and-isr';
import { LeaveGroup } from './13-leave-group';
import { ListGroups } from './16-list-groups';
import { ListOffsets } from './02-list-offsets';
import { ListPartitionReassignments } from './46-list-partition-reassignments';
import { ListTransactions } from './66-list-transactions';
import { Metadata } from './03-metadata';
import { OffsetCommit } from './08-offset-commit';
import { OffsetDelete } from './47-offset-delete';
import { OffsetFetch } from './09-offset-fetch';
import { OffsetForLeaderEpoch } from './23-offset-for-leader-epoch';
import { Produce } from './00-produce';
import { RenewDelegationToken } from './39-renew-delegation-token';
import { SaslAuthenticate } from './36-sasl-authenticate';
import { SaslHandshake } from './17-sasl-handshake';
import { StopReplica } from './05-stop-replica';
import { SyncGroup } from './14-sync-group';
import { TxnOffsetCommit } from './28-txn-offset-commit';
import { UpdateFeatures } from './57-update-features';
import { UpdateMetadata } from './06-update-metadata';
import { WriteTxnMarkers } from './27-write-txn-markers';

export const Apis = {
  AddOffsetsToTxn,
  AddPartitionsToTxn,
  AllocateProducerIds,
  AlterClientQuotas,
  AlterConfigs,
  AlterPartitionReassignments,
  AlterPartition,
  AlterReplicaLogDirs,
  AlterUserScramCredentials,
  ApiVersions,
  ConsumerGroupDescribe,
  ConsumerGroupHeartbeat,
  ControlledShutdown,
  CreateAcls,
  CreateDelegationToken,
  CreatePartitions,
  CreateTopics,
  DeleteAcls,
  DeleteGroups,
  DeleteRecords,
  DeleteTopics,
  DescribeAcls,
  DescribeClientQuotas,
  DescribeCluster,
  DescribeConfigs,
  DescribeDelegationToken,
  DescribeGroups,
  DescribeLogDirs,
  DescribeProducers,
  DescribeTransactions,
  DescribeUserScramCredentials,
  ElectLeaders,
  EndTxn,
  Envelope,
  ExpireDelegationToken,
  Fetch,
  FindCoordinator,
  Heartbeat,
  IncrementalAlterConfigs,
  InitProducerId,
  JoinGroup,
  LeaderAndIsr,
  LeaveGroup,
  ListGroups,
  ListOffsets,
  ListPartitionReassignments,
  ListTransactions,
  Metadata,
  OffsetCommit,
  OffsetDelete,
  OffsetFetch,
  OffsetForLeaderEpoch,
  Produce,
  RenewDelegationToken,
  SaslAuthenticate,
  SaslHandshake,
  StopReplica,
  SyncGroup,
  TxnOffsetCommit,
  UpdateFeatures,
  UpdateMetadata,
  WriteTxnMarkers,
} as const;

export type ApiName = keyof typeof Apis;

export const API_BY_KEY: ReadonlyMap<number, (typeof Apis)[ApiName]> = new Map(
  Object.values(Apis).map((spec) => [spec.apiKey, spec]),
);

export {
  AddOffsetsToTxn,
  AddPartitionsToTxn,
  AllocateProducerIds,
  AlterClientQuotas,
  AlterConfigs,
  AlterPartitionReassignments,
  AlterPartition,
  AlterReplicaLogDirs,
  AlterUserScramCredentials,
  ApiVersions,
  ConsumerGroupDescribe,
  ConsumerGroupHeartbeat,
  ControlledShutdown,
  CreateAcls,
  CreateDelegationToken,
  CreatePartitions,
  CreateTopics,
  DeleteAcls,
  DeleteGroups,
  DeleteRecords,
  DeleteTopics,
  DescribeAcls,
  DescribeClientQuotas,
  DescribeCluster,
  DescribeConfigs,
  DescribeDelegationToken,
  DescribeGroups,
  DescribeLogDirs,
  DescribeProducers,
  DescribeTransactions,
  DescribeUserScramCredentials,
  ElectLeaders,
  EndTxn,
  Envelope,
  ExpireDelegationToken,
  Fetch,
  FindCoordinator,
  Heartbeat,
  IncrementalAlterConfigs,
  InitProducerId,
  JoinGroup,
  LeaderAndIsr,
  LeaveGroup,
  ListGroups,
  ListOffsets,
  ListPartitionReassignments,
  ListTransactions,
  Metadata,
  OffsetCommit,
  OffsetDelete,
  OffsetFetch,
  OffsetForLeaderEpoch,
  Produce,
  RenewDelegationToken,
  SaslAuthenticate,
  SaslHandshake,
  StopReplica,
  SyncGroup,
  TxnOffsetCommit,
  UpdateFeatures,
  UpdateMetadata,
  WriteTxnMarkers,
};
