// Helpers of the console's API tests: JSON calls with global fetch (status and body), and records
// written with the client's producer (explicit timestamps, so pages merge partitions predictably).

import { ClusterClient } from '../../src/client/cluster-client';
import { Producer, ProducerRecord } from '../../src/client/producer';

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

export async function call(base: string, method: string, path: string, body?: unknown, cookie?: string): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (cookie) headers.Cookie = cookie;
  const res = await fetch(new URL(path, base), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: a static page.
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export const get = (base: string, path: string, cookie?: string) => call(base, 'GET', path, undefined, cookie);

export async function produceAll(bootstrap: string, records: ProducerRecord[]): Promise<void> {
  const client = await ClusterClient.connect({ bootstrapServers: bootstrap });
  const producer = new Producer(client);
  try {
    for (const r of records) await producer.send(r);
    await producer.flush();
  } finally {
    await producer.close();
    client.close();
  }
}
