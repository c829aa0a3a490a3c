// Entry point of bin/kafka-console-producer.sh (Kafka's tool of the same name). Reads lines from standard input and produces them to a topic.
import { runTool } from '../tools/command-line';
import { command, main } from '../tools/clients/console-producer';

void runTool(command, main);
