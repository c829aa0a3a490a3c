// kafka-topics.sh: create, delete, describe, or change a topic (Kafka's TopicCommand).
import { runTool } from '../tools/command-line';
import { command, main } from '../tools/admin/topic-command';

void runTool(command, main);
