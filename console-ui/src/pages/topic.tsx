// The topic page: partitions, messages and configs tabs, and the add partitions / delete records / delete topic actions.
import { useState } from 'preact/hooks';
import { api, type ConfigEntry, type TopicDetail } from '../api';
import { useConsole } from '../app-context';
import { bytes, offset, wholeNumber } from '../format';
import { navigate, useLocation } from '../router';
import { ActionForm, Dialog, ErrorNote, Loading, PageHeader, SelectField, TableFrame, TextField, useResource } from '../ui';
import { MessagesTab } from './messages';

const TABS = [
  ['partitions', 'Partitions'],
  ['messages', 'Messages'],
  ['configs', 'Configs'],
] as const;
type Tab = (typeof TABS)[number][0];

function PartitionsTab({ topic }: { topic: TopicDetail }) {
  return (
    <TableFrame tall>
      <table aria-label="Partitions">
        <thead>
          <tr>
            <th scope="col" class="num">
              Partition
            </th>
            <th scope="col" class="num">
              Leader
            </th>
            <th scope="col">Replicas</th>
            <th scope="col">ISR</th>
            <th scope="col" class="num">
              Log start
            </th>
            <th scope="col" class="num">
              Log end
            </th>
            <th scope="col" class="num">
              Size
            </th>
          </tr>
        </thead>
        <tbody>
          {topic.partitions.map((p) => {
            const under = p.isr.length < p.replicas.length;
            return (
              <tr key={p.partition}>
                <td class="num mono">{p.partition}</td>
                <td class={p.leader < 0 ? 'num mono bad-text' : 'num mono'}>{p.leader < 0 ? 'none' : p.leader}</td>
                <td class="mono">{p.replicas.join(', ')}</td>
                <td class={under ? 'mono bad-text' : 'mono'}>
                  {p.isr.join(', ')}
                  {under ? <span class="badge bad">under-replicated</span> : null}
                </td>
                <td class="num mono">{offset(p.logStartOffset)}</td>
                <td class="num mono">{offset(p.logEndOffset)}</td>
                <td class="num mono">{bytes(p.sizeBytes)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableFrame>
  );
}

function ConfigRow({ topic, entry, editable, onSaved }: { topic: string; entry: ConfigEntry; editable: boolean; onSaved: () => void }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(entry.value ?? '');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const run = async (change: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await change();
      setEditing(false);
      onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const shown = entry.sensitive ? '(sensitive)' : entry.value ?? '(null)';
  return (
    <tr class={entry.isDefault ? 'default-config' : undefined}>
      <th scope="row" class="mono">
        {entry.name}
      </th>
      <td class="mono wrap">
        {editing ? (
          <form
            class="inline-edit"
            onSubmit={(e) => {
              e.preventDefault();
              void run(() => api.alterConfigs(topic, { [entry.name]: value }, []));
            }}
          >
            <input aria-label={entry.name} value={value} onInput={(e) => setValue(e.currentTarget.value)} autoFocus class="mono" />
            <button type="submit" class="button primary small" disabled={busy}>
              Save
            </button>
            <button type="button" class="button small" onClick={() => setEditing(false)}>
              Cancel
            </button>
            {!entry.isDefault ? (
              <button type="button" class="button small" disabled={busy} onClick={() => void run(() => api.alterConfigs(topic, {}, [entry.name]))}>
                Reset to default
              </button>
            ) : null}
            <ErrorNote error={error} />
          </form>
        ) : (
          shown
        )}
      </td>
      <td>
        <span class={entry.isDefault ? 'badge neutral' : 'badge accent'}>{entry.source}</span>
        {entry.readOnly ? <span class="badge neutral">read-only</span> : null}
      </td>
      <td class="num">
        {editing ? null : (
          <button
            type="button"
            class="button small"
            disabled={entry.readOnly || !editable}
            title={entry.readOnly ? 'Read-only config' : !editable ? 'The cluster does not support altering configs' : undefined}
            onClick={() => {
              setValue(entry.value ?? '');
              setEditing(true);
            }}
          >
            Edit
          </button>
        )}
      </td>
    </tr>
  );
}

function ConfigsTab({ topic, onChanged }: { topic: TopicDetail; onChanged: () => void }) {
  const { features } = useConsole();
  const [filter, setFilter] = useState('');
  const [onlyOverrides, setOnlyOverrides] = useState(false);
  if (topic.configs === null) return <p class="note unavailable">Configs unavailable: the cluster does not support describing configs.</p>;
  const needle = filter.trim().toLowerCase();
  const shown = topic.configs
    .filter((c) => !onlyOverrides || !c.isDefault)
    .filter((c) => !needle || c.name.toLowerCase().includes(needle))
    .sort((a, b) => a.name.localeCompare(b.name));
  return (
    <>
      <div class="toolbar">
        <div class="field grow">
          <label for="config-filter" class="sr-only">
            Filter configs
          </label>
          <input id="config-filter" type="search" placeholder="Filter configs" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        </div>
        <label class="check">
          <input type="checkbox" checked={onlyOverrides} onChange={(e) => setOnlyOverrides(e.currentTarget.checked)} />
          Only overrides
        </label>
      </div>
      {features?.alterConfigs === false ? <p class="note unavailable">Editing configs unavailable: the cluster does not support altering configs.</p> : null}
      <TableFrame tall>
        <table aria-label="Configs">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Value</th>
              <th scope="col">Source</th>
              <th scope="col" class="num">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((entry) => (
              <ConfigRow key={`${entry.name}:${entry.value}:${entry.source}`} topic={topic.name} entry={entry} editable={features?.alterConfigs !== false} onSaved={onChanged} />
            ))}
          </tbody>
        </table>
      </TableFrame>
    </>
  );
}

type Action = 'add-partitions' | 'delete-records' | 'delete-topic';

function ActionDialog({ action, topic, onClose, onDone }: { action: Action; topic: TopicDetail; onClose: () => void; onDone: () => void }) {
  const [partitionCount, setPartitionCount] = useState(String(topic.partitions.length + 1));
  const [partition, setPartition] = useState(String(topic.partitions[0]?.partition ?? 0));
  const [offset, setOffset] = useState('');
  if (action === 'add-partitions') {
    return (
      <Dialog title={`Add partitions to ${topic.name}`} onClose={onClose}>
        <ActionForm
          action="Add partitions"
          onCancel={onClose}
          submit={async () => {
            await api.addPartitions(topic.name, wholeNumber(partitionCount, 'Partition count', topic.partitions.length + 1));
            onDone();
          }}
        >
          <p class="muted">The topic has {topic.partitions.length} partitions. Partitions can be added, never removed; keyed records may map to other partitions afterwards.</p>
          <TextField label="Partition count" value={partitionCount} onInput={setPartitionCount} inputMode="numeric" autoFocus hint="The new total number of partitions" />
        </ActionForm>
      </Dialog>
    );
  }
  if (action === 'delete-records') {
    const chosen = topic.partitions.find((p) => String(p.partition) === partition);
    return (
      <Dialog title={`Delete records from ${topic.name}`} onClose={onClose}>
        <ActionForm
          action="Delete records"
          danger
          onCancel={onClose}
          submit={async () => {
            await api.deleteRecords(topic.name, Number(partition), wholeNumber(offset, 'Offset', -1));
            onDone();
          }}
        >
          <SelectField label="Partition" value={partition} options={topic.partitions.map((p) => [String(p.partition), String(p.partition)] as const)} onChange={setPartition} />
          <TextField
            label="Offset"
            value={offset}
            onInput={setOffset}
            inputMode="numeric"
            autoFocus
            hint={`Records before this offset are deleted (-1: all).${chosen ? ` Current range ${chosen.logStartOffset}–${chosen.logEndOffset}.` : ''}`}
          />
        </ActionForm>
      </Dialog>
    );
  }
  return (
    <Dialog title={`Delete topic ${topic.name}`} onClose={onClose}>
      <ActionForm
        action="Delete topic"
        danger
        onCancel={onClose}
        submit={async () => {
          await api.deleteTopic(topic.name);
          navigate('/topics');
        }}
      >
        <p>
          This deletes <strong>{topic.name}</strong> with all its {topic.partitions.length} partitions and records. It cannot be undone.
        </p>
      </ActionForm>
    </Dialog>
  );
}

export function TopicPage({ name }: { name: string }) {
  const { features } = useConsole();
  const location = useLocation();
  const param = location.params.get('tab');
  const tab: Tab = TABS.some(([t]) => t === param) ? (param as Tab) : 'partitions';
  const [action, setAction] = useState<Action>();
  const topic = useResource(() => api.topic(name), `topic:${name}`);
  const t = topic.data;

  const select = (next: Tab) => navigate(`/topics/${encodeURIComponent(name)}?tab=${next}`, { replace: true });
  const onTabKey = (event: KeyboardEvent) => {
    const index = TABS.findIndex(([id]) => id === tab);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = TABS[(index + step + TABS.length) % TABS.length][0];
    select(next);
    document.getElementById(`tab-${next}`)?.focus();
  };

  return (
    <>
      <PageHeader
        title={name}
        subtitle={
          t ? (
            <>
              {t.internal ? 'Internal topic · ' : 'Topic · '}
              {t.partitions.length} partitions · id <span class="mono">{t.topicId}</span>
            </>
          ) : undefined
        }
      >
        <button type="button" class="button" disabled={!t || features?.createPartitions === false} onClick={() => setAction('add-partitions')}>
          Add partitions
        </button>
        <button type="button" class="button" disabled={!t || features?.deleteRecords === false} onClick={() => setAction('delete-records')}>
          Delete records
        </button>
        <button type="button" class="button danger" disabled={!t} onClick={() => setAction('delete-topic')}>
          Delete topic
        </button>
      </PageHeader>
      <ErrorNote error={topic.error} />
      {!t && topic.loading ? <Loading what="the topic" /> : null}
      <div role="tablist" aria-label="Topic sections" class="tabs" onKeyDown={onTabKey}>
        {TABS.map(([id, label]) => (
          <button
            key={id}
            id={`tab-${id}`}
            type="button"
            role="tab"
            aria-selected={tab === id}
            aria-controls={`panel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            class="tab"
            onClick={() => select(id)}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} class="tab-panel">
        {tab === 'messages' ? (
          <MessagesTab topic={name} partitions={t?.partitions.map((p) => p.partition)} />
        ) : t ? (
          tab === 'partitions' ? (
            <PartitionsTab topic={t} />
          ) : (
            <ConfigsTab topic={t} onChanged={topic.reload} />
          )
        ) : null}
      </div>
      {action && t ? (
        <ActionDialog
          action={action}
          topic={t}
          onClose={() => setAction(undefined)}
          onDone={() => {
            setAction(undefined);
            topic.reload();
          }}
        />
      ) : null}
    </>
  );
}
