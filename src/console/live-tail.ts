// The live tail behind GET /api/topics/:name/tail: server-sent events, one `record` event per
// record that arrives after the connection opened, polling each partition's leader with Fetch
// (no consumer group, nothing committed) until the browser goes away.

import { ServerResponse } from 'node:http';
import { ClusterClient } from '../client/cluster-client';
import { PartitionReader, LATEST } from './partition-reader';
import { Decoding, recordView } from './record-view';

const POLL_MS = 300;
const FETCH_BYTES = 1024 * 1024;
const HEARTBEAT_MS = 15_000;

export async function streamTail(client: ClusterClient, topic: string, partitions: number[] | null, decoding: Decoding, res: ServerResponse, closed: () => boolean): Promise<void> {
  const reader = new PartitionReader(client, topic, false);
  const leaders = await reader.leaders(partitions);
  const ends = await reader.offsetsFor(leaders, LATEST);
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  res.write(': tailing\n\n');
  const pos = new Map(ends);
  let lastWrite = Date.now();
  while (!closed()) {
    let any = false;
    for (const [partition, leader] of leaders) {
      if (closed()) return;
      const chunk = await reader.fetch({ partition, leader, start: 0, end: Number.MAX_SAFE_INTEGER }, pos.get(partition)!, FETCH_BYTES);
      for (const m of chunk.records) {
        res.write(`event: record\ndata: ${JSON.stringify(recordView(m.record, m.compression, decoding))}\n\n`);
        any = true;
      }
      if (chunk.nextOffset > pos.get(partition)!) pos.set(partition, chunk.nextOffset);
    }
    if (any) lastWrite = Date.now();
    else if (Date.now() - lastWrite > HEARTBEAT_MS) {
      res.write(': keep-alive\n\n');
      lastWrite = Date.now();
    }
    if (!any) await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
