import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { useWorkspace } from '../app/TeamStatus';
import { ErrorState, FormError, Loading } from '../ui/States';
import { BusinessHoursSection } from './BusinessHoursSection';
import { StatesSection } from './StatesSection';

export function WorkspacePage() {
  const client = useQueryClient();
  const workspace = useWorkspace();
  const [form, setFormState] = useState({ name: '', timezone: '', idle_end_minutes: 0, operator_reply_takes_over: true });
  // Reset from what is stored when it changes, not on every re-read (the top bar's online badge
  // reads the settings each minute, and `online` may flip while this form is being edited).
  const stored = workspace.data?.updated_at;
  useEffect(() => {
    if (workspace.data) {
      const { name, timezone, idle_end_minutes, operator_reply_takes_over } = workspace.data;
      setFormState({ name, timezone, idle_end_minutes, operator_reply_takes_over });
    }
  }, [stored]);
  const save = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/settings/workspace', { body: form })),
    onSuccess: (body) => client.setQueryData(['workspace'], body.data),
  });
  // An edit after saving takes the "Saved." away until it is saved again.
  const setForm = (next: typeof form) => {
    save.reset();
    setFormState(next);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <>
      <h1>Workspace settings</h1>
      {workspace.isPending ? (
        <Loading />
      ) : workspace.isError ? (
        <ErrorState error={workspace.error} retry={() => void workspace.refetch()} />
      ) : (
        <form className="card form" onSubmit={submit} aria-label="Workspace settings">
          <label>
            Name
            <input value={form.name} required maxLength={200} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          </label>
          <label>
            Time zone <span className="hint">(IANA name, e.g. Europe/Paris)</span>
            <input value={form.timezone} required onChange={(e) => setForm({ ...form, timezone: e.target.value })} />
          </label>
          <label>
            End idle conversations after (minutes; 0 = never)
            <input type="number" min={0} max={525600} value={form.idle_end_minutes} onChange={(e) => setForm({ ...form, idle_end_minutes: Number(e.target.value) })} />
          </label>
          <label className="switch">
            <input
              type="checkbox"
              role="switch"
              checked={form.operator_reply_takes_over}
              onChange={(e) => setForm({ ...form, operator_reply_takes_over: e.target.checked })}
            />
            <span className="switch-track" aria-hidden="true" />
            <span>
              An operator’s reply takes the conversation over
              <span className="hint switch-hint">
                {form.operator_reply_takes_over
                  ? 'Replying while the AI answers stops the AI and assigns the conversation to whoever replied, if nobody has it.'
                  : 'Off: the AI keeps answering after an operator’s reply until someone presses “Take over”.'}
              </span>
            </span>
          </label>
          <FormError error={save.error} />
          {save.isSuccess && <p className="notice" role="status">Saved.</p>}
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>
            Save settings
          </button>
        </form>
      )}
      {workspace.data && <BusinessHoursSection workspace={workspace.data} />}
      <StatesSection />
    </>
  );
}
