import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { Agent } from '../api/types';
import { useTeams } from '../inbox/queries';
import { ErrorState, FieldError, FormError, Loading, useFormErrors } from '../ui/States';
import { ApiKeysSection } from './ApiKeysSection';
import { DocumentsSection } from './DocumentsSection';

/** One AI agent: its settings, its knowledge documents and its API keys. */
export function AgentDetailPage() {
  const { id = '' } = useParams();
  const agent = useQuery({
    queryKey: ['agent', id],
    queryFn: async () => (await unwrap(api.GET('/api/v1/agents/{id}', { params: { path: { id } } }))).data,
  });
  if (agent.isPending) return <Loading />;
  if (agent.isError) return <ErrorState error={agent.error} retry={() => void agent.refetch()} />;
  return (
    <>
      <p>
        <Link to="/admin/agents">← All agents</Link>
      </p>
      <h1>{agent.data.name}</h1>
      <AgentForm agent={agent.data} />
      <DocumentsSection agentId={id} />
      <ApiKeysSection agentId={id} />
    </>
  );
}

function AgentForm({ agent }: { agent: Agent }) {
  const client = useQueryClient();
  const teamList = useTeams().data;
  const teams = teamList ?? [];
  const [form, setForm] = useState({ name: '', description: '', instructions: '', keywords: '', status: agent.status, default_team_id: '', handoff_after_declines: String(agent.handoff_after_declines) });
  useEffect(
    () =>
      setForm({
        name: agent.name,
        description: agent.description ?? '',
        instructions: agent.instructions ?? '',
        keywords: agent.keywords.join(', '),
        status: agent.status,
        default_team_id: agent.default_team_id ?? '',
        handoff_after_declines: String(agent.handoff_after_declines),
      }),
    [agent],
  );
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/api/v1/agents/{id}', {
          params: { path: { id: agent.id } },
          body: {
            name: form.name,
            description: form.description,
            instructions: form.instructions,
            status: form.status,
            keywords: form.keywords.split(',').map((k) => k.trim()).filter(Boolean),
            default_team_id: form.default_team_id || null,
            handoff_after_declines: Number(form.handoff_after_declines),
          },
        }),
      ),
    onSuccess: (body) => {
      client.setQueryData(['agent', agent.id], body.data);
      void client.invalidateQueries({ queryKey: ['agents'] });
    },
  });
  const errors = useFormErrors(save.error);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => {
    errors.edited(key);
    setForm((f) => ({ ...f, [key]: e.target.value }));
  };
  /** A setting's error under it, read with it. */
  const problem = (key: keyof typeof form) => <FieldError id={`agent-${key}-error`} message={errors.field(key)} />;
  const describedBy = (key: keyof typeof form) => ({ 'aria-describedby': `agent-${key}-error` });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="card form" onSubmit={submit} aria-label="Agent settings">
      <label>
        Name
        <input value={form.name} required maxLength={200} {...describedBy('name')} onChange={set('name')} />
        {problem('name')}
      </label>
      <label>
        Status
        <select value={form.status} {...describedBy('status')} onChange={set('status')}>
          <option value="active">active</option>
          <option value="inactive">inactive</option>
        </select>
        {problem('status')}
      </label>
      <label>
        Description
        <input value={form.description} maxLength={2000} {...describedBy('description')} onChange={set('description')} />
        {problem('description')}
      </label>
      <label>
        Instructions
        <textarea rows={6} value={form.instructions} maxLength={20000} {...describedBy('instructions')} onChange={set('instructions')} />
        {problem('instructions')}
      </label>
      <label>
        Default team <span className="hint">(where its handed-off conversations go, unless their channel names a team)</span>
        <select value={form.default_team_id} {...describedBy('default_team_id')} onChange={set('default_team_id')}>
          <option value="">No team</option>
          {teams.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
          {form.default_team_id && teamList && !teams.some((t) => t.id === form.default_team_id) && <option value={form.default_team_id}>A deleted team</option>}
        </select>
        {problem('default_team_id')}
      </label>
      <label>
        Hand over after N unanswered questions (0 = never) <span className="hint">— in a row, the AI then passes the conversation to a person</span>
        <input type="number" min={0} max={20} step={1} required value={form.handoff_after_declines} {...describedBy('handoff_after_declines')} onChange={set('handoff_after_declines')} />
        {problem('handoff_after_declines')}
      </label>
      <label>
        Keywords to watch <span className="hint">(comma-separated; a match raises keyword.detected)</span>
        <input value={form.keywords} {...describedBy('keywords')} onChange={set('keywords')} />
        {problem('keywords')}
      </label>
      <FormError error={errors.formError} />
      {save.isSuccess && <p className="notice" role="status">Saved.</p>}
      <button type="submit" className="btn btn-primary" disabled={save.isPending}>
        Save agent
      </button>
    </form>
  );
}
