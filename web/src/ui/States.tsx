import { useState, type ReactNode } from 'react';
import { ApiError, describeError, fieldMessage } from '../api/errors';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

/** A refusal of what was asked (a bad filter, a search too long): asking again the same way cannot help. */
const isRefusal = (error: unknown) => error instanceof ApiError && error.status >= 400 && error.status < 500 && ![401, 408, 429].includes(error.status);

export function ErrorState({ error, retry, title }: { error: unknown; retry?: () => void; title?: string }) {
  const refused = isRefusal(error);
  return (
    <div className="state state-error" role="alert">
      <strong>{title ?? (refused ? 'This cannot be shown as asked' : 'Something went wrong')}</strong>
      <p>{describeError(error)}</p>
      {retry && !refused && (
        <button type="button" className="btn" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <strong>{title}</strong>
      {children && <div>{children}</div>}
    </div>
  );
}

export function Forbidden() {
  return (
    <div className="state state-error" role="alert">
      <strong>403 — admins only</strong>
      <p>This page is for workspace admins. Ask an admin if you need access.</p>
    </div>
  );
}

/** An inline error under a form, announced to screen readers. */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="form-error" role="alert">
      {describeError(error)}
    </p>
  );
}

/** A field's own error, under it; `id` lets the input point at it with aria-describedby. */
export function FieldError({ id, message }: { id?: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <span className="form-error field-error" id={id} role="alert">
      {message}
    </span>
  );
}

interface Edits {
  error: unknown;
  fields: string[];
  form: boolean;
}

/**
 * A form's errors that go away as the person fixes them: a field's error as soon as that field
 * is edited, the form-level one as soon as anything in the form changes. A new error (the next
 * submit) shows in full again. `place` puts a refusal at fields in the form's own words (a taken
 * name, a conflict); fields it does not place show the server's details.
 */
export function useFormErrors(error: unknown, place?: (error: unknown) => Partial<Record<string, string>> | null) {
  const [edits, setEdits] = useState<Edits>({ error, fields: [], form: false });
  const current: Edits = edits.error === error ? edits : { error, fields: [], form: false };
  const hidden = (field: string) => current.fields.some((f) => field === f || field.startsWith(`${f}.`) || f.startsWith(`${field}.`));
  return {
    /** The form-level error, until the form changes; its field details are shown at the fields. */
    formError: current.form ? null : error instanceof ApiError ? new ApiError(error.status, error.code, error.message) : error,
    /** The error of one field (and the fields below it), until it is edited. */
    field: (name: string) => (hidden(name) ? undefined : (place?.(error)?.[name] ?? fieldMessage(error, name))),
    /** Call from a field's onChange (with no name for a change to the form as a whole). */
    edited: (name?: string) =>
      setEdits((prev) => {
        const base = prev.error === error ? prev : { error, fields: [], form: false };
        if (base.form && (name === undefined || base.fields.includes(name))) return base;
        return { error, form: true, fields: name === undefined ? base.fields : [...base.fields, name] };
      }),
  };
}
