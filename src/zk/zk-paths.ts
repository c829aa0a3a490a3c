// The znodes of a ZooKeeper-mode Kafka cluster (Kafka 3.9's ZkData), all under the chroot of
// zookeeper.connect. Tools that read Kafka's znodes look exactly here.

export const BROKER_IDS = '/brokers/ids';
export const BROKER_SEQID = '/brokers/seqid';
export const TOPICS = '/brokers/topics';
export const CLUSTER_ID = '/cluster/id';
export const CONTROLLER = '/controller';
export const CONTROLLER_EPOCH = '/controller_epoch';
export const CONFIG_CHANGES = '/config/changes';
export const CONFIG_CHANGE_PREFIX = 'config_change_';
export const DELETE_TOPICS = '/admin/delete_topics';
export const PREFERRED_REPLICA_ELECTION = '/admin/preferred_replica_election';
export const REASSIGN_PARTITIONS = '/admin/reassign_partitions';
export const FEATURE = '/feature';
export const ISR_CHANGE_NOTIFICATION = '/isr_change_notification';
export const ISR_CHANGE_PREFIX = 'isr_change_';
export const LOG_DIR_EVENT_NOTIFICATION = '/log_dir_event_notification';
export const LOG_DIR_EVENT_PREFIX = 'log_dir_event_';

/** Kafka's ConfigType.ALL: entity types with a /config/<type> node. */
const CONFIG_ENTITY_TYPES = ['topics', 'clients', 'users', 'brokers', 'ips'];

/** Persistent paths every broker makes sure of at startup (ZkData.PersistentZkPaths). */
export const PERSISTENT_PATHS: readonly string[] = [
  '/consumers',
  BROKER_IDS,
  TOPICS,
  CONFIG_CHANGES,
  DELETE_TOPICS,
  BROKER_SEQID,
  ISR_CHANGE_NOTIFICATION,
  '/latest_producer_id_block',
  LOG_DIR_EVENT_NOTIFICATION,
  ...CONFIG_ENTITY_TYPES.map((type) => `/config/${type}`),
];

export const brokerPath = (id: number): string => `${BROKER_IDS}/${id}`;
export const topicPath = (topic: string): string => `${TOPICS}/${topic}`;
export const partitionsPath = (topic: string): string => `${topicPath(topic)}/partitions`;
export const partitionPath = (topic: string, partition: number): string => `${partitionsPath(topic)}/${partition}`;
export const partitionStatePath = (topic: string, partition: number): string => `${partitionPath(topic, partition)}/state`;
export const topicConfigPath = (topic: string): string => `/config/topics/${topic}`;
/** An entity's config znode from its path as notifications name it ("topics/<t>", "brokers/<default>", "users/u/clients/c"). */
export const entityConfigPath = (entityPath: string): string => `/config/${entityPath}`;
/** Entity types other than topics whose configs the cluster view keeps. */
export const NON_TOPIC_ENTITY_TYPES: readonly string[] = CONFIG_ENTITY_TYPES.filter((t) => t !== 'topics');
export const deleteTopicPath = (topic: string): string => `${DELETE_TOPICS}/${topic}`;
export const DELEGATION_TOKENS = '/delegation_token/tokens';
export const DELEGATION_TOKEN_CHANGES = '/delegation_token/token_changes';
export const DELEGATION_TOKEN_CHANGE_PREFIX = 'token_change_';
export const delegationTokenPath = (tokenId: string): string => `${DELEGATION_TOKENS}/${tokenId}`;
