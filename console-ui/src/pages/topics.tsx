// Topics: the list with size, records and cleanup policy, a filter, "hide internal", and topic creation.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { bytes, count, parsePairs, wholeNumber } from '../format';
import { Link } from '../router';
import { ActionForm, Dialog, ErrorNote, Loading, PageHeader, TableFrame, TextArea, TextField, useResource } from '../ui';

function CreateTopicDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (name: string) => void }) {
  const [name, setName] = useState('');
  const [partitions, setPartitions] = useState('1');
  const [replication, setReplication] = useState('1');
  const [configs, setConfigs] = useState('');
  const submit = async () => {
    if (!name.trim()) throw new Error('Name is required.');
    const topic = {
      name: name.trim(),
      partitions: wholeNumber(partitions, 'Partitions', 1),
      replicationFactor: wholeNumber(replication, 'Replication factor', 1),
      configs: Object.fromEntries(parsePairs(configs, 'Configs')),
    };
    await api.createTopic(topic);
    onCreated(topic.name);
  };
  return (
    <Dialog title="Create topic" onClose={onClose}>
      <ActionForm submit={submit} action="Create" onCancel={onClose}>
        <TextField label="Name" value={name} onInput={setName} autoFocus spellcheck={false} />
        <div class="row">
          <TextField label="Partitions" value={partitions} onInput={setPartitions} inputMode="numeric" />
          <TextField label="Replication factor" value={replication} onInput={setReplication} inputMode="numeric" />
        </div>
        <TextArea label="Configs" value={configs} onInput={setConfigs} hint="One key=value per line, e.g. cleanup.policy=compact" />
      </ActionForm>
    </Dialog>
  );
}

export function TopicsPage() {
  const [filter, setFilter] = useState('');
  const [hideInternal, setHideInternal] = useState(true);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string>();
  const topics = useResource(() => api.topics(!hideInternal), `topics:${hideInternal}`, 10000);

  const onCreated = (name: string) => {
    setCreating(false);
    setCreated(name);
    topics.reload();
    // Metadata may lag the creation by a moment: look again until the topic shows.
    let tries = 0;
    const again = () => {
      api.topics(!hideInternal).then((list) => {
        if (list.some((t) => t.name === name) || ++tries >= 10) topics.reload();
        else window.setTimeout(again, 500);
      }, () => undefined);
    };
    window.setTimeout(again, 300);
  };

  const needle = filter.trim().toLowerCase();
  const shown = (topics.data ?? [])
    .filter((t) => !(hideInternal && t.internal))
    .filter((t) => !needle || t.name.toLowerCase().includes(needle))
    .sort((a, b) => a.name.localeCompare(b.name));

  return (
    <>
      <PageHeader title="Topics" subtitle={topics.data ? `${count(shown.length)} of ${count(topics.data.length)} topics` : undefined}>
        <button type="button" class="button primary" onClick={() => setCreating(true)}>
          Create topic
        </button>
      </PageHeader>
      <div class="toolbar">
        <div class="field grow">
          <label for="topic-filter" class="sr-only">
            Filter topics
          </label>
          <input id="topic-filter" type="search" placeholder="Filter topics" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        </div>
        <label class="check">
          <input type="checkbox" checked={hideInternal} onChange={(e) => setHideInternal(e.currentTarget.checked)} />
          Hide internal topics
        </label>
      </div>
      {created ? (
        <p class="note success" aria-live="polite">
          Created topic <strong>{created}</strong>.
        </p>
      ) : null}
      <ErrorNote error={topics.error} />
      {!topics.data && topics.loading ? <Loading what="topics" /> : null}
      {topics.data ? (
        <TableFrame tall>
          <table aria-label="Topics">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" class="num">
                  Partitions
                </th>
                <th scope="col" class="num">
                  Replication
                </th>
                <th scope="col" class="num">
                  Records
                </th>
                <th scope="col" class="num">
                  Size
                </th>
                <th scope="col">Cleanup policy</th>
                <th scope="col" class="num">
                  Under-replicated
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((t) => (
                <tr key={t.name}>
                  <td>
                    <Link href={`/topics/${encodeURIComponent(t.name)}`}>{t.name}</Link>
                    {t.internal ? <span class="badge neutral">internal</span> : null}
                  </td>
                  <td class="num mono">{count(t.partitions)}</td>
                  <td class="num mono">{count(t.replicationFactor)}</td>
                  <td class="num mono">{count(t.records)}</td>
                  <td class="num mono">{bytes(t.sizeBytes)}</td>
                  <td>{t.cleanupPolicy}</td>
                  <td class={t.underReplicatedPartitions > 0 ? 'num mono bad-text' : 'num mono'}>{count(t.underReplicatedPartitions)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {shown.length === 0 ? <p class="empty">{needle ? 'No topic matches the filter.' : 'No topics yet.'}</p> : null}
        </TableFrame>
      ) : null}
      {creating ? <CreateTopicDialog onClose={() => setCreating(false)} onCreated={onCreated} /> : null}
    </>
  );
}
