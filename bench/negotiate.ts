// The request versions of a comparison: per API the highest that every server in it supports.

import { Fetch, ListOffsets, Produce } from '../protocol';
import { openConnection } from './net/connection';
import { VersionTable, commonVersion, fetchVersions } from './net/versions';
import { Server } from './servers/server';

export interface Versions {
  produce: number;
  fetch: number;
  listOffsets: number;
}

// Fetch v13 names topics by id; the loads name them.
const FETCH_BY_NAME_MAX = 12;
// librdkafka 2.0.2's mock misencodes ListOffsets v5 responses of several partitions; v1 has all the
// setup needs.
const LIST_OFFSETS_MAX = 1;

export async function negotiate(servers: Server[]): Promise<Versions> {
  const tables = new Map<Server, VersionTable>();
  for (const s of servers) {
    const conn = await openConnection(s.host, s.port);
    try {
      tables.set(s, await fetchVersions(conn));
    } finally {
      conn.close();
    }
  }
  const all = [...tables.values()];
  const fetchers = servers.filter((s) => s.fetches).map((s) => tables.get(s)!);
  return {
    produce: commonVersion(Produce, all),
    fetch: fetchers.length ? commonVersion(Fetch, fetchers, FETCH_BY_NAME_MAX) : Fetch.validVersions.max,
    listOffsets: fetchers.length ? commonVersion(ListOffsets, fetchers, LIST_OFFSETS_MAX) : ListOffsets.validVersions.max,
  };
}
