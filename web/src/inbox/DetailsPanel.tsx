import { useState, type FormEvent } from 'react';
import type { Conversation, Priority } from '../api/types';
import { useMe } from '../auth/session';
import { FormError } from '../ui/States';
import { ContactPanel } from './ContactPanel';
import { useAssigneeName } from './assignee';
import { useConversationActions, useMemberDirectory, useStates } from './queries';
import { VisitorSection } from './VisitorSection';

const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'urgent'];

/** The conversation's workflow fields (assignee, state, priority, tags) and the contact. */
export function DetailsPanel({ conversation: c, onClose }: { conversation: Conversation; onClose: () => void }) {
  const me = useMe().data;
  const directory = useMemberDirectory();
  const states = useStates().data ?? [];
  const actions = useConversationActions(c.id);
  const [tag, setTag] = useState('');
  const error = actions.assign.error ?? actions.update.error ?? actions.addTag.error ?? actions.removeTag.error;

  const addTag = (e: FormEvent) => {
    e.preventDefault();
    const t = tag.trim();
    if (t) actions.addTag.mutate(t, { onSuccess: () => setTag('') });
  };
  // Everyone picks from the whole team (the directory is open to agents too); you first.
  const people = [...(directory.data ?? [])].sort((a, b) => Number(b.id === me?.id) - Number(a.id === me?.id));
  const assignee = useAssigneeName(c.assignee_id);
  const unknownAssignee = c.assignee_id && !people.some((p) => p.id === c.assignee_id);

  return (
    <aside className="details" aria-label="Details">
      <div className="details-head">
        <h2>Details</h2>
        <button type="button" className="btn btn-ghost details-close" onClick={onClose}>
          Close
        </button>
      </div>
      <section className="details-section">
        <label>
          Assignee
          <select
            value={c.assignee_id ?? ''}
            onChange={(e) => actions.assign.mutate(e.target.value || null)}
            disabled={actions.assign.isPending || directory.isPending}
          >
            <option value="">Unassigned</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.id === me?.id ? `${p.name} (me)` : p.name}
              </option>
            ))}
            {unknownAssignee && <option value={c.assignee_id!}>{assignee?.full}</option>}
          </select>
        </label>

        <label>
          State
          <select value={c.state_id ?? ''} onChange={(e) => actions.update.mutate({ state_id: e.target.value || null })}>
            <option value="">None</option>
            {states.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Priority
          <select value={c.priority} onChange={(e) => actions.update.mutate({ priority: e.target.value as Priority })}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <div>
          <span className="field-label" id="tags-label">
            Tags
          </span>
          <ul className="tags" aria-labelledby="tags-label">
            {c.tags.length === 0 && <li className="muted">No tags</li>}
            {c.tags.map((t) => (
              <li key={t} className="badge badge-tag">
                #{t}
                <button type="button" className="tag-remove" aria-label={`Remove tag ${t}`} onClick={() => actions.removeTag.mutate(t)}>
                  ×
                </button>
              </li>
            ))}
          </ul>
          <form className="inline-form" onSubmit={addTag}>
            <label htmlFor="add-tag" className="sr-only">
              New tag
            </label>
            <input id="add-tag" value={tag} maxLength={50} placeholder="Add a tag" onChange={(e) => setTag(e.target.value)} />
            <button type="submit" className="btn" disabled={!tag.trim()}>
              Add
            </button>
          </form>
        </div>
        <FormError error={error} />
        <dl className="facts">
          <dt>Turns</dt>
          <dd>{c.turn_count}</dd>
          {c.score !== null && (
            <>
              <dt>Score</dt>
              <dd>{c.score} / 5</dd>
            </>
          )}
          {c.summary && (
            <>
              <dt>Summary</dt>
              <dd>{c.summary}</dd>
            </>
          )}
        </dl>
      </section>
      <VisitorSection conversation={c} />
      <ContactPanel contactId={c.contact_id} conversationId={c.id} />
    </aside>
  );
}
