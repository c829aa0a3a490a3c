// kafka-reassign-partitions.sh --generate: the current assignment of the topics to move and a proposal
// spreading them over --broker-list with Kafka's own placement (AdminUtils.assignReplicasToBrokers,
// rack-aware unless --disable-rack-aware), which starts at a random broker as Kafka's does.
import { ClusterClient } from '../../client/cluster-client';
import { assignReplicas } from '../../cluster/replica-assignment';
import { ParsedOptions } from '../command-line';
import { clusterNodes, replicaAssignments } from './reassign-admin';
import { Out, readFile } from './reassign-common';
import { PartitionTarget, ReassignError, duplicates, formatReassignment, parseTopicsToMove } from './reassignment-json';

export async function generate(client: ClusterClient, options: ParsedOptions, out: Out): Promise<void> {
  const brokerText = options.required('broker-list');
  const brokers = brokerText.split(',').map((b) => {
    if (!/^[-+]?\d+$/.test(b)) throw new ReassignError(`For input string: "${b}"`);
    return Number(b);
  });
  const dupBrokers = duplicates(brokers);
  if (dupBrokers.length > 0) throw new ReassignError(`Broker list contains duplicate entries: [${dupBrokers.join(', ')}]`);
  const topics = parseTopicsToMove(readFile(options.required('topics-to-move-json-file')));
  const dupTopics = duplicates(topics);
  if (dupTopics.length > 0) throw new ReassignError(`List of topics to reassign contains duplicate entries: [${dupTopics.join(', ')}]`);

  const current = await replicaAssignments(client, topics);
  const rackAware = !options.has('disable-rack-aware');
  const nodes = (await clusterNodes(client)).filter((n) => brokers.includes(n.nodeId));
  const metadata = nodes.map((n) => ({ id: n.nodeId, rack: rackAware ? n.rack : null }));
  const rackless = metadata.filter((m) => m.rack === null).length;
  if (rackAware && rackless !== 0 && rackless !== metadata.length) {
    throw new ReassignError('Not all brokers have rack information. Add --disable-rack-aware in command line to make replica assignment without rack information.');
  }
  const proposed: PartitionTarget[] = [];
  for (const topic of new Set(current.map((p) => p.topic))) {
    const partitions = current.filter((p) => p.topic === topic);
    assignReplicas(metadata, partitions.length, partitions[0].replicas.length).forEach((replicas, partition) => proposed.push({ topic, partition, replicas }));
  }
  out(`Current partition replica assignment\n${formatReassignment(current)}\n\n`);
  out(`Proposed partition reassignment configuration\n${formatReassignment(proposed)}\n`);
}
