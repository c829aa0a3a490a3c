// DescribeCluster (key 60), v0-1.
// The cluster as Kafka 3.9 brokers describe it to admin clients (kafka-topics.sh --describe, the Java
// AdminClient's describeCluster): the cluster id, the controller, and the live brokers with their
// racks and their endpoint on the listener the request came in on. Brokers serve endpoint type 1
// (BROKER, v1+); a request for controllers gets MISMATCHED_ENDPOINT_TYPE and an unknown type
// UNSUPPORTED_ENDPOINT_TYPE, with Kafka's messages. Any principal may ask, as in Kafka; the cluster's
// authorized operations, when asked, are the principal's, or 0 without DESCRIBE on the cluster.

import { Apis, ErrorCode } from '../../protocol';
import { NOT_REQUESTED, clusterAuthorizedOperations } from './authorize';
import { handler } from './handler';

const BROKER_ENDPOINT = 1;
const ENDPOINT_TYPES: Record<number, string> = { 1: 'BROKER', 2: 'CONTROLLER' };

export default handler(Apis.DescribeCluster, 0, 1, (req, ctx) => {
  const empty = { throttleTimeMs: 0, clusterId: '', controllerId: -1, brokers: [], endpointType: BROKER_ENDPOINT };
  const wanted = ENDPOINT_TYPES[req.endpointType];
  if (wanted === undefined) {
    return { ...empty, errorCode: ErrorCode.UNSUPPORTED_ENDPOINT_TYPE, errorMessage: `Unsupported endpoint type ${req.endpointType}` };
  }
  if (req.endpointType !== BROKER_ENDPOINT) {
    return {
      ...empty,
      errorCode: ErrorCode.MISMATCHED_ENDPOINT_TYPE,
      errorMessage: `The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type ${wanted}`,
    };
  }
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    endpointType: BROKER_ENDPOINT,
    clusterId: ctx.metadata.clusterId,
    controllerId: ctx.metadata.controllerId(),
    brokers: ctx.metadata.liveBrokers(ctx.session.listenerName).map((b) => ({ brokerId: b.id, host: b.host, port: b.port, rack: b.rack })),
    clusterAuthorizedOperations: req.includeClusterAuthorizedOperations ? clusterAuthorizedOperations(ctx) : NOT_REQUESTED,
  };
});
