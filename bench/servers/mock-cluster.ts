// Starts librdkafka's mock cluster through the small C launcher that `make bench` compiles next to
// this file (rdkafka-mock.c). When the launcher could not be built, the Makefile leaves the reason in
// rdkafka-mock.unavailable, and the bench reports the baseline as n/a.

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ReadyChild, startChild, stopChild } from './child-process';
import { Server, Unavailable } from './server';

const BINARY = resolve(__dirname, 'rdkafka-mock');
const UNAVAILABLE = resolve(__dirname, 'rdkafka-mock.unavailable');

export class MockCluster implements Server {
  readonly kind = 'mock' as const;
  readonly fetches = true;
  readonly longPoll = false;
  private readonly replies: ((line: string) => void)[] = [];

  private constructor(private readonly proc: ReadyChild) {
    createInterface({ input: proc.child.stdout! }).on('line', (line) => this.replies.shift()?.(line));
  }

  static async start(): Promise<MockCluster> {
    if (!existsSync(BINARY)) {
      const why = existsSync(UNAVAILABLE) ? readFileSync(UNAVAILABLE, 'utf8').trim() : 'not built (run `make bench`)';
      throw new Unavailable(`C mock: ${why}`);
    }
    return new MockCluster(await startChild(BINARY, []));
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

  createTopic(name: string, partitions: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.replies.push((line) => (line === 'ok' ? resolve() : reject(new Error(`mock: create ${name}: ${line}`))));
      this.proc.child.stdin!.write(`create ${name} ${partitions}\n`);
    });
  }

  async stop(): Promise<void> {
    await stopChild(this.proc, 'SIGTERM', 5_000);
  }
}
