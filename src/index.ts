// The package's entry for programs that embed kafka-ts: in-process clusters for tests, and the broker itself.

export { startKafka, KafkaCluster } from './embedded/start-kafka';
export type { StartKafkaOptions, EmbeddedBroker, ConfigValue } from './embedded/start-kafka';
export type { NewTopic, RecordToProduce, PartitionOffsets } from './embedded/cluster-admin';
export type { FaultSpec, Fault, ErrorFaultSpec, DropConnectionFaultSpec, BlackHoleFaultSpec, RefuseConnectionsFaultSpec } from './control/request-faults';
export { RequestFaults } from './control/request-faults';
export { BrokerControls } from './control/broker-controls';
export { RequestLog } from './control/request-log';
export type { RequestLogEntry, RequestFilter } from './control/request-log';
export { VersionCap } from './control/version-cap';
export { KAFKA_RELEASES } from '../protocol/kafka-releases';
export type { KafkaRelease } from '../protocol/kafka-releases';
export { ControllableClock } from './clock';
export { Broker } from './broker';
export { loadConfig, ConfigError } from './config';
export type { BrokerConfig } from './config';
