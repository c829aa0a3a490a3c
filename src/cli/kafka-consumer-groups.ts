// bin/kafka-consumer-groups.sh: list, describe, reset offsets of and delete consumer groups.
import { runTool } from '../tools/command-line';
import { command, main } from '../tools/groups/consumer-groups';

void runTool(command, main);
