// The message browser: server-side search by page (cursors), filters and decoding, live tail, export, produce.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type ConsoleRecord, type Decode, type FilterMode, type FilterOn, type Isolation, type MessagePage, type MessageQuery } from '../api';
import { bytes, count, parsePairs, timestamp, wholeNumber } from '../format';
import { ActionForm, Dialog, ErrorNote, SelectField, TextArea, TextField } from '../ui';
import { downloadCsv, downloadJsonLines } from '../export';

type Start = 'earliest' | 'latest' | 'offset' | 'timestamp';

const STARTS = [
  ['earliest', 'Earliest'],
  ['latest', 'Latest'],
  ['offset', 'Offset'],
  ['timestamp', 'Timestamp'],
] as const;
const FILTER_ONS = [
  ['key', 'Key'],
  ['value', 'Value'],
  ['header', 'Header'],
] as const;
const MATCHES = [
  ['substring', 'Substring'],
  ['regex', 'Regex'],
  ['jsonpath', 'JSON path'],
] as const;
const DECODES = [
  ['text', 'Text'],
  ['json', 'JSON'],
  ['hex', 'Hex'],
  ['base64', 'Base64'],
] as const;
const ISOLATIONS = [
  ['read_uncommitted', 'Read uncommitted'],
  ['read_committed', 'Read committed'],
] as const;
const LIMITS = [
  ['20', '20'],
  ['50', '50'],
  ['100', '100'],
  ['200', '200'],
  ['500', '500'],
] as const;

const TAIL_KEEP = 1000;
const MAX_PRODUCE_BYTES = 1024 * 1024;

interface Form {
  partitions: string;
  start: Start;
  offset: string;
  timestamp: string;
  filter: string;
  filterOn: FilterOn;
  headerKey: string;
  filterMode: FilterMode;
  decode: Decode;
  isolation: Isolation;
  limit: string;
}

const INITIAL: Form = {
  partitions: '',
  start: 'latest',
  offset: '',
  timestamp: '',
  filter: '',
  filterOn: 'value',
  headerKey: '',
  filterMode: 'substring',
  decode: 'text',
  isolation: 'read_uncommitted',
  limit: '50',
};

/** The start parameter; malformed offsets go to the server as typed, so its 400 message explains them. */
function startParam(form: Form): string {
  if (form.start === 'offset') {
    if (!form.offset.trim()) throw new Error('Enter an offset to start from.');
    return `offset:${form.offset.trim()}`;
  }
  if (form.start === 'timestamp') {
    const text = form.timestamp.trim();
    if (!text) throw new Error('Enter a timestamp to start from (milliseconds since the epoch, or a date such as 2024-05-01T12:00:00Z).');
    const parsed = /^-?\d+$/.test(text) ? Number(text) : Date.parse(text);
    return `timestamp:${Number.isNaN(parsed) ? text : parsed}`;
  }
  return form.start;
}

function queryOf(form: Form): MessageQuery {
  const filter = form.filter;
  return {
    partitions: form.partitions.replace(/\s+/g, ''),
    start: startParam(form),
    limit: Number(form.limit),
    filter: filter || undefined,
    filterOn: filter ? form.filterOn : undefined,
    filterMode: filter ? form.filterMode : undefined,
    headerKey: filter && form.filterOn === 'header' ? form.headerKey : undefined,
    isolation: form.isolation,
    decode: form.decode,
  };
}

const recordKey = (r: ConsoleRecord) => `${r.partition}:${r.offset}`;

function Payload({ value }: { value: string | null }) {
  return value === null ? <span class="null">null</span> : <>{value}</>;
}

function RecordRows({ record, expanded, onToggle }: { record: ConsoleRecord; expanded: boolean; onToggle: () => void }) {
  const detailsId = `record-${record.partition}-${record.offset}`;
  return (
    <>
      <tr class={expanded ? 'record open' : 'record'} onClick={(e) => (e.target as HTMLElement).closest('button') === null && onToggle()}>
        <td class="toggle-cell">
          <button
            type="button"
            class="icon-button"
            aria-expanded={expanded}
            aria-controls={expanded ? detailsId : undefined}
            aria-label={`Details of partition ${record.partition} offset ${record.offset}`}
            onClick={onToggle}
          >
            <span class="chevron" aria-hidden="true" />
          </button>
        </td>
        <td class="num mono">{record.partition}</td>
        <td class="num mono">{record.offset}</td>
        <td class="mono nowrap">{timestamp(record.timestamp)}</td>
        <td class="mono payload key">
          <Payload value={record.key} />
        </td>
        <td class="mono payload">
          <Payload value={record.value} />
        </td>
      </tr>
      {expanded ? (
        <tr class="record-details" id={detailsId}>
          <td colSpan={6}>
            <dl class="details-grid">
              <dt>Timestamp type</dt>
              <dd>{record.timestampType}</dd>
              <dt>Compression</dt>
              <dd>{record.compression}</dd>
              <dt>Key size</dt>
              <dd>{bytes(record.keySize)}</dd>
              <dt>Value size</dt>
              <dd>{bytes(record.valueSize)}</dd>
              <dt>Headers</dt>
              <dd>
                {record.headers.length === 0 ? (
                  <span class="muted">none</span>
                ) : (
                  <ul class="plain mono">
                    {record.headers.map((h, i) => (
                      <li key={i}>
                        {h.key}: <Payload value={h.value} />
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
              <dt>Key</dt>
              <dd>
                <pre class="payload-full">
                  <Payload value={record.key} />
                </pre>
              </dd>
              <dt>Value</dt>
              <dd>
                <pre class="payload-full">
                  <Payload value={record.value} />
                </pre>
              </dd>
            </dl>
          </td>
        </tr>
      ) : null}
    </>
  );
}

function ProduceDialog({ topic, onClose, onSent }: { topic: string; onClose: () => void; onSent: (partition: number, offset: number) => void }) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [headers, setHeaders] = useState('');
  const [partition, setPartition] = useState('');
  const submit = async () => {
    const size = new TextEncoder().encode(value).length + new TextEncoder().encode(key).length;
    if (size > MAX_PRODUCE_BYTES) throw new Error(`The record is too large: ${bytes(size)} (the console sends at most 1 MiB).`);
    const result = await api.produce(topic, {
      partition: partition.trim() ? wholeNumber(partition, 'Partition', 0) : null,
      key: key === '' ? null : key,
      value,
      headers: parsePairs(headers, 'Headers').map(([k, v]) => ({ key: k, value: v })),
    });
    onSent(result.partition, result.offset);
  };
  return (
    <Dialog title={`Produce to ${topic}`} onClose={onClose} wide>
      <ActionForm submit={submit} action="Send" onCancel={onClose}>
        <TextField label="Key" value={key} onInput={setKey} class="mono" autoFocus hint="Empty for a null key" spellcheck={false} />
        <TextArea label="Value" value={value} onInput={setValue} rows={6} />
        <TextArea label="Headers" value={headers} onInput={setHeaders} rows={3} hint="One key=value per line" />
        <TextField label="Partition" value={partition} onInput={setPartition} inputMode="numeric" hint="Optional: empty lets the partitioner choose" />
      </ActionForm>
    </Dialog>
  );
}

type TailState = 'off' | 'connecting' | 'open' | 'reconnecting';

export function MessagesTab({ topic, partitions }: { topic: string; partitions?: number[] }) {
  const [form, setForm] = useState<Form>(INITIAL);
  const [page, setPage] = useState<MessagePage>();
  const [records, setRecords] = useState<ConsoleRecord[]>([]);
  const [query, setQuery] = useState<MessageQuery>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [tail, setTail] = useState<TailState>('off');
  const [producing, setProducing] = useState(false);
  const [notice, setNotice] = useState<string>();
  const source = useRef<EventSource | null>(null);
  const frame = useRef<HTMLDivElement>(null);
  const request = useRef(0);

  const set = <K extends keyof Form>(field: K, value: Form[K]) => setForm((f) => ({ ...f, [field]: value }));

  const load = async (q: MessageQuery) => {
    const mine = ++request.current;
    setLoading(true);
    setError(undefined);
    try {
      const answer = await api.messages(topic, q);
      if (mine !== request.current) return;
      setPage(answer);
      setRecords(answer.records);
      setExpanded(new Set());
    } catch (e) {
      if (mine === request.current) setError(e);
    } finally {
      if (mine === request.current) setLoading(false);
    }
  };

  const search = (current: Form = form) => {
    let q: MessageQuery;
    try {
      q = queryOf(current);
    } catch (e) {
      setError(e);
      return;
    }
    setQuery(q);
    void load(q);
  };

  const turn = (direction: 'next' | 'prev') => {
    const cursor = direction === 'next' ? page?.next : page?.prev;
    if (!cursor || !query) return;
    void load({ ...query, cursor, direction });
  };

  const stopTail = () => {
    source.current?.close();
    source.current = null;
    setTail('off');
  };

  const startTail = () => {
    stopTail();
    setError(undefined);
    const events = new EventSource(api.tailUrl(topic, { partitions: form.partitions.replace(/\s+/g, ''), decode: form.decode }));
    source.current = events;
    setTail('connecting');
    events.onopen = () => setTail('open');
    events.addEventListener('record', (event) => {
      const record = JSON.parse((event as MessageEvent<string>).data) as ConsoleRecord;
      setRecords((old) => (old.some((r) => recordKey(r) === recordKey(record)) ? old : [...old, record].slice(-TAIL_KEEP)));
    });
    events.onerror = () => {
      if (events.readyState === EventSource.CLOSED) {
        source.current = null;
        setTail('off');
        setError(new Error('Live tail stopped: the console could not stream this topic.'));
      } else {
        setTail('reconnecting');
      }
    };
  };

  useEffect(() => {
    search(INITIAL);
    return () => source.current?.close();
  }, [topic]);

  useEffect(() => {
    if (tail !== 'off' && frame.current) frame.current.scrollTop = frame.current.scrollHeight;
  }, [records, tail]);

  const toggle = (key: string) =>
    setExpanded((old) => {
      const next = new Set(old);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  const onSent = (partition: number, offset: number) => {
    setProducing(false);
    setNotice(`Sent to partition ${partition} at offset ${offset}.`);
    if (tail !== 'off') return;
    const latest = { ...form, start: 'latest' as const };
    setForm(latest);
    search(latest);
  };

  const budget = page?.budget;
  const known = partitions && partitions.length > 0 ? `${partitions.length} partitions (0–${Math.max(...partitions)})` : undefined;

  return (
    <div class="messages">
      <form
        class="search-form card"
        aria-label="Search records"
        onSubmit={(e) => {
          e.preventDefault();
          search();
        }}
      >
        <div class="form-grid">
          <TextField
            label="Partitions"
            value={form.partitions}
            onInput={(v) => set('partitions', v)}
            placeholder="All"
            hint={known ? `e.g. 0,2 — empty for all ${known}` : 'e.g. 0,2 — empty for all'}
            spellcheck={false}
          />
          <SelectField label="Start" value={form.start} options={STARTS} onChange={(v) => set('start', v)} />
          <TextField
            label="Offset"
            value={form.offset}
            onInput={(v) => setForm((f) => ({ ...f, offset: v, start: v.trim() ? 'offset' : f.start }))}
            inputMode="numeric"
            class={form.start === 'offset' ? 'mono' : 'mono dim'}
            placeholder="e.g. 1200"
          />
          <TextField
            label="Timestamp"
            value={form.timestamp}
            onInput={(v) => setForm((f) => ({ ...f, timestamp: v, start: v.trim() ? 'timestamp' : f.start }))}
            class={form.start === 'timestamp' ? 'mono' : 'mono dim'}
            placeholder="ms or 2024-05-01T12:00:00Z"
          />
          <TextField label="Filter" value={form.filter} onInput={(v) => set('filter', v)} class="mono" placeholder="Text, regex or JSON path" spellcheck={false} />
          <SelectField label="Filter on" value={form.filterOn} options={FILTER_ONS} onChange={(v) => set('filterOn', v)} />
          <TextField
            label="Header key"
            value={form.headerKey}
            onInput={(v) => setForm((f) => ({ ...f, headerKey: v, filterOn: v.trim() ? 'header' : f.filterOn }))}
            class={form.filterOn === 'header' ? 'mono' : 'mono dim'}
            spellcheck={false}
          />
          <SelectField label="Match" value={form.filterMode} options={MATCHES} onChange={(v) => set('filterMode', v)} />
          <SelectField label="Decode as" value={form.decode} options={DECODES} onChange={(v) => set('decode', v)} />
          <SelectField label="Isolation" value={form.isolation} options={ISOLATIONS} onChange={(v) => set('isolation', v)} />
          <SelectField label="Page size" value={form.limit} options={LIMITS} onChange={(v) => set('limit', v)} />
        </div>
        <div class="form-actions left">
          <button type="submit" class="button primary" disabled={loading} aria-busy={loading}>
            Search
          </button>
          <button type="button" class="button" disabled={!page?.prev || loading} onClick={() => turn('prev')}>
            Older
          </button>
          <button type="button" class="button" disabled={!page?.next || loading} onClick={() => turn('next')}>
            Newer
          </button>
          <span class="spacer" />
          <button
            type="button"
            class={tail === 'off' ? 'button' : 'button live'}
            aria-pressed={tail !== 'off'}
            data-tail-state={tail}
            onClick={() => (tail === 'off' ? startTail() : stopTail())}
          >
            <span class="live-dot" aria-hidden="true" />
            Live tail
          </button>
          <button type="button" class="button" disabled={records.length === 0} onClick={() => downloadJsonLines(topic, records)}>
            Export JSON lines
          </button>
          <button type="button" class="button" disabled={records.length === 0} onClick={() => downloadCsv(topic, records)}>
            Export CSV
          </button>
          <button type="button" class="button primary-outline" onClick={() => setProducing(true)}>
            Produce
          </button>
        </div>
      </form>

      <ErrorNote error={error} />
      {budget?.cut ? (
        <p role="status" class="note warn">
          The search stopped early: its {budget.reason === 'time' ? 'time budget (2 s)' : 'byte budget (16 MiB)'} ran out after scanning {count(page?.scanned)} records. Use Older or
          Newer to continue from where it stopped.
        </p>
      ) : null}
      <p class="muted summary" aria-live="polite">
        {notice ? `${notice} ` : ''}
        {tail === 'open' ? 'Live tail: waiting for new records… ' : tail === 'connecting' ? 'Live tail: connecting… ' : tail === 'reconnecting' ? 'Live tail: reconnecting… ' : ''}
        {page ? `${count(records.length)} records shown, ${count(page.scanned)} scanned.` : loading ? 'Searching…' : ''}
      </p>

      <div ref={frame} class="table-frame tall">
          <table aria-label="Records" class="records">
            <thead>
              <tr>
                <th scope="col" class="toggle-cell">
                  <span class="sr-only">Details</span>
                </th>
                <th scope="col" class="num">
                  Partition
                </th>
                <th scope="col" class="num">
                  Offset
                </th>
                <th scope="col">Timestamp</th>
                <th scope="col">Key</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {records.map((r) => (
                <RecordRows key={recordKey(r)} record={r} expanded={expanded.has(recordKey(r))} onToggle={() => toggle(recordKey(r))} />
              ))}
            </tbody>
          </table>
          {page && records.length === 0 && !loading ? <p class="empty">No records match. Try another start, Older, or a looser filter.</p> : null}
      </div>
      {producing ? <ProduceDialog topic={topic} onClose={() => setProducing(false)} onSent={onSent} /> : null}
    </div>
  );
}
