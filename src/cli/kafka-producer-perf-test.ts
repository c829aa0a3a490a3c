// Entry point of bin/kafka-producer-perf-test.sh (Kafka's tool of the same name). Measures producer throughput and latency.
import { runTool } from '../tools/command-line';
import { command, expandProducerProps, main } from '../tools/clients/producer-perf-test';

void runTool(command, main, expandProducerProps(process.argv.slice(2)));
