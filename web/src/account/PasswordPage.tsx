import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { FieldError, FormError, useFormErrors } from '../ui/States';

export function PasswordPage() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/settings/password', { body: { current_password: current, new_password: next } })),
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setConfirm('');
    },
  });
  const errors = useFormErrors(change.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setMismatch(next !== confirm);
    if (next === confirm) change.mutate();
  };
  return (
    <div className="page narrow">
      <h1>Change password</h1>
      <form className="card form" onSubmit={submit} aria-label="Change password">
        <label>
          Current password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={current}
            aria-describedby="current-password-error"
            onChange={(e) => {
              errors.edited('current_password');
              setCurrent(e.target.value);
            }}
          />
          <FieldError id="current-password-error" message={errors.field('current_password')} />
        </label>
        <label>
          New password <span className="hint">(at least 8 characters)</span>
          <input
            type="password"
            autoComplete="new-password"
            minLength={8}
            required
            value={next}
            aria-describedby="new-password-error"
            onChange={(e) => {
              errors.edited('new_password');
              setMismatch(false);
              setNext(e.target.value);
            }}
          />
          <FieldError id="new-password-error" message={errors.field('new_password')} />
        </label>
        <label>
          Repeat the new password
          <input
            type="password"
            autoComplete="new-password"
            minLength={8}
            required
            value={confirm}
            aria-describedby="confirm-password-error"
            onChange={(e) => {
              errors.edited();
              setMismatch(false);
              setConfirm(e.target.value);
            }}
          />
          <FieldError id="confirm-password-error" message={mismatch ? 'The two new passwords differ.' : undefined} />
        </label>
        <FormError error={errors.formError} />
        {change.isSuccess && (
          <p className="notice" role="status">
            Password changed. Your other sessions were signed out.
          </p>
        )}
        <button type="submit" className="btn btn-primary" disabled={change.isPending}>
          Change password
        </button>
      </form>
    </div>
  );
}
