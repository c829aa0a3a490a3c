// kafka-dump-log.sh: dumps log segments, indexes, producer snapshots and transaction indexes (see tools/dump-log).
import { runTool } from '../tools/command-line';
import { command, main } from '../tools/dump-log/dump-log';

void runTool(command, main);
