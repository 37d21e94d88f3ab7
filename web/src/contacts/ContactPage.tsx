import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../api/errors';
import { isAdmin, useMe } from '../auth/session';
import { Empty, ErrorState, FormError, Loading } from '../ui/States';
import { ContactConversations } from './ContactConversations';
import { ContactForm } from './ContactForm';
import { contactLabel, useContact, useDeleteContact } from './queries';
import './contacts.css';

/** One contact: their details and metadata to edit, their conversations, and (admins) deletion. */
export function ContactPage() {
  const id = Number(useParams().id);
  const me = useMe().data;
  const navigate = useNavigate();
  const contact = useContact(id);
  const remove = useDeleteContact(id);
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
  const confirmDelete = () => {
    if (!window.confirm(`Delete ${label} and all of their conversations and messages? This cannot be undone.`)) return;
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
          {isAdmin(me) && (
            <section className="card danger-zone" aria-labelledby="delete-contact-title">
              <h2 id="delete-contact-title">Delete contact</h2>
              <p className="muted">Deletes the contact with all of their conversations and messages.</p>
              <FormError error={remove.error} />
              <button type="button" className="btn btn-danger" disabled={remove.isPending} onClick={confirmDelete}>
                Delete contact
              </button>
            </section>
          )}
        </div>
      </div>
    </div>
  );
}
