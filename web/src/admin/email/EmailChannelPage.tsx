import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { ApiError, unwrap } from '../../api/errors';
import type { Channel } from '../../api/types';
import { useAgents, useTeams } from '../../inbox/queries';
import { FormError, useFormErrors } from '../../ui/States';
import { ChannelError, ChannelStatus } from '../ChannelStatus';
import { cacheChannel, useDraftFollowsStored } from '../channel-editing';
import { describe, Field } from '../widget/fields';
import { emailConfigOf, emailDirty, emailDraftOf, passwordNeededAgain, withSecure, type EmailDraft, type ServerDraft } from './email-draft';
import { InboundCard, InboundTokenNotice } from './InboundCard';
import '../widget/widget-admin.css';
import './email-channel.css';

interface Revealed {
  token: string;
  rotated: boolean;
}

/**
 * The inbound token handed from the page that created the channel to the page that shows it (the
 * route changes from /new/email to the id, which mounts the page afresh). Memory only.
 */
const revealed = new Map<string, Revealed>();

/** The fields the form shows beside their control; other problems go in the summary. */
const SERVER_FIELDS = ['host', 'port', 'secure', 'user', 'password'];
const PLACED = new Set([
  'name',
  'default_team_id',
  'address',
  'from_name',
  'agent_id',
  ...SERVER_FIELDS.map((f) => `smtp.${f}`),
  ...SERVER_FIELDS.map((f) => `imap.${f}`),
  'imap.mailbox',
]);

/** A field's error key as the server names it: the config's own keys, or under `config.` from the schema. */
const keysOf = (field: string) => [field, `config.${field}`];

/** /admin/channels/new/email: a new email channel. */
export function NewEmailChannelPage() {
  return <EmailChannelEditor channel={null} />;
}

/** An email channel's settings: its address, SMTP and IMAP servers, how mail reaches it, and whether it works. */
export function EmailChannelEditor({ channel }: { channel: Channel | null }) {
  const navigate = useNavigate();
  const client = useQueryClient();
  const teams = useTeams().data ?? [];
  const agents = useAgents().data ?? [];
  const [search] = useSearchParams();
  const stored = useMemo(() => emailDraftOf(channel, search.get('name') ?? 'Support email', search.get('team') ?? ''), [channel, search]);
  const [draft, setDraft] = useState<EmailDraft>(stored);
  const [saved, setSaved] = useState(false);
  const [token, setToken] = useState<Revealed | null>(() => (channel ? (revealed.get(channel.id) ?? null) : null));
  const tokenRef = useRef<HTMLDivElement>(null);

  // The stored settings changed (saved here or elsewhere): start again from them, passwords empty.
  useDraftFollowsStored(channel, stored, setDraft);
  useEffect(() => () => void (channel && revealed.delete(channel.id)), [channel?.id]);
  useEffect(() => {
    if (token) tokenRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [token]);

  const keep = (view: Channel) => cacheChannel(client, view, 'inbound_token');

  const save = useMutation({
    mutationFn: async (d: EmailDraft) => {
      const body = { name: d.name.trim(), config: emailConfigOf(d), default_team_id: d.default_team_id || null };
      if (channel) return unwrap(api.PATCH('/api/v1/channels/{id}', { params: { path: { id: channel.id } }, body }));
      return unwrap(api.POST('/api/v1/channels', { body: { ...body, type: 'email' } }));
    },
    onSuccess: ({ data }) => {
      keep(data);
      if (!channel) {
        if (data.inbound_token) revealed.set(data.id, { token: data.inbound_token, rotated: false });
        navigate(`/admin/channels/${data.id}`, { replace: true });
      } else setSaved(true);
    },
  });
  const errors = useFormErrors(save.error);
  const problem = (field: string) => keysOf(field).map((k) => errors.field(k)).find(Boolean);

  const rotate = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/v1/channels/{id}/rotate_inbound_token', { params: { path: { id } } })),
    onSuccess: ({ data }) => {
      keep(data);
      if (data.inbound_token) setToken({ token: data.inbound_token, rotated: true });
    },
  });

  const change = (edit: (d: EmailDraft) => EmailDraft, ...fields: string[]) => {
    setDraft(edit);
    setSaved(false);
    if (fields.length === 0) errors.edited();
    for (const f of fields) for (const k of keysOf(f)) errors.edited(k);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(draft);
  };

  const details = save.error instanceof ApiError ? save.error.details : {};
  const unplaced = Object.entries(details).filter(([k]) => !PLACED.has(k.replace(/^config\./, '')) && Array.isArray(details[k]));
  const anyPlaced = Object.keys(details).some((k) => PLACED.has(k.replace(/^config\./, '')) && problem(k.replace(/^config\./, '')));
  const dirty = !channel || emailDirty(draft, stored);

  return (
    <div className="wa-page em-page">
      <Link to="/admin/channels" className="wa-back">
        ← Channels
      </Link>
      <div className="wa-title">
        <h1>{channel ? channel.name : 'New email channel'}</h1>
        {channel && <span className={`badge ${channel.active ? 'badge-active' : ''}`}>{channel.active ? 'active' : 'inactive'}</span>}
        <span className="badge">email</span>
        {channel && (
          <span className="em-status" aria-label="Status">
            <ChannelStatus status={channel.status} detailed />
          </span>
        )}
      </div>
      {channel && <ChannelError status={channel.status} past />}
      {channel && token && (
        <div ref={tokenRef} className="wa-secret-anchor">
          <InboundTokenNotice
            channelId={channel.id}
            token={token.token}
            rotated={token.rotated}
            onDismiss={() => {
              setToken(null);
              revealed.delete(channel.id);
            }}
          />
        </div>
      )}
      <div className="em-layout">
        {channel && <InboundCard channel={channel} rotate={{ run: () => rotate.mutate(channel.id), pending: rotate.isPending }} />}
        <FormError error={rotate.error} />
        <form className="wa-form em-form" onSubmit={submit} aria-label="Email settings" noValidate>
          <section className="card wa-section" aria-labelledby="em-basics">
            <h2 id="em-basics">Address</h2>
            <div className="wa-grid">
              <Field id="em-name" label="Channel name" problem={problem('name')}>
                <input {...describe('em-name', problem('name'))} value={draft.name} maxLength={200} onChange={(e) => change((d) => ({ ...d, name: e.target.value }), 'name')} />
              </Field>
              <Field id="em-team" label="Default team" hint="Where conversations handed to a person go" problem={problem('default_team_id')}>
                <select {...describe('em-team', problem('default_team_id'), true)} value={draft.default_team_id} onChange={(e) => change((d) => ({ ...d, default_team_id: e.target.value }), 'default_team_id')}>
                  <option value="">No team</option>
                  {teams.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name}
                    </option>
                  ))}
                </select>
              </Field>
              <Field id="em-address" label="Email address" hint="Customers write here; replies come back to its +token address" problem={problem('address')}>
                <input
                  {...describe('em-address', problem('address'), true)}
                  type="email"
                  value={draft.address}
                  placeholder="support@shop.example"
                  autoComplete="off"
                  onChange={(e) => change((d) => ({ ...d, address: e.target.value }), 'address')}
                />
              </Field>
              <Field id="em-from" label="From name" hint="The name AI replies are sent as (empty: the workspace’s); operators send as “Ana from …”" problem={problem('from_name')}>
                <input {...describe('em-from', problem('from_name'), true)} value={draft.from_name} maxLength={100} onChange={(e) => change((d) => ({ ...d, from_name: e.target.value }), 'from_name')} />
              </Field>
              <Field id="em-agent" label="Answering agent" hint="The AI agent that answers this address’s mail" problem={problem('agent_id')}>
                <select {...describe('em-agent', problem('agent_id'), true)} value={draft.agent_id} onChange={(e) => change((d) => ({ ...d, agent_id: e.target.value }), 'agent_id')}>
                  <option value="">The first active agent</option>
                  {agents.map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.name}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
          </section>

          <section className="card wa-section" aria-labelledby="em-smtp">
            <h2 id="em-smtp">Sending (SMTP)</h2>
            <ServerFields kind="smtp" server={draft.smtp} stored={stored.smtp} problem={problem} onChange={(edit, field) => change((d) => ({ ...d, smtp: edit(d.smtp) }), `smtp.${field}`)} />
          </section>

          <section className="card wa-section" aria-labelledby="em-imap">
            <div className="em-section-head">
              <h2 id="em-imap">Receiving by IMAP</h2>
              <label className="switch">
                <input type="checkbox" role="switch" checked={draft.imapOn} onChange={(e) => change((d) => ({ ...d, imapOn: e.target.checked }), 'imap')} />
                <span className="switch-track" aria-hidden="true" />
                <span>Read a mailbox</span>
              </label>
            </div>
            {draft.imapOn ? (
              <>
                <ServerFields
                  kind="imap"
                  server={draft.imap}
                  stored={stored.imap}
                  problem={problem}
                  onChange={(edit, field) => change((d) => ({ ...d, imap: { ...d.imap, ...edit(d.imap) } }), `imap.${field}`)}
                />
                <div className="wa-grid em-mailbox">
                  <Field id="em-imap-mailbox" label="Mailbox" hint="The folder new mail is read from" problem={problem('imap.mailbox')}>
                    <input
                      {...describe('em-imap-mailbox', problem('imap.mailbox'), true)}
                      value={draft.imap.mailbox}
                      onChange={(e) => change((d) => ({ ...d, imap: { ...d.imap, mailbox: e.target.value } }), 'imap.mailbox')}
                    />
                  </Field>
                </div>
              </>
            ) : (
              <p className="hint">Optional. Without it, mail arrives only when your provider forwards it to the channel’s inbound URL.</p>
            )}
          </section>

          <div className="wa-savebar">
            {anyPlaced || unplaced.length > 0 ? (
              errors.formError ? (
                <div className="form-error wa-summary" role="alert">
                  <strong>{save.error instanceof ApiError ? save.error.message : 'Some settings need a fix'}</strong>
                  {anyPlaced && ' — they are marked above.'}
                  {unplaced.length > 0 && (
                    <ul>
                      {unplaced.map(([key, messages]) => (
                        <li key={key}>
                          <code>{key}</code>: {(messages as string[]).join(', ')}
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              ) : null
            ) : (
              <FormError error={errors.formError} />
            )}
            <div className="wa-savebar-row">
              <span className="hint" role="status">
                {save.isPending ? 'Saving…' : saved && !dirty ? 'All changes saved.' : channel && dirty ? 'Unsaved changes' : ''}
              </span>
              <button type="submit" className="btn btn-primary" disabled={save.isPending || (channel !== null && !dirty)}>
                {channel ? 'Save changes' : 'Create email channel'}
              </button>
            </div>
          </div>
        </form>
      </div>
    </div>
  );
}

/** One mail server's fields; the password is write-only, shown only as set or not. */
function ServerFields({
  kind,
  server,
  stored,
  problem,
  onChange,
}: {
  kind: 'smtp' | 'imap';
  server: ServerDraft;
  stored: ServerDraft;
  problem: (field: string) => string | undefined;
  onChange: (edit: (s: ServerDraft) => ServerDraft, field: string) => void;
}) {
  const id = (f: string) => `em-${kind}-${f}`;
  const p = (f: string) => problem(`${kind}.${f}`);
  const again = passwordNeededAgain(server, stored);
  const passwordHint = again
    ? 'Enter the password again: the host or user changed.'
    : server.passwordSet
      ? 'A password is set. Leave empty to keep the current password.'
      : 'No password set.';
  return (
    <div className="wa-grid em-server">
      <Field id={id('host')} label="Host" problem={p('host')} className="em-host">
        <input
          {...describe(id('host'), p('host'))}
          value={server.host}
          placeholder={kind === 'smtp' ? 'smtp.shop.example' : 'imap.shop.example'}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => onChange((s) => ({ ...s, host: e.target.value }), 'host')}
        />
      </Field>
      <Field id={id('port')} label="Port" problem={p('port')} className="em-port">
        <input {...describe(id('port'), p('port'))} inputMode="numeric" value={server.port} onChange={(e) => onChange((s) => ({ ...s, port: e.target.value }), 'port')} />
      </Field>
      <div className="wa-field em-secure">
        <label className="check">
          <input type="checkbox" checked={server.secure} onChange={(e) => onChange((s) => withSecure(s, e.target.checked, kind), 'secure')} />
          TLS from the start
        </label>
        <span className="hint">{kind === 'smtp' ? 'Usually port 465; off: STARTTLS on 587' : 'Usually port 993; off: STARTTLS on 143'}</span>
      </div>
      <Field id={id('user')} label="User" problem={p('user')} hint={kind === 'smtp' ? 'Empty: no login (a relay that trusts this server)' : undefined} className="em-user">
        <input
          {...describe(id('user'), p('user'), kind === 'smtp')}
          value={server.user}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => onChange((s) => ({ ...s, user: e.target.value }), 'user')}
        />
      </Field>
      <Field id={id('password')} label="Password" problem={p('password')} hint={passwordHint} className="em-pass">
        <input
          {...describe(id('password'), p('password'), true)}
          type="password"
          autoComplete="new-password"
          value={server.password}
          placeholder={server.passwordSet ? 'Leave empty to keep the current password' : ''}
          onChange={(e) => onChange((s) => ({ ...s, password: e.target.value }), 'password')}
        />
      </Field>
    </div>
  );
}
