import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { Workspace } from '../api/types';
import { FieldError, FormError, useFormErrors } from '../ui/States';

type Retention = Workspace['retention'];
type Kind = keyof Retention;

/** The longest period the server accepts (a hundred years). */
const MAX_DAYS = 36_500;

const KINDS: Array<[Kind, string, string]> = [
  ['ended_conversations_days', 'Ended conversations', 'Counted from when the conversation ended; its messages, files and events go with it.'],
  ['events_days', 'Events', 'The event log (webhooks, the API’s event feed). An event a webhook still has to send is kept.'],
  ['webhook_deliveries_days', 'Webhook deliveries', 'Delivered or failed deliveries shown in each webhook’s log.'],
  ['automation_runs_days', 'Automation runs', 'The record of what each automation did.'],
  ['audit_log_days', 'Audit log', 'Who changed what. Kept a year unless changed.'],
];

/** Each period as the inputs hold it: '' keeps that data forever. */
type Draft = Record<Kind, string>;
const draftOf = (r: Retention): Draft => Object.fromEntries(KINDS.map(([k]) => [k, r[k] === null ? '' : String(r[k])])) as Draft;

/**
 * How long the workspace keeps its data: a background task deletes what is older, in small
 * batches, once an hour. Empty keeps that kind of data forever.
 */
export function RetentionSection({ workspace }: { workspace: Workspace }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(workspace.retention));
  // Start again from what is stored whenever it changes (a save here or elsewhere).
  const stored = workspace.updated_at;
  useEffect(() => setDraft(draftOf(workspace.retention)), [stored]);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/settings/workspace', {
          body: { retention: Object.fromEntries(KINDS.map(([k]) => [k, draft[k].trim() === '' ? null : Number(draft[k])])) as Retention },
        }),
      ),
    onSuccess: (body) => client.setQueryData(['workspace'], body.data),
  });
  const errors = useFormErrors(save.error);
  const edit = (kind: Kind, value: string) => {
    if (save.isSuccess) save.reset();
    errors.edited(`retention.${kind}`);
    setDraft((d) => ({ ...d, [kind]: value }));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="retention-title">
      <h2 id="retention-title">Data retention</h2>
      <p className="muted">
        Data older than these periods is deleted for good, about once an hour. Leave a period empty to keep that data forever.
        Expired sign-in sessions and invitations are deleted without a setting.
      </p>
      {KINDS.map(([kind, label, hint]) => (
        <label key={kind}>
          {label} <span className="hint">(days; empty = forever)</span>
          <input
            name={kind}
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_DAYS}
            step={1}
            placeholder="Forever"
            value={draft[kind]}
            aria-describedby={`retention-${kind}-hint retention-${kind}-error`}
            onChange={(e) => edit(kind, e.target.value)}
          />
          <span id={`retention-${kind}-hint`} className="hint">
            {hint}
          </span>
          <FieldError id={`retention-${kind}-error`} message={errors.field(`retention.${kind}`)} />
        </label>
      ))}
      <FormError error={errors.formError} />
      {save.isSuccess && (
        <p className="notice" role="status">
          Saved.
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={save.isPending}>
        Save retention
      </button>
    </form>
  );
}
