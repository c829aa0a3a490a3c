// Every client the suite runs, in matrix column order.

import { ClientSpec } from './client-spec';
import { KAFKAJS } from './kafkajs/scenarios';
import { CONFLUENT_KAFKA_PYTHON } from './confluent-kafka-python/scenarios';
import { KAFKA_GO } from './kafka-go/scenarios';
import { KAFKA_NODE } from './kafka-node/scenarios';
import { KAFKA_PYTHON } from './kafka-python/scenarios';
import { KCAT } from './kcat/scenarios';
import { NODE_RDKAFKA } from './node-rdkafka/scenarios';
import { PLATFORMATIC } from './platformatic/scenarios';

export const CLIENTS: ClientSpec[] = [KAFKAJS, PLATFORMATIC, NODE_RDKAFKA, KCAT, ...KAFKA_PYTHON, CONFLUENT_KAFKA_PYTHON, KAFKA_NODE, KAFKA_GO];
