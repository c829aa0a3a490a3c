// Login for secured clusters: the console then talks to the cluster with these credentials, so ACLs apply.
import { useState } from 'preact/hooks';
import { api, type SaslMechanism } from '../api';
import { ErrorNote, SelectField, TextField } from '../ui';

const MECHANISMS = [
  ['SCRAM-SHA-256', 'SCRAM-SHA-256'],
  ['SCRAM-SHA-512', 'SCRAM-SHA-512'],
  ['PLAIN', 'PLAIN'],
] as const;

export function LoginPage({ onLoggedIn }: { onLoggedIn: () => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [mechanism, setMechanism] = useState<SaslMechanism>('SCRAM-SHA-256');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.login(username, password, mechanism);
      onLoggedIn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="login">
      <form class="card stack" onSubmit={submit}>
        <h1>Log in</h1>
        <p class="muted">This cluster is secured. The console uses your credentials, so your ACLs decide what you see.</p>
        <TextField label="Username" value={username} onInput={setUsername} autoComplete="username" required />
        <TextField label="Password" value={password} onInput={setPassword} type="password" autoComplete="current-password" required />
        <SelectField label="Mechanism" value={mechanism} options={MECHANISMS} onChange={setMechanism} />
        <ErrorNote error={error} />
        <button type="submit" class="button primary" disabled={busy}>
          Log in
        </button>
      </form>
    </div>
  );
}
