// The group page: members and assignments, committed offsets with lag, offset reset (previewed), deletions.
import { useState } from 'preact/hooks';
import { api, type GroupDetail, type ResetPlan, type ResetTo } from '../api';
import { count, offset, wholeNumber } from '../format';
import { navigate } from '../router';
import { ActionForm, Dialog, ErrorNote, Loading, PageHeader, SelectField, StateBadge, TableFrame, TextField, useResource } from '../ui';

const RESET_TO = [
  ['earliest', 'Earliest'],
  ['latest', 'Latest'],
  ['timestamp', 'Timestamp'],
  ['offset', 'Offset'],
  ['shift', 'Shift by'],
] as const;

const ALL = '';

function topicsOf(group: GroupDetail): string[] {
  return [...new Set([...group.offsets.map((o) => o.topic), ...group.members.flatMap((m) => m.assignment.map((a) => a.topic))])].sort();
}

function resetValue(to: ResetTo, text: string): number | undefined {
  if (to === 'earliest' || to === 'latest') return undefined;
  if (to === 'timestamp') {
    const trimmed = text.trim();
    const parsed = /^-?\d+$/.test(trimmed) ? Number(trimmed) : Date.parse(trimmed);
    if (Number.isNaN(parsed)) throw new Error(`Value must be a timestamp (milliseconds or a date such as 2024-05-01T12:00:00Z), not "${text}".`);
    return parsed;
  }
  return wholeNumber(text, 'Value', to === 'offset' ? 0 : Number.MIN_SAFE_INTEGER);
}

function ResetDialog({ group, onClose, onApplied }: { group: GroupDetail; onClose: () => void; onApplied: () => void }) {
  const [topic, setTopic] = useState(ALL);
  const [to, setTo] = useState<ResetTo>('earliest');
  const [value, setValue] = useState('');
  const [plan, setPlan] = useState<ResetPlan>();
  const [previewError, setPreviewError] = useState<unknown>();
  const empty = group.state === 'Empty';
  const request = (execute: boolean) => ({ topic: topic === ALL ? null : topic, to, value: resetValue(to, value), execute });
  const preview = async () => {
    setPreviewError(undefined);
    try {
      setPlan(await api.resetOffsets(group.groupId, request(false)));
    } catch (e) {
      setPlan(undefined);
      setPreviewError(e);
    }
  };
  return (
    <Dialog title={`Reset offsets of ${group.groupId}`} onClose={onClose} wide>
      <ActionForm
        action="Apply"
        disabled={!empty}
        onCancel={onClose}
        submit={async () => {
          await api.resetOffsets(group.groupId, request(true));
          onApplied();
        }}
        extra={
          <button type="button" class="button" onClick={() => void preview()}>
            Preview
          </button>
        }
      >
        {!empty ? (
          <p class="note warn">
            The group is {group.state}: Kafka resets offsets only for an empty group. Stop its consumers first; the preview still works.
          </p>
        ) : null}
        <div class="row">
          <SelectField label="Topic" value={topic} options={[[ALL, 'All topics'] as const, ...topicsOf(group).map((t) => [t, t] as const)]} onChange={setTopic} />
          <SelectField label="Reset to" value={to} options={RESET_TO} onChange={setTo} />
          <TextField
            label="Value"
            value={value}
            onInput={setValue}
            disabled={to === 'earliest' || to === 'latest'}
            class="mono"
            hint={to === 'shift' ? 'Records to move by (negative goes back)' : to === 'timestamp' ? 'Milliseconds or an ISO date' : to === 'offset' ? 'The offset to move to' : 'Not needed'}
          />
        </div>
        <ErrorNote error={previewError} />
        {plan ? (
          <TableFrame>
            <table aria-label="Plan">
              <thead>
                <tr>
                  <th scope="col">Topic</th>
                  <th scope="col" class="num">
                    Partition
                  </th>
                  <th scope="col" class="num">
                    Current
                  </th>
                  <th scope="col" class="num">
                    New
                  </th>
                </tr>
              </thead>
              <tbody>
                {plan.plan.map((p) => (
                  <tr key={`${p.topic}:${p.partition}`}>
                    <td>{p.topic}</td>
                    <td class="num mono">{p.partition}</td>
                    <td class="num mono">{offset(p.currentOffset)}</td>
                    <td class="num mono">{offset(p.newOffset)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {plan.plan.length === 0 ? <p class="empty">Nothing to reset.</p> : null}
          </TableFrame>
        ) : null}
      </ActionForm>
    </Dialog>
  );
}

function DeleteOffsetsDialog({ group, onClose, onDone }: { group: GroupDetail; onClose: () => void; onDone: () => void }) {
  const topics = topicsOf(group);
  const [topic, setTopic] = useState(topics[0] ?? '');
  return (
    <Dialog title={`Delete offsets of ${group.groupId}`} onClose={onClose}>
      <ActionForm
        action="Delete offsets"
        danger
        disabled={!topic}
        onCancel={onClose}
        submit={async () => {
          await api.deleteOffsets(group.groupId, topic);
          onDone();
        }}
      >
        <p class="muted">Deletes the group's committed offsets for one topic. The group must not be consuming it.</p>
        {topics.length ? <SelectField label="Topic" value={topic} options={topics.map((t) => [t, t] as const)} onChange={setTopic} /> : <p>The group has no committed offsets.</p>}
      </ActionForm>
    </Dialog>
  );
}

type Action = 'reset' | 'delete-offsets' | 'delete-group';

export function GroupPage({ groupId }: { groupId: string }) {
  const [action, setAction] = useState<Action>();
  const group = useResource(() => api.group(groupId), `group:${groupId}`, 5000);
  const g = group.data;
  const done = () => {
    setAction(undefined);
    group.reload();
  };
  const totalLag = g?.offsets.reduce((sum, o) => sum + (o.lag ?? 0), 0);
  return (
    <>
      <PageHeader
        title={groupId}
        subtitle={
          g ? (
            <>
              Consumer group · <StateBadge state={g.state} /> · {g.protocolType || 'no protocol type'}
              {g.protocol ? ` (${g.protocol})` : ''}
              {g.coordinator ? ` · coordinator broker ${g.coordinator.id} (${g.coordinator.host}:${g.coordinator.port})` : ''}
            </>
          ) : undefined
        }
      >
        <button type="button" class="button" disabled={!g} onClick={() => setAction('reset')}>
          Reset offsets
        </button>
        <button type="button" class="button" disabled={!g} onClick={() => setAction('delete-offsets')}>
          Delete offsets
        </button>
        <button type="button" class="button danger" disabled={!g} onClick={() => setAction('delete-group')}>
          Delete group
        </button>
      </PageHeader>
      <ErrorNote error={group.error} />
      {!g && group.loading ? <Loading what="the group" /> : null}
      {g ? (
        <>
          <section aria-labelledby="members-title">
            <h2 id="members-title">Members ({g.members.length})</h2>
            {g.members.length === 0 ? (
              <p class="empty">No active members.</p>
            ) : (
              <TableFrame>
                <table aria-label="Members">
                  <thead>
                    <tr>
                      <th scope="col">Member id</th>
                      <th scope="col">Client id</th>
                      <th scope="col">Host</th>
                      <th scope="col">Assignment</th>
                    </tr>
                  </thead>
                  <tbody>
                    {g.members.map((m) => (
                      <tr key={m.memberId}>
                        <td class="mono wrap">{m.memberId}</td>
                        <td>{m.clientId}</td>
                        <td class="mono">{m.host}</td>
                        <td class="mono wrap">{m.assignment.length ? m.assignment.map((a) => `${a.topic}-${a.partition}`).join(', ') : '–'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableFrame>
            )}
          </section>
          <section aria-labelledby="offsets-title">
            <h2 id="offsets-title">Offsets · total lag {count(totalLag)}</h2>
            <TableFrame tall>
              <table aria-label="Offsets">
                <thead>
                  <tr>
                    <th scope="col">Topic</th>
                    <th scope="col" class="num">
                      Partition
                    </th>
                    <th scope="col" class="num">
                      Committed
                    </th>
                    <th scope="col" class="num">
                      End
                    </th>
                    <th scope="col" class="num">
                      Lag
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {[...g.offsets]
                    .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
                    .map((o) => (
                      <tr key={`${o.topic}:${o.partition}`}>
                        <td>{o.topic}</td>
                        <td class="num mono">{o.partition}</td>
                        <td class="num mono">{offset(o.committedOffset)}</td>
                        <td class="num mono">{offset(o.endOffset)}</td>
                        <td class={o.lag && o.lag > 0 ? 'num mono warn-text' : 'num mono'}>{count(o.lag)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
              {g.offsets.length === 0 ? <p class="empty">No committed offsets.</p> : null}
            </TableFrame>
          </section>
        </>
      ) : null}
      {action === 'reset' && g ? <ResetDialog group={g} onClose={() => setAction(undefined)} onApplied={done} /> : null}
      {action === 'delete-offsets' && g ? <DeleteOffsetsDialog group={g} onClose={() => setAction(undefined)} onDone={done} /> : null}
      {action === 'delete-group' && g ? (
        <Dialog title={`Delete group ${groupId}`} onClose={() => setAction(undefined)}>
          <ActionForm
            action="Delete group"
            danger
            onCancel={() => setAction(undefined)}
            submit={async () => {
              await api.deleteGroup(groupId);
              navigate('/groups');
            }}
          >
            <p>
              This deletes the group <strong>{groupId}</strong> and its committed offsets. Kafka deletes only empty groups.
            </p>
          </ActionForm>
        </Dialog>
      ) : null}
    </>
  );
}
