// bin/kafka-configs.sh: describe and alter topic, broker, user and client configs.
import { runTool } from '../tools/command-line';
import { command, main } from '../tools/configs/configs';

void runTool(command, main);
