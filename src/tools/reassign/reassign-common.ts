// What the actions of kafka-reassign-partitions.sh share: the throttle configs Kafka sets and clears,
// reading the JSON files, Kafka's sorted per-partition error lines, and starting log-dir moves.
import { readFileSync } from 'node:fs';
import { ClusterClient } from '../../client/cluster-client';
import { alterReplicaLogDirs, replicaText } from './reassign-admin';
import { TopicPartition } from '../../client/topic-partition';
import { ReassignError, ReplicaLogDir, TerseError, compareReplicas, compareTopicPartitions } from './reassignment-json';

export type Out = (text: string) => void;

export const BROKER_THROTTLES = ['leader.replication.throttled.rate', 'follower.replication.throttled.rate', 'replica.alter.log.dirs.io.max.bytes.per.second'];
export const TOPIC_THROTTLES = ['leader.replication.throttled.replicas', 'follower.replication.throttled.replicas'];
const MOVE_RETRY_MS = 100;

/** Utils.readFileAsString: a file that cannot be read fails with its path. */
export function readFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new ReassignError(path);
  }
}

function parseTp(name: string): TopicPartition {
  const at = name.lastIndexOf('-');
  return { topic: name.slice(0, at), partition: Number(name.slice(at + 1)) };
}

/** "t-0: message" lines, in topic and partition order. */
export function errorLines(errors: ReadonlyMap<string, string>): string {
  return [...errors]
    .sort(([a], [b]) => compareTopicPartitions(parseTp(a), parseTp(b)))
    .map(([tp, message]) => `${tp}: ${message}`)
    .join('\n');
}

/** executeMoves: AlterReplicaLogDirs until every move has started (a replica still arriving on its broker is retried). */
export async function executeMoves(client: ClusterClient, moves: ReplicaLogDir[], timeoutMs: number, out: Out): Promise<void> {
  const started = Date.now();
  let pending = [...moves];
  for (;;) {
    const done = await alterReplicaLogDirs(client, pending);
    for (const m of [...done].sort(compareReplicas)) out(`Successfully started moving log directory to ${m.logDir} for replica ${m.topic}-${m.partition} with broker ${m.broker} \n`);
    pending = pending.filter((p) => !done.includes(p));
    if (pending.length === 0) return;
    if (Date.now() >= started + timeoutMs) {
      throw new TerseError(`Timed out before log directory move${pending.length === 1 ? '' : 's'} could be started for: ${[...pending].sort(compareReplicas).map(replicaText).join(',')}`);
    }
    await new Promise((r) => setTimeout(r, MOVE_RETRY_MS));
  }
}
