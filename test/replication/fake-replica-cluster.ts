// The cluster as the replica manager uses it, for in-process tests: a topic view, the live brokers
// (settable), and ISR writes that succeed while the leader epoch is the view's.

import { BrokerInfo } from '../../src/cluster/cluster';
import { TopicIndex } from '../../src/cluster/topic-index';

export class FakeReplicaCluster {
  readonly brokerId = 1;
  readonly topics = new TopicIndex();
  readonly isrWrites: number[][] = [];
  live: number[] = [];

  brokerEpoch(): bigint {
    return 0n;
  }

  liveBrokers(): BrokerInfo[] {
    return this.live.map((id) => ({ id, rack: null, endpoints: [] }));
  }

  async updateIsr(topic: string, partition: number, leaderEpoch: number, isr: number[]): Promise<boolean> {
    this.isrWrites.push(isr);
    const t = this.topics.get(topic)!;
    const partitions = t.partitions.map((p, i) => (i === partition && p.leaderEpoch === leaderEpoch ? { ...p, isr } : p));
    this.topics.set({ ...t, partitions });
    return true;
  }
}
