// Log directory sizes for the overview and the topic pages, from DescribeLogDirs at each broker:
// each directory's total and each replica's size. A broker that cannot say (an older cluster, no
// permission) gives nothing rather than failing the page.

import { Apis, ErrorCode, errorName } from '../../protocol';
import { ClusterClient } from '../client/cluster-client';

export interface LogDirView {
  path: string;
  sizeBytes: number;
  error: string | null;
}

export interface BrokerLogDirs {
  dirs: LogDirView[];
  /** Replica sizes by "topic\0partition". */
  replicaSizes: Map<string, number>;
}

export const replicaKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

export async function describeLogDirs(client: ClusterClient, brokerId: number): Promise<BrokerLogDirs | null> {
  try {
    const res = await client.request(Apis.DescribeLogDirs, { topics: null }, { to: brokerId });
    if (res.errorCode !== ErrorCode.NONE) return null;
    const replicaSizes = new Map<string, number>();
    const dirs = res.results.map((r) => {
      let size = 0;
      for (const t of r.topics) {
        for (const p of t.partitions) {
          if (p.isFutureKey) continue;
          size += Number(p.partitionSize);
          replicaSizes.set(replicaKey(t.name, p.partitionIndex), Number(p.partitionSize));
        }
      }
      return { path: r.logDir, sizeBytes: size, error: r.errorCode === ErrorCode.NONE ? null : errorName(r.errorCode) };
    });
    return { dirs, replicaSizes };
  } catch {
    return null;
  }
}
