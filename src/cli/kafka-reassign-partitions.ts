// kafka-reassign-partitions.sh: generates, executes, verifies, cancels and lists partition reassignments (see tools/reassign).
import { runTool } from '../tools/command-line';
import { command, main } from '../tools/reassign/reassign-partitions';

void runTool(command, main);
