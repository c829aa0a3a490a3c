// Client-side export of the records on screen, as JSON lines or CSV, through a Blob download.
import type { ConsoleRecord } from './api';

function download(fileName: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers.
  window.setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function safeName(topic: string): string {
  return topic.replace(/[^A-Za-z0-9._-]/g, '_');
}

export function downloadJsonLines(topic: string, records: ConsoleRecord[]): void {
  download(`${safeName(topic)}-records.jsonl`, 'application/x-ndjson', records.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

const CSV_COLUMNS = ['partition', 'offset', 'timestamp', 'timestampType', 'key', 'value', 'headers', 'compression'] as const;

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(records: ConsoleRecord[]): string {
  const rows = records.map((r) => CSV_COLUMNS.map((column) => csvField(column === 'headers' ? (r.headers.length ? r.headers : null) : r[column])).join(','));
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

export function downloadCsv(topic: string, records: ConsoleRecord[]): void {
  download(`${safeName(topic)}-records.csv`, 'text/csv', toCsv(records));
}
