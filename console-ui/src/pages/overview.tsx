// Overview: the cluster, its brokers, partition health and live throughput charts fed by the brokers' metrics.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type Throughput } from '../api';
import { useConsole } from '../app-context';
import { LineChart, type Series } from '../chart';
import { bytes, count, rate } from '../format';
import { ErrorNote, errorMessage, Loading, PageHeader, Stat, TableFrame, useResource } from '../ui';

const REFRESH_MS = 5000;
const KEEP_SAMPLES = 60;

/** Polls /api/throughput every 5 s and keeps a window of samples; stops for good on 501 (no metrics source). */
function useThroughput(enabled: boolean): { samples: Throughput[]; error: unknown } {
  const [samples, setSamples] = useState<Throughput[]>([]);
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    if (!enabled) return;
    let timer: number | undefined;
    let live = true;
    const poll = () => {
      api.throughput().then(
        (sample) => {
          if (!live) return;
          setError(undefined);
          setSamples((old) => [...old.filter((s) => s.at !== sample.at), sample].slice(-KEEP_SAMPLES));
          timer = window.setTimeout(poll, REFRESH_MS);
        },
        (e: unknown) => {
          if (!live) return;
          setError(e);
          if (!(e instanceof ApiError && e.unavailable)) timer = window.setTimeout(poll, REFRESH_MS);
        },
      );
    };
    poll();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [enabled]);
  return { samples, error };
}

function seriesOf(samples: Throughput[], pick: 'bytesInPerSec' | 'bytesOutPerSec'): Series[] {
  const ids = [...new Set(samples.flatMap((s) => s.brokers.map((b) => b.id)))].sort((a, b) => a - b);
  return ids.map((id) => ({
    name: `Broker ${id}`,
    points: samples.flatMap((s) => s.brokers.filter((b) => b.id === id).map((b) => ({ at: s.at, value: b[pick] }))),
  }));
}

function ThroughputSection() {
  const { features } = useConsole();
  const enabled = features?.throughput !== false;
  const { samples, error } = useThroughput(enabled);
  if (!enabled || (error instanceof ApiError && error.unavailable)) {
    return <p class="note unavailable">Throughput charts unavailable: the console knows no metrics endpoint for this cluster.</p>;
  }
  // Without the API at all, the page's own alert already says so.
  if (error instanceof ApiError && error.status === 0 && samples.length === 0) return null;
  const latest = samples[samples.length - 1];
  return (
    <section aria-labelledby="throughput-title">
      <h2 id="throughput-title">Throughput</h2>
      {error ? <p class="note unavailable">Throughput unavailable right now: {errorMessage(error)}</p> : null}
      {samples.length === 0 && !error ? <Loading what="throughput" /> : null}
      {samples.length > 0 ? (
        <>
          <div class="charts">
            <LineChart title="Bytes in" series={seriesOf(samples, 'bytesInPerSec')} windowMs={KEEP_SAMPLES * REFRESH_MS} />
            <LineChart title="Bytes out" series={seriesOf(samples, 'bytesOutPerSec')} windowMs={KEEP_SAMPLES * REFRESH_MS} />
          </div>
          {latest && latest.topics.length > 0 ? (
            <TableFrame>
              <table aria-label="Topic throughput">
                <thead>
                  <tr>
                    <th scope="col">Topic</th>
                    <th scope="col" class="num">
                      Bytes in
                    </th>
                    <th scope="col" class="num">
                      Bytes out
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {[...latest.topics]
                    .sort((a, b) => b.bytesInPerSec + b.bytesOutPerSec - (a.bytesInPerSec + a.bytesOutPerSec))
                    .map((t) => (
                      <tr key={t.name}>
                        <td>{t.name}</td>
                        <td class="num mono">{rate(t.bytesInPerSec)}</td>
                        <td class="num mono">{rate(t.bytesOutPerSec)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </TableFrame>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

export function OverviewPage() {
  const cluster = useResource(() => api.cluster(), 'cluster', 15000);
  const c = cluster.data;
  return (
    <>
      <PageHeader title="Overview" subtitle="The cluster, its brokers and their traffic" />
      <ErrorNote error={cluster.error} />
      {!c && cluster.loading ? <Loading what="the cluster" /> : null}
      {c ? (
        <>
          <div class="stats">
            <Stat label="Cluster id" value={<span class="mono small-value">{c.clusterId ?? '–'}</span>} />
            <Stat label="Controller" value={c.controllerId === null || c.controllerId < 0 ? 'none' : `Broker ${c.controllerId}`} />
            <Stat label="Brokers" value={count(c.brokers.length)} />
            <Stat label="Under-replicated partitions" value={count(c.underReplicatedPartitions)} tone={c.underReplicatedPartitions > 0 ? 'bad' : 'ok'} />
            <Stat label="Offline partitions" value={count(c.offlinePartitions)} tone={c.offlinePartitions > 0 ? 'bad' : 'ok'} />
          </div>
          <section aria-labelledby="brokers-title">
            <h2 id="brokers-title">Brokers</h2>
            <TableFrame>
              <table aria-label="Brokers">
                <thead>
                  <tr>
                    <th scope="col">ID</th>
                    <th scope="col">Host</th>
                    <th scope="col" class="num">
                      Port
                    </th>
                    <th scope="col">Rack</th>
                    <th scope="col" class="num">
                      Leaders
                    </th>
                    <th scope="col" class="num">
                      Partitions
                    </th>
                    <th scope="col">Disk used</th>
                  </tr>
                </thead>
                <tbody>
                  {c.brokers.map((b) => (
                    <tr key={b.id}>
                      <td class="mono">
                        {b.id}
                        {b.id === c.controllerId ? <span class="badge neutral">controller</span> : null}
                      </td>
                      <td>{b.host}</td>
                      <td class="num mono">{b.port}</td>
                      <td>{b.rack ?? '–'}</td>
                      <td class="num mono">{count(b.leaderCount)}</td>
                      <td class="num mono">{count(b.partitionCount)}</td>
                      <td>
                        {b.logDirs.length === 0 ? (
                          '–'
                        ) : (
                          <ul class="plain">
                            {b.logDirs.map((d) => (
                              <li key={d.path}>
                                <span class="mono">{bytes(d.sizeBytes)}</span> <span class="muted">{d.path}</span>
                                {d.error ? <span class="badge bad">{d.error}</span> : null}
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableFrame>
          </section>
        </>
      ) : null}
      <ThroughputSection />
    </>
  );
}
