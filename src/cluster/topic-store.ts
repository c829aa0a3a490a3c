// Where topic metadata lives. A standalone broker keeps it in a JSON file in its first log dir
// (Kafka ignores plain files there); ZooKeeper mode will keep it in Kafka's znodes instead.

import { join } from 'node:path';
import { readLogDirJson, writeLogDirJson } from './log-dir-json';
import { TopicInfo } from './topic';
import { TopicIndex } from './topic-index';

export interface TopicStore {
  list(): TopicInfo[];
  get(name: string): TopicInfo | undefined;
  getById(id: string): TopicInfo | undefined;
  put(topic: TopicInfo): void;
  remove(name: string): void;
}

export const STANDALONE_TOPICS_FILE = 'kafka-ts-topics.json';

interface StoredTopics {
  version: 1;
  topics: TopicInfo[];
}

export class StandaloneTopicStore extends TopicIndex implements TopicStore {
  private readonly file: string;

  constructor(logDir: string) {
    super();
    this.file = join(logDir, STANDALONE_TOPICS_FILE);
    const stored = readLogDirJson<StoredTopics>(this.file);
    if (stored === undefined) return;
    if (stored.version !== 1 || !Array.isArray(stored.topics)) throw new Error(`${this.file}: unsupported content`);
    for (const t of stored.topics) this.set(t);
  }

  put(topic: TopicInfo): void {
    this.set(topic);
    this.save();
  }

  remove(name: string): void {
    this.delete(name);
    this.save();
  }

  private save(): void {
    const stored: StoredTopics = { version: 1, topics: this.list() };
    writeLogDirJson(this.file, stored, 1);
  }
}
