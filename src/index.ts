// The package's entry for embedding kafka-ts in a Node program (package.json main/types).
export { Broker } from './broker';
export { ConfigError, loadConfig } from './config';
export type { BrokerConfig } from './config';
