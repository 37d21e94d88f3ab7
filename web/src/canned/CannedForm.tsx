import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/errors';
import { FormError } from '../ui/States';
import { useCannedMutations, type CannedResponse, type CannedScope } from './queries';
import { VARIABLES } from './variables';

/** The server's words for one field, shown beside it. */
function fieldError(error: unknown, field: string): string | null {
  if (!(error instanceof ApiError)) return null;
  const messages = error.details[field];
  return Array.isArray(messages) && typeof messages[0] === 'string' ? messages[0] : null;
}

/** Creates a canned response, or edits one (its scope stays what it was). */
export function CannedForm({ response, canShare, onDone }: { response: CannedResponse | null; canShare: boolean; onDone: () => void }) {
  const { create, update } = useCannedMutations();
  const [shortcut, setShortcut] = useState(response?.shortcut ?? '');
  const [title, setTitle] = useState(response?.title ?? '');
  const [content, setContent] = useState(response?.content ?? '');
  const [scope, setScope] = useState<CannedScope>(response?.scope ?? 'personal');
  const saving = response ? update : create;
  const error = saving.error;
  const errors = { shortcut: fieldError(error, 'shortcut'), title: fieldError(error, 'title'), content: fieldError(error, 'content') };
  const anyField = Object.values(errors).some(Boolean);
  // The message is about the text as it was sent: typing makes it go.
  const edited = () => saving.error && saving.reset();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (response) update.mutate({ id: response.id, shortcut, title, content }, { onSuccess: onDone });
    else create.mutate({ shortcut, title, content, scope }, { onSuccess: onDone });
  };

  return (
    <form className="card canned-form" onSubmit={submit} aria-label={response ? `Edit /${response.shortcut}` : 'New canned response'}>
      <h2>{response ? `Edit /${response.shortcut}` : 'New canned response'}</h2>
      <div className="canned-form-row">
        <label className="canned-field">
          Shortcut
          <span className="canned-shortcut-input">
            <span aria-hidden="true">/</span>
            <input name="shortcut" required maxLength={40} value={shortcut} placeholder="refund-policy" autoFocus aria-invalid={Boolean(errors.shortcut)} onChange={(e) => (setShortcut(e.target.value), edited())} />
          </span>
          {errors.shortcut && <span className="field-error">{errors.shortcut}</span>}
        </label>
        <label className="canned-field canned-field-wide">
          Title <span className="hint">(optional)</span>
          <input name="title" maxLength={120} value={title} placeholder="Refund policy" aria-invalid={Boolean(errors.title)} onChange={(e) => (setTitle(e.target.value), edited())} />
          {errors.title && <span className="field-error">{errors.title}</span>}
        </label>
      </div>
      <label className="canned-field">
        Text
        <textarea name="content" rows={5} required value={content} aria-invalid={Boolean(errors.content)} onChange={(e) => (setContent(e.target.value), edited())} />
        {errors.content && <span className="field-error">{errors.content}</span>}
        <span className="hint">
          Filled in when inserted: {VARIABLES.map((v) => `{{${v}}}`).join(', ')}. Shown as typed until then; edit it before sending.
        </span>
      </label>
      {!response && (
        <fieldset className="canned-scope">
          <legend>Who can use it</legend>
          <label>
            <input type="radio" name="scope" checked={scope === 'personal'} onChange={() => setScope('personal')} /> Only me
          </label>
          <label title={canShare ? undefined : 'Only admins add responses for the whole workspace'}>
            <input type="radio" name="scope" disabled={!canShare} checked={scope === 'workspace'} onChange={() => setScope('workspace')} /> Everyone in the workspace
            {!canShare && <span className="hint"> (admins only)</span>}
          </label>
        </fieldset>
      )}
      {!anyField && <FormError error={error} />}
      <div className="canned-form-actions">
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={saving.isPending}>
          {saving.isPending ? 'Saving…' : response ? 'Save changes' : 'Add response'}
        </button>
      </div>
    </form>
  );
}
