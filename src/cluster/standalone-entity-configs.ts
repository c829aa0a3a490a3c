// A standalone broker's dynamic configs of brokers, users, clients and ips: the entity store, kept
// in a JSON file in its first log dir next to the topics file (Kafka ignores plain files there).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../log/atomic-file';
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
    if (!existsSync(this.file)) return;
    const stored = JSON.parse(readFileSync(this.file, 'utf8')) as StoredConfigs;
    if (stored.version !== 1 || typeof stored.entities !== 'object' || stored.entities === null) throw new Error(`${this.file}: unsupported content`);
    for (const [path, configs] of Object.entries(stored.entities)) this.set(path, configs);
  }

  put(entityPath: string, configs: Record<string, string>): void {
    if (!this.set(entityPath, configs)) return;
    const stored: StoredConfigs = { version: 1, entities: this.all() };
    writeFileAtomicSync(this.file, JSON.stringify(stored, null, 1));
  }
}
