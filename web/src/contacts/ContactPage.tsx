import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../api/errors';
import { isAdmin, useMe } from '../auth/session';
import { Empty, ErrorState, FormError, Loading } from '../ui/States';
import { ContactConversations } from './ContactConversations';
import { ContactForm } from './ContactForm';
import { contactLabel, useContact, useContactConversations, useDeleteContact } from './queries';
import './contacts.css';

/** One contact: their details and metadata to edit, their conversations, their data to export, and (admins) erasure. */
export function ContactPage() {
  const id = Number(useParams().id);
  const me = useMe().data;
  const navigate = useNavigate();
  const contact = useContact(id);
  const remove = useDeleteContact(id);
  const conversations = useContactConversations(id);
  const [withNotes, setWithNotes] = useState(false);
  const back = (
    <Link to="/contacts" className="contact-back">
      ← All contacts
    </Link>
  );

  if (!Number.isSafeInteger(id) || id <= 0 || (contact.error instanceof ApiError && contact.error.status === 404)) {
    return (
      <div className="page">
        {back}
        <Empty title="Contact not found">It may have been deleted.</Empty>
      </div>
    );
  }
  if (contact.isPending) return <Loading />;
  if (contact.isError) return <ErrorState error={contact.error} retry={() => void contact.refetch()} />;

  const c = contact.data;
  const label = contactLabel(c);
  const admin = isAdmin(me);
  const confirmErase = () => {
    if (!window.confirm(erasureWarning(label, conversationCount(conversations.data)))) return;
    remove.mutate(undefined, { onSuccess: () => void navigate('/contacts', { replace: true }) });
  };

  return (
    <div className="page contact-page">
      {back}
      <div className="contact-header">
        <h1>{label}</h1>
        <span className="muted">
          Added {new Date(c.created_at).toLocaleDateString()} · updated {new Date(c.updated_at).toLocaleDateString()}
        </span>
      </div>
      {c.claimed_email && !c.email && <p className="hint">Said in the chat that their email is {c.claimed_email} (not verified).</p>}
      <div className="contact-columns">
        <ContactForm key={c.id} contact={c} />
        <div>
          <ContactConversations contactId={c.id} />
          <section className="card" aria-labelledby="export-contact-title">
            <h2 id="export-contact-title">Their data</h2>
            <p className="muted">
              Everything Parley keeps of {label} in one JSON file: their details, every conversation and message, files (with links), ratings and chat
              sessions{admin ? '; internal notes only if you include them' : ''}.
            </p>
            {admin && (
              <label className="check">
                <input type="checkbox" checked={withNotes} onChange={(e) => setWithNotes(e.target.checked)} /> Include internal notes
              </label>
            )}
            <a className="btn" href={`/api/v1/contacts/${c.id}/export${withNotes ? '?include_notes=true' : ''}`} download>
              Export data
            </a>
          </section>
          {admin && (
            <section className="card danger-zone" aria-labelledby="erase-contact-title">
              <h2 id="erase-contact-title">Erase contact</h2>
              <p className="muted">
                Erases the contact and every copy of their data: conversations, messages, notes and files, and their traces in the event log, webhook logs
                and search.
              </p>
              <FormError error={remove.error} />
              <button type="button" className="btn btn-danger" disabled={remove.isPending} onClick={confirmErase}>
                Erase
              </button>
            </section>
          )}
        </div>
      </div>
    </div>
  );
}

/** How many conversations the contact has, as far as the first page tells ("20 or more" beyond). */
function conversationCount(data: ReturnType<typeof useContactConversations>['data']): string | null {
  const first = data?.pages[0];
  if (!first) return null;
  const n = data.pages.reduce((sum, page) => sum + page.data.length, 0);
  const more = data.pages[data.pages.length - 1].pagination.has_more;
  return more ? `${n} or more conversations` : n === 1 ? '1 conversation' : `${n} conversations`;
}

/** The confirmation names what goes, so nobody erases a person by a slip. */
function erasureWarning(label: string, conversations: string | null): string {
  return [
    `Erase ${label}?`,
    '',
    'This permanently deletes:',
    '• their details (email, name, phone, metadata)',
    `• ${conversations ?? 'all of their conversations'}, with every message, internal note and file`,
    '• their ratings and chat sessions',
    '• every copy in the event log, webhook logs and search',
    '',
    'The audit log keeps that they were erased, without their data. This cannot be undone.',
  ].join('\n');
}
