// Transactions: the transactional ids the coordinators know, with details per id, and producers per partition.
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { useConsole } from '../app-context';
import { ErrorNote, Loading, PageHeader, StateBadge, TableFrame, TextField, Unavailable, useResource } from '../ui';
import { wholeNumber } from '../format';

function Value({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span class="muted">–</span>;
  if (typeof value === 'object') return <pre class="payload-full">{JSON.stringify(value, null, 2)}</pre>;
  return <span class="mono">{String(value)}</span>;
}

function Details({ data }: { data: Record<string, unknown> }) {
  return (
    <dl class="details-grid">
      {Object.entries(data).map(([key, value]) => (
        <Fragment key={key}>
          <dt>{key}</dt>
          <dd>
            <Value value={value} />
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

function TransactionDetails({ id }: { id: string }) {
  const detail = useResource(() => api.transaction(id), `transaction:${id}`);
  return (
    <div class="card">
      <h3>{id}</h3>
      <ErrorNote error={detail.error} />
      {detail.data ? <Details data={detail.data} /> : detail.loading ? <Loading what="the transaction" /> : null}
    </div>
  );
}

function ProducersLookup() {
  const [topic, setTopic] = useState('');
  const [partition, setPartition] = useState('0');
  const [asked, setAsked] = useState<{ topic: string; partition: number }>();
  const [error, setError] = useState<unknown>();
  const producers = useResource(
    () => (asked ? api.producers(asked.topic, asked.partition) : Promise.resolve(undefined)),
    asked ? `producers:${asked.topic}:${asked.partition}` : 'producers:none',
  );
  const rows = producers.data === undefined ? [] : Array.isArray(producers.data) ? producers.data : [producers.data];
  return (
    <section aria-labelledby="producers-title">
      <h2 id="producers-title">Active producers</h2>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setError(undefined);
          try {
            if (!topic.trim()) throw new Error('Topic is required.');
            setAsked({ topic: topic.trim(), partition: wholeNumber(partition, 'Partition', 0) });
          } catch (problem) {
            setError(problem);
          }
        }}
      >
        <TextField label="Topic" value={topic} onInput={setTopic} />
        <TextField label="Partition" value={partition} onInput={setPartition} inputMode="numeric" />
        <button type="submit" class="button">
          Show producers
        </button>
      </form>
      <ErrorNote error={error ?? producers.error} />
      {asked && producers.data !== undefined ? (
        rows.length === 0 ? (
          <p class="empty">No active producers on this partition.</p>
        ) : (
          rows.map((row, i) => (
            <div class="card" key={i}>
              <Details data={row} />
            </div>
          ))
        )
      ) : null}
    </section>
  );
}

export function TransactionsPage() {
  const { features } = useConsole();
  const enabled = features?.transactions !== false;
  const transactions = useResource(() => (enabled ? api.transactions() : Promise.resolve([])), `transactions:${enabled}`, 10000);
  const [open, setOpen] = useState<string>();
  if (!enabled) {
    return (
      <>
        <PageHeader title="Transactions" />
        <Unavailable what="Transactions" />
      </>
    );
  }
  return (
    <>
      <PageHeader title="Transactions" subtitle="Transactional producers known to the transaction coordinators" />
      <ErrorNote error={transactions.error} what="Transactions" />
      {!transactions.data && transactions.loading ? <Loading what="transactions" /> : null}
      {transactions.data ? (
        <TableFrame tall>
          <table aria-label="Transactions">
            <thead>
              <tr>
                <th scope="col">Transactional id</th>
                <th scope="col">State</th>
                <th scope="col" class="num">
                  Producer id
                </th>
                <th scope="col" class="num">
                  Coordinator
                </th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {transactions.data.map((t) => (
                <tr key={t.transactionalId}>
                  <td class="mono">{t.transactionalId}</td>
                  <td>
                    <StateBadge state={t.state} />
                  </td>
                  <td class="num mono">{t.producerId}</td>
                  <td class="num mono">{t.coordinatorId}</td>
                  <td class="num">
                    <button type="button" class="button small" aria-expanded={open === t.transactionalId} onClick={() => setOpen(open === t.transactionalId ? undefined : t.transactionalId)}>
                      Details
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {transactions.data.length === 0 ? <p class="empty">No transactions.</p> : null}
        </TableFrame>
      ) : null}
      {open ? <TransactionDetails key={open} id={open} /> : null}
      <ProducersLookup />
    </>
  );
}
