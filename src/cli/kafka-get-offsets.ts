// kafka-get-offsets.sh: the offsets of topic partitions at a time (Kafka's GetOffsetShell).
import { runTool } from '../tools/command-line';
import { command, main } from '../tools/admin/get-offsets';

void runTool(command, main);
