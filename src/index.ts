// The package's entry for programs that embed kafka-ts: in-process clusters for tests, and the broker itself.

export { startKafka, KafkaCluster } from './embedded/start-kafka';
export type { StartKafkaOptions, EmbeddedBroker, ConfigValue } from './embedded/start-kafka';
export type { NewTopic, RecordToProduce, PartitionOffsets } from './embedded/cluster-admin';
export type { FaultSpec, Fault } from './control/request-faults';
export { ControllableClock } from './clock';
export { Broker } from './broker';
export { loadConfig, ConfigError } from './config';
export type { BrokerConfig } from './config';
