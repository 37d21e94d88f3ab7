import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { ApiError, unwrap } from '../../api/errors';
import type { Channel } from '../../api/types';
import { useAgents, useTeams } from '../../inbox/queries';
import { ErrorState, FormError, Loading, useFormErrors } from '../../ui/States';
import { AppearanceSection, BasicsSection } from './AppearanceSection';
import { InstallCard, SecretNotice } from './InstallCard';
import { cacheChannel, useDraftFollowsStored } from '../channel-editing';
import { PreChatSection } from './PreChatSection';
import { SecuritySection } from './SecuritySection';
import { WidgetPreview } from './WidgetPreview';
import { EmailChannelEditor } from '../email/EmailChannelPage';
import { configOf, draftOf, isDirty, problemsOf, type Draft, type Problems } from './widget-draft';
import './widget-admin.css';

interface Revealed {
  secret: string;
  rotated: boolean;
}

/**
 * A secret handed from the page that created the channel to the page that shows it (the route
 * changes from /new to the id, which mounts the page afresh). Memory only: a reload forgets it.
 */
const revealed = new Map<string, Revealed>();

/**
 * /admin/channels/new and /admin/channels/:id: a web_widget channel's settings, its preview and its
 * snippet; an email channel's page is its own editor.
 */
export function WidgetChannelPage() {
  const { id = 'new' } = useParams();
  const isNew = id === 'new';
  const channel = useQuery({
    queryKey: ['channel', id],
    queryFn: async () => (await unwrap(api.GET('/api/v1/channels/{id}', { params: { path: { id } } }))).data,
    enabled: !isNew,
  });
  if (isNew) return <WidgetEditor channel={null} />;
  if (channel.isPending) return <Loading />;
  if (channel.isError) return <ErrorState error={channel.error} retry={() => void channel.refetch()} title={channel.error instanceof ApiError && channel.error.status === 404 ? 'This channel does not exist' : undefined} />;
  if (channel.data.type === 'email') return <EmailChannelEditor key={channel.data.id} channel={channel.data} />;
  if (channel.data.type !== 'web_widget') {
    return (
      <>
        <BackLink />
        <h1>{channel.data.name}</h1>
        <p className="muted">This {channel.data.type} channel has no settings to edit here.</p>
      </>
    );
  }
  return <WidgetEditor key={channel.data.id} channel={channel.data} />;
}

function BackLink() {
  return (
    <Link to="/admin/channels" className="wa-back">
      ← Channels
    </Link>
  );
}

/** Problems the sections show beside a field; any other goes in the summary under the form. */
const PLACED = /^(name|agent_id|default_team_id|title|greeting|accent_color|locale|position|identity_verification|allowed_origins(\.\d+)?|pre_chat\.fields(\.\d+(\.(label|name|type|options))?)?)$/;

function WidgetEditor({ channel }: { channel: Channel | null }) {
  const navigate = useNavigate();
  const client = useQueryClient();
  const agents = useAgents();
  const teams = useTeams();
  const [search] = useSearchParams();
  const stored = useMemo(() => draftOf(channel, search.get('name') ?? 'Website chat', search.get('team') ?? ''), [channel, search]);
  const [draft, setDraft] = useState<Draft>(stored);
  const [saved, setSaved] = useState(false);
  const [secret, setSecret] = useState<Revealed | null>(() => (channel ? (revealed.get(channel.id) ?? null) : null));
  const secretRef = useRef<HTMLDivElement>(null);
  const sentRows = useRef<number[]>([]);

  useDraftFollowsStored(channel, stored, setDraft);
  useEffect(() => () => void (channel && revealed.delete(channel.id)), [channel?.id]);
  useEffect(() => {
    if (secret) secretRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [secret]);

  const keep = (view: Channel) => cacheChannel(client, view, 'identity_secret');

  const save = useMutation({
    mutationFn: async (d: Draft) => {
      const { config, originRows } = configOf(d);
      sentRows.current = originRows;
      const body = { name: d.name.trim(), config, default_team_id: d.default_team_id || null };
      if (channel) return unwrap(api.PATCH('/api/v1/channels/{id}', { params: { path: { id: channel.id } }, body }));
      return unwrap(api.POST('/api/v1/channels', { body: { ...body, type: 'web_widget' } }));
    },
    onSuccess: ({ data }) => {
      keep(data);
      if (!channel) {
        if (data.identity_secret) revealed.set(data.id, { secret: data.identity_secret, rotated: false });
        navigate(`/admin/channels/${data.id}`, { replace: true });
      } else setSaved(true);
    },
  });
  // The server's problems at the editor's fields (origin rows as the editor numbers them), each
  // until its field is edited.
  const errors = useFormErrors(save.error, (err) => problemsOf(err, sentRows.current));
  const problems: Problems = {};
  for (const key of Object.keys(problemsOf(save.error, sentRows.current))) {
    const message = errors.field(key);
    if (message) problems[key] = message;
  }

  const rotate = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/v1/channels/{id}/rotate_identity_secret', { params: { path: { id } } })),
    onSuccess: ({ data }) => {
      keep(data);
      if (data.identity_secret) setSecret({ secret: data.identity_secret, rotated: true });
    },
  });

  const change = (edit: (d: Draft) => Draft, ...touched: string[]) => {
    setDraft(edit);
    setSaved(false);
    // `prefix*` is a whole list (its rows move); a list named beside one of its own rows is
    // cleared by that row already, and its other rows keep their errors.
    const names = touched.map((t) => t.replace(/\*$/, ''));
    const own = names.filter((n) => !names.some((m) => m.startsWith(`${n}.`)));
    if (own.length === 0) errors.edited();
    for (const name of own) errors.edited(name);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(draft);
  };

  const dirty = !channel || isDirty(draft, stored);
  const unplaced = Object.entries(problems).filter(([key]) => !PLACED.test(key));
  const sectionProps = { draft, problems, change };

  return (
    <div className="wa-page">
      <BackLink />
      <div className="wa-title">
        <h1>{channel ? channel.name : 'New website widget'}</h1>
        {channel && <span className={`badge ${channel.active ? 'badge-active' : ''}`}>{channel.active ? 'active' : 'inactive'}</span>}
        <span className="badge">web_widget</span>
      </div>
      {secret && (
        <div ref={secretRef} className="wa-secret-anchor">
          <SecretNotice
            secret={secret.secret}
            rotated={secret.rotated}
            onDismiss={() => {
              setSecret(null);
              if (channel) revealed.delete(channel.id);
            }}
          />
        </div>
      )}
      <div className="wa-layout">
        <div className="wa-main">
          {channel && <InstallCard channel={channel} />}
          <form className="wa-form" onSubmit={submit} aria-label="Widget settings">
            <BasicsSection {...sectionProps} agents={agents.data} teams={teams.data} />
            <AppearanceSection {...sectionProps} />
            <PreChatSection {...sectionProps} />
            <SecuritySection {...sectionProps} rotate={channel ? { run: () => rotate.mutate(channel.id), pending: rotate.isPending } : null} />
            <FormError error={rotate.error} />
            <div className="wa-savebar">
              {Object.keys(problems).length > 0 ? (
                <div className="form-error wa-summary" role="alert">
                  <strong>Some settings need a fix</strong> — they are marked above.
                  {unplaced.length > 0 && (
                    <ul>
                      {unplaced.map(([key, message]) => (
                        <li key={key}>
                          <code>{key}</code>: {message}
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              ) : (
                <FormError error={errors.formError} />
              )}
              <div className="wa-savebar-row">
                <span className="hint" role="status">
                  {save.isPending ? 'Saving…' : saved && !dirty ? 'All changes saved.' : channel && dirty ? 'Unsaved changes' : ''}
                </span>
                <button type="submit" className="btn btn-primary" disabled={save.isPending || (channel !== null && !dirty)}>
                  {channel ? 'Save changes' : 'Create widget'}
                </button>
              </div>
            </div>
          </form>
        </div>
        <aside className="wa-aside" aria-label="Preview">
          <WidgetPreview draft={draft} />
        </aside>
      </div>
    </div>
  );
}
