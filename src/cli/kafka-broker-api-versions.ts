// kafka-broker-api-versions.sh: the API versions each broker supports (Kafka's BrokerApiVersionsCommand).
import { runTool } from '../tools/command-line';
import { command, main } from '../tools/admin/broker-api-versions';

void runTool(command, main);
