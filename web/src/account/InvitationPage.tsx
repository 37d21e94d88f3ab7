import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { api, setCsrfToken } from '../api/client';
import { ApiError, fieldMessage, unwrap } from '../api/errors';
import { forgetAvailabilityChoice } from '../presence/availability';
import { FieldError, FormError, Loading } from '../ui/States';
import './invitation.css';

const MIN_PASSWORD = 8;

/** The answer for a link that cannot be used, in the server's own plain words. */
function InvalidLink({ error }: { error: unknown }) {
  const message =
    error instanceof ApiError && (error.status === 404 || error.status === 429 || error.status === 0)
      ? error.message
      : 'This invitation could not be opened. Try again in a moment.';
  return (
    <main className="login" id="main">
      <div className="card login-card" role="alert">
        <h1>Invitation</h1>
        <p>{message}</p>
        <p>
          Ask an admin of your workspace for a new link, or <Link to="/login">sign in</Link> if you already have an account.
        </p>
      </div>
    </main>
  );
}

/**
 * Where an invitation link lands (outside the signed-in app): the person sees the workspace and
 * their email, chooses a name and password, and arrives in the inbox signed in.
 */
export function InvitationPage() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const invitation = useQuery({
    queryKey: ['invitation', token],
    queryFn: async () => (await unwrap(api.GET('/api/v1/invitations/{token}', { params: { path: { token } } }))).data,
    retry: false,
    staleTime: Infinity,
  });
  const [name, setName] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const accept = useMutation({
    mutationFn: (body: { name: string; password: string }) => unwrap(api.POST('/api/v1/invitations/{token}/accept', { params: { path: { token } }, body })),
    onSuccess: (body) => {
      setCsrfToken(body.csrf_token);
      forgetAvailabilityChoice(body.data.member.id);
      // Whoever used this browser before, the new member starts from an empty cache; all but this
      // page's own lookup, which would otherwise ask again for the link just used (a 404).
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'invitation' });
      queryClient.setQueryData(['me'], body.data.member);
      void navigate('/inbox', { replace: true });
    },
  });

  if (invitation.isPending) return <Loading label="Opening your invitation…" />;
  if (invitation.isError) return <InvalidLink error={invitation.error} />;
  // A link used meanwhile (in another tab, by someone else) reads as the same plain message.
  if (accept.error instanceof ApiError && accept.error.status === 404) return <InvalidLink error={accept.error} />;

  const shownName = name ?? invitation.data.name ?? '';
  const tooShort = password.length > 0 && password.length < MIN_PASSWORD;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (password !== confirm) {
      setMismatch(true);
      return;
    }
    accept.mutate({ name: shownName, password });
  };
  const edit = (apply: () => void) => {
    apply();
    setMismatch(false);
    accept.reset();
  };
  const nameError = fieldMessage(accept.error, 'name');
  const passwordError = fieldMessage(accept.error, 'password') ?? (tooShort ? `At least ${MIN_PASSWORD} characters.` : undefined);

  return (
    <main className="login" id="main">
      <form className="card login-card" onSubmit={submit} aria-labelledby="invite-title" noValidate>
        <h1 id="invite-title">Join {invitation.data.workspace.name} on Parley</h1>
        <p className="invitation-for">
          You are invited as <strong>{invitation.data.email}</strong> ({invitation.data.role}). Choose your name and a password to finish.
        </p>
        <label>
          Your name
          <input name="name" autoComplete="name" required maxLength={200} value={shownName} onChange={(e) => edit(() => setName(e.target.value))} aria-describedby="invite-name-error" />
          <FieldError id="invite-name-error" message={nameError} />
        </label>
        <label>
          Password <span className="hint">(at least {MIN_PASSWORD} characters)</span>
          <input
            type="password"
            name="password"
            autoComplete="new-password"
            required
            maxLength={1024}
            value={password}
            onChange={(e) => edit(() => setPassword(e.target.value))}
            aria-describedby="invite-password-error"
          />
          <FieldError id="invite-password-error" message={passwordError} />
        </label>
        <label>
          Confirm password
          <input type="password" name="confirm" autoComplete="new-password" required maxLength={1024} value={confirm} onChange={(e) => edit(() => setConfirm(e.target.value))} aria-describedby="invite-confirm-error" />
          <FieldError id="invite-confirm-error" message={mismatch ? 'The two passwords are not the same.' : undefined} />
        </label>
        {!nameError && !fieldMessage(accept.error, 'password') && <FormError error={accept.error} />}
        <button type="submit" className="btn btn-primary" disabled={accept.isPending || !shownName.trim() || password.length < MIN_PASSWORD || !confirm}>
          {accept.isPending ? 'Creating your account…' : 'Join and sign in'}
        </button>
      </form>
    </main>
  );
}
