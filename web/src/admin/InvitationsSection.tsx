import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { paths } from '../api/schema';
import { ErrorState, FormError, Loading } from '../ui/States';

type Role = 'admin' | 'agent';
type CreatedInvitation = paths['/api/v1/members/invitations']['post']['responses'][201]['content']['application/json']['data'];

const INVITATIONS = ['members', 'invitations'] as const;

function usePendingInvitations() {
  return useQuery({
    queryKey: INVITATIONS,
    queryFn: async () => (await unwrap(api.GET('/api/v1/members/invitations', { params: { query: { limit: 100 } } }))).data,
  });
}

const dateOf = (iso: string) => new Date(iso).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });

/** The link of a just-created invitation, shown once with a Copy button: the server never shows it again. */
function CreatedLink({ created, onDone }: { created: CreatedInvitation; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.url);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div className="card invite-created" role="status" aria-label="Invitation link">
      <p>
        Send this link to <strong>{created.email}</strong>. It works once, until {dateOf(created.expires_at)}, and is not shown again.
      </p>
      <div className="invite-link">
        <input readOnly value={created.url} aria-label="Invitation link" onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="btn btn-primary" onClick={() => void copy()}>
          {copied === 'yes' ? 'Copied' : 'Copy link'}
        </button>
      </div>
      {copied === 'failed' && <p className="hint">The browser did not allow copying: select the link and copy it by hand.</p>}
      <button type="button" className="btn btn-ghost" onClick={onDone}>
        Done
      </button>
    </div>
  );
}

/** Invite a member by a link they sign up with, and the invitations still waiting to be used. */
export function InvitationsSection() {
  const client = useQueryClient();
  const pending = usePendingInvitations();
  const [form, setForm] = useState({ email: '', name: '', role: 'agent' as Role });
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const invite = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/members/invitations', { body: { email: form.email, name: form.name.trim() || null, role: form.role } })),
    onSuccess: (body) => {
      setCreated(body.data);
      setForm({ email: '', name: '', role: 'agent' });
      void client.invalidateQueries({ queryKey: INVITATIONS });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/members/invitations/{id}', { params: { path: { id } } })),
    onSettled: () => void client.invalidateQueries({ queryKey: INVITATIONS }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    invite.mutate();
  };
  const change = (patch: Partial<typeof form>) => {
    invite.reset();
    setForm({ ...form, ...patch });
  };

  return (
    <section aria-labelledby="invite-title">
      <form className="card form" onSubmit={submit} aria-labelledby="invite-title">
        <h2 id="invite-title">Invite member</h2>
        <p className="hint">They get a link to choose their own password. Nothing is emailed: copy the link and send it to them.</p>
        <label>
          Email
          <input type="email" value={form.email} required maxLength={320} onChange={(e) => change({ email: e.target.value })} />
        </label>
        <label>
          Name <span className="hint">(optional; they can change it)</span>
          <input value={form.name} maxLength={200} onChange={(e) => change({ name: e.target.value })} />
        </label>
        <label>
          Role
          <select value={form.role} onChange={(e) => change({ role: e.target.value as Role })}>
            <option value="agent">agent — works the inbox</option>
            <option value="admin">admin — also manages the workspace</option>
          </select>
        </label>
        <FormError error={invite.error} />
        <button type="submit" className="btn btn-primary" disabled={invite.isPending}>
          {invite.isPending ? 'Creating link…' : 'Create invitation link'}
        </button>
      </form>
      {created && <CreatedLink created={created} onDone={() => setCreated(null)} />}

      <h2>Pending invitations</h2>
      {pending.isPending ? (
        <Loading />
      ) : pending.isError ? (
        <ErrorState error={pending.error} retry={() => void pending.refetch()} />
      ) : pending.data.length === 0 ? (
        <p className="muted">No invitation is waiting to be used.</p>
      ) : (
        <ul className="card-list invitations-list" aria-label="Pending invitations">
          {pending.data.map((i) => (
            <li key={i.id} className="card invitation-row">
              <span className="invitation-who">
                <strong>{i.name ?? i.email}</strong>
                {i.name && <span className="muted"> {i.email}</span>}
              </span>
              <span className="muted">
                {i.role} · expires {dateOf(i.expires_at)}
              </span>
              <button
                type="button"
                className="btn btn-ghost"
                aria-label={`Revoke the invitation of ${i.email}`}
                disabled={revoke.isPending}
                onClick={() => window.confirm(`Revoke the invitation of ${i.email}? Its link stops working.`) && revoke.mutate(i.id)}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
      <FormError error={revoke.error} />
    </section>
  );
}
