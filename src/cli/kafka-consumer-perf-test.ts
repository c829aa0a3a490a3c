// Entry point of bin/kafka-consumer-perf-test.sh (Kafka's tool of the same name). Measures consumer throughput.
import { runTool } from '../tools/command-line';
import { command, main } from '../tools/clients/consumer-perf-test';

void runTool(command, main);
