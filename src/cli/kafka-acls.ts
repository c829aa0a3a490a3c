// bin/kafka-acls.sh: add, remove and list ACLs.
import { runTool } from '../tools/command-line';
import { command, main } from '../tools/acls/acls';

void runTool(command, main);
