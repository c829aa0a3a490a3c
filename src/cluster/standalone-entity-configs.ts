// A standalone broker's dynamic configs of brokers, users, clients and ips: the entity store, kept
// in a JSON file in its first log dir next to the topics file.

import { join } from 'node:path';
import { readLogDirJson, writeLogDirJson } from './log-dir-json';
import { EntityConfigStore } from './entity-configs';

export const STANDALONE_CONFIGS_FILE = 'kafka-ts-configs.json';

interface StoredConfigs {
  version: 1;
  entities: Record<string, Record<string, string>>;
}

export class StandaloneEntityConfigs extends EntityConfigStore {
  private readonly file: string;

  constructor(logDir: string) {
    super();
    this.file = join(logDir, STANDALONE_CONFIGS_FILE);
    const stored = readLogDirJson<StoredConfigs>(this.file);
    if (stored === undefined) return;
    if (stored.version !== 1 || typeof stored.entities !== 'object' || stored.entities === null) throw new Error(`${this.file}: unsupported content`);
    for (const [path, configs] of Object.entries(stored.entities)) this.set(path, configs);
  }

  put(entityPath: string, configs: Record<string, string>): void {
    if (!this.set(entityPath, configs)) return;
    const stored: StoredConfigs = { version: 1, entities: this.all() };
    writeLogDirJson(this.file, stored, 1);
  }
}
