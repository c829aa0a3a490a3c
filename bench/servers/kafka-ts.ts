// The broker under test, started from the compiled CLI with its own log dir and an ephemeral port.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateTopics } from '../../protocol';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { createTopic } from '../net/admin';
import { openConnection } from '../net/connection';
import { commonVersion, fetchVersions } from '../net/versions';
import { ReadyChild, startChild, stopChild } from './child-process';
import { Server } from './server';

const ENTRY = resolve(__dirname, '../../src/cli/kafka-server-start.js');

export interface KafkaTsOptions {
  /** Reuse a log dir (restarts); a fresh temp dir otherwise, removed by `stop({ remove: true })`. */
  dir?: string;
  props?: Record<string, string | number | boolean>;
  /** Node flags for the broker process, e.g. --cpu-prof. */
  nodeArgs?: string[];
}

export class KafkaTs implements Server {
  readonly kind = 'kafka-ts' as const;
  readonly fetches = true;
  readonly longPoll = true;
  private admin: Promise<{ conn: KafkaConnection; version: number }> | null = null;

  private constructor(
    private readonly proc: ReadyChild,
    readonly dir: string,
  ) {}

  static async start(opts: KafkaTsOptions = {}): Promise<KafkaTs> {
    const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'kafka-ts-bench-'));
    const props = {
      'broker.id': 0,
      listeners: 'PLAINTEXT://127.0.0.1:0',
      'log.dirs': join(dir, 'data'),
      'auto.create.topics.enable': false,
      ...opts.props,
    };
    const config = join(dir, 'server.properties');
    writeFileSync(config, Object.entries(props).map(([k, v]) => `${k}=${v}\n`).join(''));
    return new KafkaTs(await startChild(process.execPath, [...(opts.nodeArgs ?? []), ENTRY, config]), dir);
  }

  get host(): string {
    return this.proc.host;
  }
  get port(): number {
    return this.proc.port;
  }
  get pid(): number {
    return this.proc.child.pid!;
  }
  get readyMs(): number {
    return this.proc.readyMs;
  }

  async createTopic(name: string, partitions: number): Promise<void> {
    this.admin ??= (async () => {
      const conn = await openConnection(this.host, this.port);
      return { conn, version: commonVersion(CreateTopics, [await fetchVersions(conn)]) };
    })();
    const { conn, version } = await this.admin;
    await createTopic(conn, version, name, partitions);
  }

  /** Clean shutdown (SIGTERM); `remove` also deletes the log dir. Fails if the broker did not exit 0. */
  async stop(opts: { remove?: boolean } = { remove: true }): Promise<void> {
    await this.closeAdmin();
    const code = await stopChild(this.proc, 'SIGTERM');
    if (opts.remove) rmSync(this.dir, { recursive: true, force: true });
    if (code !== 0) throw new Error(`kafka-ts exited with ${code} after SIGTERM:\n${this.proc.output()}`);
  }

  /** kill -9: no shutdown work at all. */
  async kill(): Promise<void> {
    await this.closeAdmin();
    await stopChild(this.proc, 'SIGKILL');
  }

  private async closeAdmin(): Promise<void> {
    if (this.admin) (await this.admin).conn.close();
    this.admin = null;
  }
}
