import { useState, type FormEvent } from 'react';
import type { SavedView } from '../api/types';
import { FormError } from '../ui/States';
import { Dialog } from './Dialog';

const NAME_MAX = 60;

/** Names a new view of the current filters (for me, or for the team), or renames one. */
export function SaveViewDialog({
  view,
  onClose,
  onCreate,
  onRename,
}: {
  view: SavedView | undefined;
  onClose: () => void;
  onCreate: (name: string, scope: SavedView['scope']) => Promise<void>;
  onRename: (id: string, name: string) => Promise<void>;
}) {
  const [name, setName] = useState(view?.name ?? '');
  const [scope, setScope] = useState<SavedView['scope']>('personal');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setProblem('Give the view a name.');
    setBusy(true);
    try {
      if (view) await onRename(view.id, trimmed);
      else await onCreate(trimmed, scope);
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={view ? 'Rename the view' : 'Save this view'} onClose={onClose}>
      <form className="dialog-form" onSubmit={(e) => void submit(e)} noValidate>
        {!view && <p className="muted">The view keeps the filters and search you have now.</p>}
        <label>
          Name
          <input
            autoFocus
            value={name}
            maxLength={NAME_MAX}
            onChange={(e) => {
              setName(e.target.value);
              setProblem(null);
              setError(null);
            }}
          />
        </label>
        {problem && (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}
        {!view && (
          <fieldset className="scope-choice">
            <legend>Who sees it</legend>
            <label>
              <input type="radio" name="scope" value="personal" checked={scope === 'personal'} onChange={() => setScope('personal')} /> Only me
            </label>
            <label>
              <input type="radio" name="scope" value="shared" checked={scope === 'shared'} onChange={() => setScope('shared')} /> The whole team
            </label>
          </fieldset>
        )}
        <FormError error={error} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {view ? 'Rename' : 'Save view'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
