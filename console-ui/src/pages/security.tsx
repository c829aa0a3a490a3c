// Security: ACL bindings and SCRAM users (each shown only when the cluster supports it).
import { useState } from 'preact/hooks';
import { api, type AclBinding } from '../api';
import { useConsole } from '../app-context';
import { wholeNumber } from '../format';
import { ActionForm, Dialog, ErrorNote, Loading, PageHeader, SelectField, TableFrame, TextField, Unavailable, isUnavailable, useResource } from '../ui';

// Kafka's enum names, as AclCommand prints them.
const RESOURCE_TYPES = ['TOPIC', 'GROUP', 'CLUSTER', 'TRANSACTIONAL_ID', 'DELEGATION_TOKEN', 'USER'].map((v) => [v, v] as const);
const PATTERN_TYPES = ['LITERAL', 'PREFIXED'].map((v) => [v, v] as const);
const OPERATIONS = ['ALL', 'READ', 'WRITE', 'CREATE', 'DELETE', 'ALTER', 'DESCRIBE', 'CLUSTER_ACTION', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS', 'IDEMPOTENT_WRITE', 'CREATE_TOKENS', 'DESCRIBE_TOKENS'].map(
  (v) => [v, v] as const,
);
const PERMISSIONS = ['ALLOW', 'DENY'].map((v) => [v, v] as const);
const MECHANISMS = [
  ['SCRAM-SHA-256', 'SCRAM-SHA-256'],
  ['SCRAM-SHA-512', 'SCRAM-SHA-512'],
] as const;

function AddAclDialog({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const [binding, setBinding] = useState<AclBinding>({
    resourceType: 'TOPIC',
    resourceName: '',
    patternType: 'LITERAL',
    principal: 'User:',
    host: '*',
    operation: 'READ',
    permissionType: 'ALLOW',
  });
  const set = (field: keyof AclBinding) => (value: string) => setBinding((b) => ({ ...b, [field]: value }));
  return (
    <Dialog title="Add ACL" onClose={onClose} wide>
      <ActionForm
        action="Add ACL"
        onCancel={onClose}
        submit={async () => {
          if (!binding.resourceName.trim()) throw new Error('Resource name is required (use * for all, or kafka-cluster for the cluster).');
          if (!/^[^:]+:.+$/.test(binding.principal)) throw new Error('Principal must look like User:alice.');
          await api.addAcl(binding);
          onDone();
        }}
      >
        <div class="form-grid">
          <SelectField label="Resource type" value={binding.resourceType} options={RESOURCE_TYPES} onChange={set('resourceType')} />
          <TextField label="Resource name" value={binding.resourceName} onInput={set('resourceName')} class="mono" autoFocus />
          <SelectField label="Pattern type" value={binding.patternType} options={PATTERN_TYPES} onChange={set('patternType')} />
          <TextField label="Principal" value={binding.principal} onInput={set('principal')} class="mono" />
          <TextField label="Host" value={binding.host} onInput={set('host')} class="mono" />
          <SelectField label="Operation" value={binding.operation} options={OPERATIONS} onChange={set('operation')} />
          <SelectField label="Permission" value={binding.permissionType} options={PERMISSIONS} onChange={set('permissionType')} />
        </div>
      </ActionForm>
    </Dialog>
  );
}

function AclsSection() {
  const acls = useResource(() => api.acls(), 'acls');
  const [adding, setAdding] = useState(false);
  const [removeError, setRemoveError] = useState<unknown>();
  const remove = async (binding: AclBinding) => {
    setRemoveError(undefined);
    try {
      await api.removeAcl(binding);
      acls.reload();
    } catch (e) {
      setRemoveError(e);
    }
  };
  if (isUnavailable(acls.error)) return <ErrorNote error={acls.error} what="ACLs" />;
  return (
    <section aria-labelledby="acls-title">
      <div class="section-head">
        <h2 id="acls-title">ACLs</h2>
        <button type="button" class="button primary" onClick={() => setAdding(true)}>
          Add ACL
        </button>
      </div>
      <ErrorNote error={acls.error ?? removeError} />
      {!acls.data && acls.loading ? <Loading what="ACLs" /> : null}
      {acls.data ? (
        <TableFrame tall>
          <table aria-label="ACLs">
            <thead>
              <tr>
                <th scope="col">Resource</th>
                <th scope="col">Pattern</th>
                <th scope="col">Principal</th>
                <th scope="col">Host</th>
                <th scope="col">Operation</th>
                <th scope="col">Permission</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {acls.data.map((b, i) => (
                <tr key={i}>
                  <td>
                    <span class="muted">{b.resourceType}</span> <span class="mono">{b.resourceName}</span>
                  </td>
                  <td>{b.patternType}</td>
                  <td class="mono">{b.principal}</td>
                  <td class="mono">{b.host}</td>
                  <td>{b.operation}</td>
                  <td>
                    <span class={/deny/i.test(b.permissionType) ? 'badge bad' : 'badge ok'}>{b.permissionType}</span>
                  </td>
                  <td class="num">
                    <button type="button" class="button small danger-quiet" onClick={() => void remove(b)}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {acls.data.length === 0 ? <p class="empty">No ACLs.</p> : null}
        </TableFrame>
      ) : null}
      {adding ? (
        <AddAclDialog
          onClose={() => setAdding(false)}
          onDone={() => {
            setAdding(false);
            acls.reload();
          }}
        />
      ) : null}
    </section>
  );
}

function AddUserDialog({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [mechanism, setMechanism] = useState<string>('SCRAM-SHA-256');
  const [iterations, setIterations] = useState('4096');
  return (
    <Dialog title="Add user" onClose={onClose}>
      <ActionForm
        action="Add user"
        onCancel={onClose}
        submit={async () => {
          if (!user.trim()) throw new Error('User is required.');
          if (!password) throw new Error('Password is required.');
          await api.addUser({ user: user.trim(), password, mechanism, iterations: wholeNumber(iterations, 'Iterations', 4096) });
          onDone();
        }}
      >
        <TextField label="User" value={user} onInput={setUser} autoFocus autoComplete="off" />
        <TextField label="Password" value={password} onInput={setPassword} type="password" autoComplete="new-password" />
        <div class="row">
          <SelectField label="Mechanism" value={mechanism} options={MECHANISMS} onChange={setMechanism} />
          <TextField label="Iterations" value={iterations} onInput={setIterations} inputMode="numeric" />
        </div>
      </ActionForm>
    </Dialog>
  );
}

function UsersSection() {
  const users = useResource(() => api.users(), 'users');
  const [adding, setAdding] = useState(false);
  const [removeError, setRemoveError] = useState<unknown>();
  const remove = async (user: string, mechanism: string) => {
    setRemoveError(undefined);
    try {
      await api.removeUser(user, mechanism);
      users.reload();
    } catch (e) {
      setRemoveError(e);
    }
  };
  if (isUnavailable(users.error)) return <ErrorNote error={users.error} what="SCRAM users" />;
  const rows = (users.data ?? []).flatMap((u) => u.credentials.map((c) => ({ user: u.user, ...c })));
  return (
    <section aria-labelledby="users-title">
      <div class="section-head">
        <h2 id="users-title">SCRAM users</h2>
        <button type="button" class="button primary" onClick={() => setAdding(true)}>
          Add user
        </button>
      </div>
      <ErrorNote error={users.error ?? removeError} />
      {!users.data && users.loading ? <Loading what="users" /> : null}
      {users.data ? (
        <TableFrame tall>
          <table aria-label="SCRAM users">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Mechanism</th>
                <th scope="col" class="num">
                  Iterations
                </th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.user}:${r.mechanism}`}>
                  <td class="mono">{r.user}</td>
                  <td>{r.mechanism}</td>
                  <td class="num mono">{r.iterations}</td>
                  <td class="num">
                    <button type="button" class="button small danger-quiet" onClick={() => void remove(r.user, r.mechanism)}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length === 0 ? <p class="empty">No SCRAM users.</p> : null}
        </TableFrame>
      ) : null}
      {adding ? (
        <AddUserDialog
          onClose={() => setAdding(false)}
          onDone={() => {
            setAdding(false);
            users.reload();
          }}
        />
      ) : null}
    </section>
  );
}

export function SecurityPage() {
  const { features, featuresError } = useConsole();
  return (
    <>
      <PageHeader title="Security" subtitle="Access control lists and SCRAM credentials" />
      {!features ? featuresError ? <ErrorNote error={featuresError} /> : <Loading what="the cluster's features" /> : null}
      {features ? features.acls ? <AclsSection /> : <Unavailable what="ACLs" /> : null}
      {features ? features.scram ? <UsersSection /> : <Unavailable what="SCRAM users" /> : null}
    </>
  );
}
