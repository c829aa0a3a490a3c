// kafka-log-dirs.sh: log directory usage on brokers (Kafka's LogDirsCommand).
import { runTool } from '../tools/command-line';
import { command, main } from '../tools/admin/log-dirs';

void runTool(command, main);
