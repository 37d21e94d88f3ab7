import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { useAgents } from '../inbox/queries';
import { ErrorState, Empty, FieldError, FormError, Loading, useFormErrors } from '../ui/States';

export function AgentsPage() {
  const agents = useAgents();
  const client = useQueryClient();
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/agents', { body: { name } })),
    onSuccess: () => {
      setName('');
      void client.invalidateQueries({ queryKey: ['agents'] });
    },
  });
  const errors = useFormErrors(create.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) create.mutate();
  };
  return (
    <>
      <h1>AI agents</h1>
      <form className="card inline-form" onSubmit={submit}>
        <label htmlFor="agent-name">New agent name</label>
        <input
          id="agent-name"
          value={name}
          required
          maxLength={200}
          aria-describedby="agent-name-error"
          onChange={(e) => {
            errors.edited('name');
            setName(e.target.value);
          }}
        />
        <FieldError id="agent-name-error" message={errors.field('name')} />
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          Create agent
        </button>
        <FormError error={errors.formError} />
      </form>
      {agents.isPending ? (
        <Loading />
      ) : agents.isError ? (
        <ErrorState error={agents.error} retry={() => void agents.refetch()} />
      ) : agents.data.length === 0 ? (
        <Empty title="No AI agents yet" />
      ) : (
        <ul className="card-list">
          {agents.data.map((a) => (
            <li key={a.id} className="card">
              <Link to={`/admin/agents/${a.id}`}>
                <strong>{a.name}</strong>
              </Link>{' '}
              <span className={`badge ${a.status === 'active' ? 'badge-active' : ''}`}>{a.status}</span>
              {a.description && <p className="muted">{a.description}</p>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
