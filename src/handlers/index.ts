// Every API this broker serves. ApiVersions advertises exactly this table.

import { Handler } from './handler';
import produce from './00-produce';
import fetch from './01-fetch';
import listOffsets from './02-list-offsets';
import metadata from './03-metadata';
import leaderAndIsr from './04-leader-and-isr';
import stopReplica from './05-stop-replica';
import updateMetadata from './06-update-metadata';
import controlledShutdown from './07-controlled-shutdown';
import offsetCommit from './08-offset-commit';
import offsetFetch from './09-offset-fetch';
import findCoordinator from './10-find-coordinator';
import joinGroup from './11-join-group';
import heartbeat from './12-heartbeat';
import leaveGroup from './13-leave-group';
import syncGroup from './14-sync-group';
import describeGroups from './15-describe-groups';
import listGroups from './16-list-groups';
import saslHandshake from './17-sasl-handshake';
import apiVersions from './18-api-versions';
import createTopics from './19-create-topics';
import deleteTopics from './20-delete-topics';
import deleteRecords from './21-delete-records';
import initProducerId from './22-init-producer-id';
import offsetForLeaderEpoch from './23-offset-for-leader-epoch';
import addPartitionsToTxn from './24-add-partitions-to-txn';
import addOffsetsToTxn from './25-add-offsets-to-txn';
import endTxn from './26-end-txn';
import writeTxnMarkers from './27-write-txn-markers';
import txnOffsetCommit from './28-txn-offset-commit';
import describeAcls from './29-describe-acls';
import createAcls from './30-create-acls';
import deleteAcls from './31-delete-acls';
import describeConfigs from './32-describe-configs';
import alterConfigs from './33-alter-configs';
import alterReplicaLogDirs from './34-alter-replica-log-dirs';
import describeLogDirs from './35-describe-log-dirs';
import saslAuthenticate from './36-sasl-authenticate';
import createPartitions from './37-create-partitions';
import createDelegationToken from './38-create-delegation-token';
import renewDelegationToken from './39-renew-delegation-token';
import expireDelegationToken from './40-expire-delegation-token';
import describeDelegationToken from './41-describe-delegation-token';
import updateFeatures from './57-update-features';
import deleteGroups from './42-delete-groups';
import electLeaders from './43-elect-leaders';
import incrementalAlterConfigs from './44-incremental-alter-configs';
import alterPartitionReassignments from './45-alter-partition-reassignments';
import listPartitionReassignments from './46-list-partition-reassignments';
import offsetDelete from './47-offset-delete';
import describeClientQuotas from './48-describe-client-quotas';
import alterClientQuotas from './49-alter-client-quotas';
import describeUserScramCredentials from './50-describe-user-scram-credentials';
import alterUserScramCredentials from './51-alter-user-scram-credentials';
import describeCluster from './60-describe-cluster';
import describeProducers from './61-describe-producers';
import describeTransactions from './65-describe-transactions';
import listTransactions from './66-list-transactions';

export const HANDLERS: readonly Handler[] = [
  produce,
  fetch,
  listOffsets,
  metadata,
  leaderAndIsr,
  stopReplica,
  updateMetadata,
  controlledShutdown,
  offsetCommit,
  offsetFetch,
  findCoordinator,
  joinGroup,
  heartbeat,
  leaveGroup,
  syncGroup,
  describeGroups,
  listGroups,
  saslHandshake,
  apiVersions,
  createTopics,
  deleteTopics,
  deleteRecords,
  initProducerId,
  offsetForLeaderEpoch,
  addPartitionsToTxn,
  addOffsetsToTxn,
  endTxn,
  writeTxnMarkers,
  txnOffsetCommit,
  describeAcls,
  createAcls,
  deleteAcls,
  describeConfigs,
  alterConfigs,
  alterReplicaLogDirs,
  describeLogDirs,
  saslAuthenticate,
  createPartitions,
  createDelegationToken,
  renewDelegationToken,
  expireDelegationToken,
  describeDelegationToken,
  deleteGroups,
  electLeaders,
  incrementalAlterConfigs,
  alterPartitionReassignments,
  listPartitionReassignments,
  offsetDelete,
  updateFeatures,
  describeClientQuotas,
  alterClientQuotas,
  describeUserScramCredentials,
  alterUserScramCredentials,
  describeCluster,
  describeProducers,
  describeTransactions,
  listTransactions,
];
