import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { shortTime } from '../ui/format';
import { ErrorState, Empty, FieldError, FormError, Loading, useFormErrors } from '../ui/States';

/** The agent's API keys; a new key's secret is shown once, right here, and never again. */
export function ApiKeysSection({ agentId }: { agentId: string }) {
  const client = useQueryClient();
  const key = ['keys', agentId];
  const keys = useQuery({
    queryKey: key,
    queryFn: async () => (await unwrap(api.GET('/api/v1/agents/{id}/keys', { params: { path: { id: agentId }, query: { limit: 100 } } }))).data,
  });
  const [name, setName] = useState('');
  const [mode, setMode] = useState<'live' | 'test'>('live');
  const [secret, setSecret] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/agents/{id}/keys', { params: { path: { id: agentId } }, body: { name: name || undefined, mode } })),
    onSuccess: (body) => {
      setSecret(body.data.secret);
      setName('');
      void client.invalidateQueries({ queryKey: key });
    },
  });
  const revoke = useMutation({
    mutationFn: (keyId: string) => unwrap(api.DELETE('/api/v1/agents/{id}/keys/{key_id}', { params: { path: { id: agentId, key_id: keyId } } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: key }),
  });
  const errors = useFormErrors(create.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section className="card" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      {secret && (
        <div className="notice secret" role="alert">
          <p>
            <strong>Copy this key now: it will not be shown again.</strong>
          </p>
          <code className="secret-value">{secret}</code>
          <div>
            <button type="button" className="btn" onClick={() => void navigator.clipboard?.writeText(secret)}>
              Copy
            </button>{' '}
            <button type="button" className="btn btn-ghost" onClick={() => setSecret(null)}>
              I have saved it
            </button>
          </div>
        </div>
      )}
      {keys.isPending ? (
        <Loading />
      ) : keys.isError ? (
        <ErrorState error={keys.error} retry={() => void keys.refetch()} />
      ) : keys.data.length === 0 ? (
        <Empty title="No keys" />
      ) : (
        <ul className="rows">
          {keys.data.map((k) => (
            <li key={k.id}>
              <span>
                <code>{k.prefix}…</code> {k.name} <span className="badge">{k.mode}</span>{' '}
                <span className="muted">{k.revoked_at ? `revoked ${shortTime(k.revoked_at)}` : k.last_used_at ? `used ${shortTime(k.last_used_at)}` : 'never used'}</span>
              </span>
              {!k.revoked_at && (
                <button type="button" className="btn btn-ghost" onClick={() => window.confirm('Revoke this key? Calls using it will fail.') && revoke.mutate(k.id)}>
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <form className="inline-form" onSubmit={submit} aria-label="Create a key">
        <label htmlFor="key-name">Key name</label>
        <input
          id="key-name"
          value={name}
          maxLength={200}
          aria-describedby="key-name-error"
          onChange={(e) => {
            errors.edited('name');
            setName(e.target.value);
          }}
        />
        <FieldError id="key-name-error" message={errors.field('name')} />
        <label htmlFor="key-mode">Mode</label>
        <select
          id="key-mode"
          value={mode}
          onChange={(e) => {
            errors.edited('mode');
            setMode(e.target.value as 'live' | 'test');
          }}
        >
          <option value="live">live</option>
          <option value="test">test</option>
        </select>
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          Create key
        </button>
      </form>
      <FormError error={errors.formError ?? revoke.error} />
    </section>
  );
}
