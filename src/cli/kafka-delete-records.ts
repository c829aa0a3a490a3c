// kafka-delete-records.sh: delete records of partitions below given offsets (Kafka's DeleteRecordsCommand).
import { runTool } from '../tools/command-line';
import { command, main } from '../tools/admin/delete-records';

void runTool(command, main);
