// What the producer and consumer need to know about a topic: how many partitions it has and which
// broker leads each, from Metadata, cached until a request finds a leader moved or gone.

import { ErrorCode, KafkaError, errorName, isRetriable } from '../../protocol';
import { ClusterClient } from './cluster-client';

export interface TopicLayout {
  /** Leader node id by partition index; -1 while a partition has none. */
  leaders: number[];
  isInternal: boolean;
}

export class TopicMetadata {
  private readonly layouts = new Map<string, TopicLayout>();

  constructor(
    private readonly client: ClusterClient,
    /** Ask the broker to create unknown topics (the producer's allow.auto.create.topics). */
    private readonly autoCreate: boolean,
  ) {}

  /** The topic's layout, from the cache or Metadata; retriable errors retry until maxWaitMs, then throw. */
  async layout(topic: string, maxWaitMs: number, retryBackoffMs = 100): Promise<TopicLayout> {
    const cached = this.layouts.get(topic);
    if (cached) return cached;
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const res = await this.client.metadata([topic], this.autoCreate);
      const t = res.topics.find((x) => x.name === topic);
      const code = t?.errorCode ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      if (t && code === ErrorCode.NONE && t.partitions.length > 0) {
        const leaders: number[] = new Array<number>(t.partitions.length).fill(-1);
        for (const p of t.partitions) leaders[p.partitionIndex] = p.errorCode === ErrorCode.NONE ? p.leaderId : -1;
        const layout = { leaders, isInternal: t.isInternal };
        this.layouts.set(topic, layout);
        return layout;
      }
      if (code !== ErrorCode.NONE && !isRetriable(code)) throw new KafkaError(code, `${errorName(code)} for topic ${topic}`);
      if (Date.now() + retryBackoffMs > deadline) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${topic} not present in metadata after ${maxWaitMs} ms.`);
      await sleep(retryBackoffMs);
    }
  }

  /** Every topic in the cluster with its layout (for pattern subscriptions). */
  async all(): Promise<Map<string, TopicLayout>> {
    const res = await this.client.metadata(null, false);
    const out = new Map<string, TopicLayout>();
    for (const t of res.topics) {
      if (t.errorCode !== ErrorCode.NONE || t.name === null) continue;
      const leaders: number[] = new Array<number>(t.partitions.length).fill(-1);
      for (const p of t.partitions) leaders[p.partitionIndex] = p.errorCode === ErrorCode.NONE ? p.leaderId : -1;
      out.set(t.name, { leaders, isInternal: t.isInternal });
      this.layouts.set(t.name, { leaders, isInternal: t.isInternal });
    }
    return out;
  }

  /** Forget the topic: a request found its leadership changed. */
  invalidate(topic: string): void {
    this.layouts.delete(topic);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
