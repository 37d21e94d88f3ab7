import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { ChannelType } from '../api/types';
import { useChannels, useTeams } from '../inbox/queries';
import { ErrorState, Empty, FieldError, FormError, Loading, useFormErrors } from '../ui/States';
import { ChannelError, ChannelStatus } from './ChannelStatus';
import './widget/widget-admin.css';

const TYPES: ChannelType[] = ['api', 'web_widget', 'email', 'sms', 'whatsapp', 'voice'];

/** Channel types with a settings page of their own (the rest are a name and a type). */
const EDITABLE: ReadonlySet<ChannelType> = new Set(['web_widget', 'email']);

export function ChannelsPage() {
  const channels = useChannels();
  const client = useQueryClient();
  const navigate = useNavigate();
  const refresh = () => void client.invalidateQueries({ queryKey: ['channels'] });
  const [name, setName] = useState('');
  const [type, setType] = useState<ChannelType>('web_widget');
  const [teamId, setTeamId] = useState('');
  const teams = useTeams().data ?? [];
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/channels', { body: { name, type, default_team_id: teamId || null } })),
    onSuccess: () => {
      setName('');
      setTeamId('');
      refresh();
    },
  });
  const errors = useFormErrors(create.error);
  const setDefaultTeam = useMutation({
    mutationFn: (v: { id: string; team: string | null }) =>
      unwrap(api.PATCH('/api/v1/channels/{id}', { params: { path: { id: v.id } }, body: { default_team_id: v.team } })),
    onSuccess: ({ data }) => {
      client.setQueryData(['channel', data.id], data);
      refresh();
    },
  });
  const toggle = useMutation({
    mutationFn: (v: { id: string; active: boolean }) => unwrap(api.PATCH('/api/v1/channels/{id}', { params: { path: { id: v.id } }, body: { active: v.active } })),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/channels/{id}', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // A website widget has settings worth setting before its snippet is pasted anywhere; an email
    // channel cannot work without its address and mail server.
    const query = new URLSearchParams({ name: name.trim(), ...(teamId ? { team: teamId } : {}) });
    if (type === 'web_widget') navigate(`/admin/channels/new?${query}`);
    else if (type === 'email') navigate(`/admin/channels/new/email?${query}`);
    else create.mutate();
  };
  return (
    <>
      <div className="channels-head">
        <h1>Channels</h1>
        <span className="channels-new">
          <Link to="/admin/channels/new/email" className="btn">
            + New email channel
          </Link>
          <Link to="/admin/channels/new" className="btn btn-primary">
            + New website widget
          </Link>
        </span>
      </div>
      {channels.isPending ? (
        <Loading />
      ) : channels.isError ? (
        <ErrorState error={channels.error} retry={() => void channels.refetch()} />
      ) : channels.data.length === 0 ? (
        <Empty title="No channels yet">Channels say where conversations come from.</Empty>
      ) : (
        <ul className="card-list">
          {channels.data.map((c) => (
            <li key={c.id} className="card row-between">
              <span>
                {EDITABLE.has(c.type) ? (
                  <Link to={`/admin/channels/${c.id}`}>
                    <strong>{c.name}</strong>
                  </Link>
                ) : (
                  <strong>{c.name}</strong>
                )}{' '}
                <span className="badge">{c.type}</span>{' '}
                <span className={`badge ${c.active ? 'badge-active' : ''}`}>{c.active ? 'active' : 'inactive'}</span>
                {c.type === 'email' && (
                  <span className="channel-status-line">
                    <ChannelStatus status={c.status} />
                  </span>
                )}
                {c.public_key && <div className="muted channel-key">{c.public_key}</div>}
                {c.type === 'email' && typeof c.config.address === 'string' && <div className="muted channel-key">{c.config.address}</div>}
                {c.type === 'email' && <ChannelError status={c.status} />}
                <label className="channel-team">
                  <span>
                    Default team<span className="sr-only"> of {c.name}</span>
                  </span>
                  <select
                    value={c.default_team_id ?? ''}
                    disabled={setDefaultTeam.isPending}
                    onChange={(e) => setDefaultTeam.mutate({ id: c.id, team: e.target.value || null })}
                  >
                    <option value="">No team</option>
                    {teams.map((t) => (
                      <option key={t.id} value={t.id}>
                        {t.name}
                      </option>
                    ))}
                  </select>
                </label>
              </span>
              <span>
                {c.type === 'web_widget' && (
                  <>
                    <Link to={`/admin/channels/${c.id}`} className="btn" aria-label={`Edit widget ${c.name}`}>
                      Edit widget
                    </Link>{' '}
                  </>
                )}
                {c.type === 'email' && (
                  <>
                    <Link to={`/admin/channels/${c.id}`} className="btn" aria-label={`Edit email channel ${c.name}`}>
                      Edit settings
                    </Link>{' '}
                  </>
                )}
                <button type="button" className="btn" onClick={() => toggle.mutate({ id: c.id, active: !c.active })}>
                  {c.active ? 'Deactivate' : 'Activate'}
                </button>{' '}
                <button type="button" className="btn btn-ghost" onClick={() => window.confirm(`Delete ${c.name}?`) && remove.mutate(c.id)}>
                  Delete
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <FormError error={toggle.error ?? remove.error ?? setDefaultTeam.error} />
      <form className="card inline-form" onSubmit={submit} aria-label="Add a channel">
        <label htmlFor="channel-name">Channel name</label>
        <input
          id="channel-name"
          value={name}
          required
          maxLength={200}
          aria-describedby="channel-name-error"
          onChange={(e) => {
            errors.edited('name');
            setName(e.target.value);
          }}
        />
        <FieldError id="channel-name-error" message={errors.field('name')} />
        <label htmlFor="channel-type">Type</label>
        <select
          id="channel-type"
          value={type}
          onChange={(e) => {
            errors.edited('type');
            setType(e.target.value as ChannelType);
          }}
        >
          {TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <label htmlFor="channel-team">Default team</label>
        <select
          id="channel-team"
          value={teamId}
          aria-describedby="channel-team-error"
          onChange={(e) => {
            errors.edited('default_team_id');
            setTeamId(e.target.value);
          }}
        >
          <option value="">No team</option>
          {teams.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        <FieldError id="channel-team-error" message={errors.field('default_team_id')} />
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          {type === 'web_widget' ? 'Set up widget…' : type === 'email' ? 'Set up email…' : 'Add channel'}
        </button>
        <FormError error={errors.formError} />
      </form>
    </>
  );
}
