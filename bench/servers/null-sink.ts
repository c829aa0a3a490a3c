// Starts the null sink (null-sink-main.ts) as its own Node process, like the broker.

import { resolve } from 'node:path';
import { startChild, stopChild, ReadyChild } from './child-process';
import { Server } from './server';

const ENTRY = resolve(__dirname, 'null-sink-main.js');

export class NullSink implements Server {
  readonly kind = 'null-sink' as const;
  readonly fetches = false;
  readonly longPoll = false;

  private constructor(private readonly proc: ReadyChild) {}

  static async start(): Promise<NullSink> {
    return new NullSink(await startChild(process.execPath, [ENTRY]));
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

  /** Every topic exists for the null sink. */
  async createTopic(): Promise<void> {}

  async stop(): Promise<void> {
    await stopChild(this.proc, 'SIGTERM');
  }
}
