// The stopping broker's side of controlled shutdown (KafkaServer.controlledShutdown in ZooKeeper
// mode): ask the active controller, through its inter-broker endpoint, to move leadership off this
// broker, retrying up to controlled.shutdown.max.retries while the controller cannot be reached or
// still leaves partitions led here. The broker shuts down afterwards whatever the outcome.

import { Apis, ErrorCode, errorName } from '../../protocol';
import type { BrokerConnector } from '../client/broker-connector';
import { Clock, sleep } from '../clock';
import { Cluster } from '../cluster/cluster';
import { BrokerConfig } from '../config';
import { Logger } from '../logger';

/** Returns whether the controller moved every replicated partition off this broker. */
export async function requestControlledShutdown(cluster: Cluster, config: BrokerConfig, clock: Clock, log: Logger, connect: BrokerConnector): Promise<boolean> {
  const prefix = `[KafkaServer id=${cluster.brokerId}] `;
  for (let attempt = 1; attempt <= config.controlledShutdownMaxRetries; attempt++) {
    try {
      const remaining = await attemptOnce(cluster, config, clock, connect);
      if (remaining.length === 0) {
        log.info(`${prefix}Controlled shutdown request returned successfully`);
        return true;
      }
      log.warn(`${prefix}Remaining partitions to move: ${remaining.join(',')}`);
    } catch (err) {
      log.warn(`${prefix}Error during controlled shutdown, possibly because leader movement took longer than the configured controller.socket.timeout.ms: ${(err as Error).message}`);
    }
    if (attempt < config.controlledShutdownMaxRetries) {
      log.warn(`${prefix}Retrying controlled shutdown after the previous attempt failed...`);
      await sleep(clock, config.controlledShutdownRetryBackoffMs);
    }
  }
  log.warn(`${prefix}Proceeding to do an unclean shutdown as all the controlled shutdown attempts failed`);
  return false;
}

/** One ControlledShutdown v3 round trip; returns the partitions still led here ("topic-partition"). */
async function attemptOnce(cluster: Cluster, config: BrokerConfig, clock: Clock, connect: BrokerConnector): Promise<string[]> {
  const controllerId = cluster.controllerId();
  const controller = cluster.liveBrokers().find((b) => b.id === controllerId);
  const endpoint = controller?.endpoints.find((e) => e.listener === config.interBrokerListenerName);
  if (!endpoint) throw new Error(`no controller endpoint on ${config.interBrokerListenerName} (controller ${controllerId})`);
  const timeoutMs = config.replicaSocketTimeoutMs;
  const connection = await connect(endpoint.host, endpoint.port, {
    clientId: `broker-${cluster.brokerId}-controlled-shutdown`,
    timeoutMs,
    maxFrameBytes: config.socketRequestMaxBytes,
    clock,
  });
  try {
    const res = await connection.request(Apis.ControlledShutdown, 3, { brokerId: cluster.brokerId, brokerEpoch: cluster.brokerEpoch() }, timeoutMs);
    if (res.errorCode !== ErrorCode.NONE) throw new Error(`controller ${controllerId} answered ${errorName(res.errorCode)}`);
    return res.remainingPartitions.map((p) => `${p.topicName}-${p.partitionIndex}`);
  } finally {
    connection.close();
  }
}
