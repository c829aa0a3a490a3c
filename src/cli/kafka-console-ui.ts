// kafka-console-ui.sh: the kafka-ts web console for any Kafka cluster (kafka-ts's own tool).
import { runTool } from '../tools/command-line';
import { command, main } from '../console/console-command';

void runTool(command, main);
