// Building blocks shared by the pages: data loading hooks, error notes, dialogs, form fields, tables.
import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import { useCallback, useEffect, useId, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Loads with `load` when `key` changes (and every `refreshMs` when given); keeps the last data while reloading. */
export function useResource<T>(load: () => Promise<T>, key: string, refreshMs?: number): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean; key: string }>({ loading: true, key });
  const [tick, setTick] = useState(0);
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...(s.key === key ? s : { data: undefined }), error: s.key === key ? s.error : undefined, loading: true, key }));
    loader.current().then(
      (data) => live && setState({ data, error: undefined, loading: false, key }),
      (error: unknown) => live && setState((s) => ({ data: s.key === key ? s.data : undefined, error, loading: false, key })),
    );
    return () => {
      live = false;
    };
  }, [key, tick]);
  useEffect(() => {
    if (!refreshMs) return;
    const timer = window.setInterval(() => setTick((t) => t + 1), refreshMs);
    return () => window.clearInterval(timer);
  }, [refreshMs, key]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

export function isUnavailable(error: unknown): boolean {
  return error instanceof ApiError && error.unavailable;
}

/** An error in the page: 501 reads as "unavailable" (a missing feature), anything else as an alert. */
export function ErrorNote({ error, what }: { error: unknown; what?: string }) {
  if (error === undefined || error === null) return null;
  if (isUnavailable(error)) {
    return (
      <p class="note unavailable">
        {what ? `${what} unavailable` : 'Unavailable'} on this cluster: {errorMessage(error)}
      </p>
    );
  }
  return (
    <div role="alert" class="note error">
      {errorMessage(error)}
    </div>
  );
}

export function Unavailable({ what }: { what: string }) {
  return <p class="note unavailable">{what} unavailable: the cluster does not support it.</p>;
}

export function Loading({ what }: { what: string }) {
  return <p class="muted loading">Loading {what}…</p>;
}

export function PageHeader({ title, children, subtitle }: { title: string; subtitle?: ComponentChildren; children?: ComponentChildren }) {
  return (
    <header class="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle ? <p class="muted subtitle">{subtitle}</p> : null}
      </div>
      {children ? <div class="actions">{children}</div> : null}
    </header>
  );
}

/** A modal dialog (native <dialog>): focus stays inside, Escape closes it. */
export function Dialog({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ComponentChildren; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      class={wide ? 'dialog wide' : 'dialog'}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <div class="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" class="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <div class="dialog-body">{children}</div>
    </dialog>
  );
}

/** A form inside a dialog: runs `submit`, shows its error as an alert, and keeps the button busy meanwhile. */
export function ActionForm({
  submit,
  action,
  danger,
  children,
  onCancel,
  disabled,
  extra,
}: {
  submit: () => Promise<void>;
  action: string;
  danger?: boolean;
  children?: ComponentChildren;
  onCancel: () => void;
  disabled?: boolean;
  extra?: ComponentChildren;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const onSubmit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await submit();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={onSubmit} class="stack">
      {children}
      <ErrorNote error={error} />
      <div class="form-actions">
        {extra}
        <button type="button" class="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class={danger ? 'button danger' : 'button primary'} disabled={busy || disabled} aria-busy={busy}>
          {action}
        </button>
      </div>
    </form>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onInput' | 'label'>;

export function TextField({
  label,
  value,
  onInput,
  hint,
  ...rest
}: { label: string; value: string; onInput: (value: string) => void; hint?: string } & InputProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} value={value} onInput={(e) => onInput(e.currentTarget.value)} aria-describedby={hintId} {...rest} />
      {hint ? (
        <span id={hintId} class="hint">
          {hint}
        </span>
      ) : null}
    </div>
  );
}

export function TextArea({ label, value, onInput, hint, rows = 4 }: { label: string; value: string; onInput: (value: string) => void; hint?: string; rows?: number }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <textarea id={id} rows={rows} value={value} onInput={(e) => onInput(e.currentTarget.value)} aria-describedby={hintId} class="mono" />
      {hint ? (
        <span id={hintId} class="hint">
          {hint}
        </span>
      ) : null}
    </div>
  );
}

export function SelectField<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: readonly (readonly [T, string])[];
  onChange: (value: T) => void;
}) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value as T)}>
        {options.map(([optionValue, text]) => (
          <option key={optionValue} value={optionValue}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A scrolling frame for a table, so its header row can stick. */
export function TableFrame({ children, tall }: { children: ComponentChildren; tall?: boolean }) {
  return <div class={tall ? 'table-frame tall' : 'table-frame'}>{children}</div>;
}

export function StateBadge({ state }: { state: string }) {
  const tone = /^(Stable|Ongoing|ONLINE)$/i.test(state) ? 'ok' : /^(Dead|PrepareAbort|CompleteAbort)$/i.test(state) ? 'bad' : /^(Empty)$/i.test(state) ? 'neutral' : 'warn';
  return <span class={`badge ${tone}`}>{state}</span>;
}

export function Stat({ label, value, tone }: { label: string; value: ComponentChildren; tone?: 'ok' | 'bad' }) {
  return (
    <div class={`stat ${tone ?? ''}`}>
      <span class="stat-label">{label}</span>
      <span class="stat-value">{value}</span>
    </div>
  );
}
