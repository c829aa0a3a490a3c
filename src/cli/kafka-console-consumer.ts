// Entry point of bin/kafka-console-consumer.sh (Kafka's tool of the same name). Prints a topic's records on standard output.
import { runTool } from '../tools/command-line';
import { command, main } from '../tools/clients/console-consumer';

void runTool(command, main);
