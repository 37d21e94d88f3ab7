import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../api/errors';
import { FormError } from '../ui/States';
import { useLogin, useMe } from './session';

export function LoginPage() {
  const me = useMe();
  const login = useLogin();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const state = location.state as { from?: string; expired?: boolean } | null;
  const from = state?.from ?? '/inbox';

  if (me.data) return <Navigate to={from} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ email, password }, { onSuccess: () => navigate(from, { replace: true }) });
  };
  const error =
    login.error instanceof ApiError && login.error.status === 401
      ? new Error('Wrong email or password.')
      : login.error instanceof ApiError && login.error.status === 429
        ? new Error('Too many attempts. Wait a minute and try again.')
        : login.error;

  return (
    <main className="login" id="main">
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Sign in to Parley</h1>
        {state?.expired && (
          <p className="login-reason" role="status">
            Your session has expired. Sign in again to go back where you were; your unsent drafts are kept.
          </p>
        )}
        <label>
          Email
          <input type="email" name="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Password
          <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <FormError error={error} />
        <button type="submit" className="btn btn-primary" disabled={login.isPending}>
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
