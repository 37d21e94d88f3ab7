import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { useWorkspace } from '../app/TeamStatus';
import { ErrorState, FieldError, FormError, Loading, useFormErrors } from '../ui/States';
import { BusinessHoursSection } from './BusinessHoursSection';
import { StatesSection } from './StatesSection';
import { RetentionSection } from './RetentionSection';

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
  const errors = useFormErrors(save.error);
  // An edit takes that field's error away, and a "Saved." until it is saved again.
  const setField = <K extends keyof typeof form>(field: K, value: (typeof form)[K]) => {
    if (save.isSuccess) save.reset();
    errors.edited(field);
    setFormState((f) => ({ ...f, [field]: value }));
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
            <input
              value={form.name}
              required
              maxLength={200}
              aria-describedby="workspace-name-error"
              onChange={(e) => setField('name', e.target.value)}
            />
            <FieldError id="workspace-name-error" message={errors.field('name')} />
          </label>
          <label>
            Time zone <span className="hint">(IANA name, e.g. Europe/Paris)</span>
            <input
              name="timezone"
              value={form.timezone}
              required
              aria-describedby="workspace-timezone-error"
              onChange={(e) => setField('timezone', e.target.value)}
            />
            <FieldError id="workspace-timezone-error" message={errors.field('timezone')} />
          </label>
          <label>
            End idle conversations after (minutes; 0 = never)
            <input
              type="number"
              min={0}
              max={525600}
              value={form.idle_end_minutes}
              aria-describedby="workspace-idle-error"
              onChange={(e) => setField('idle_end_minutes', Number(e.target.value))}
            />
            <FieldError id="workspace-idle-error" message={errors.field('idle_end_minutes')} />
          </label>
          <label className="switch">
            <input
              type="checkbox"
              role="switch"
              checked={form.operator_reply_takes_over}
              onChange={(e) => setField('operator_reply_takes_over', e.target.checked)}
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
          <FormError error={errors.formError} />
          {save.isSuccess && <p className="notice" role="status">Saved.</p>}
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>
            Save settings
          </button>
        </form>
      )}
      {workspace.data && <BusinessHoursSection workspace={workspace.data} />}
      <StatesSection />
      {workspace.data && <RetentionSection workspace={workspace.data} />}
    </>
  );
}
