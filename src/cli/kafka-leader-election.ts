// kafka-leader-election.sh: elect preferred or unclean leaders (Kafka's LeaderElectionCommand).
import { runTool } from '../tools/command-line';
import { command, main } from '../tools/admin/leader-election';

void runTool(command, main);
