import { Link } from 'react-router';
import { contactLabel, shortTime } from '../ui/format';
import { ErrorState, Loading } from '../ui/States';
import { useContact, useContactConversations } from './queries';

/** Who the contact is: profile, metadata, and their other conversations. */
export function ContactPanel({ contactId, conversationId }: { contactId: number; conversationId: string }) {
  const contact = useContact(contactId);
  const others = useContactConversations(contactId);
  if (contact.isPending) return <Loading label="Loading contact…" />;
  if (contact.isError) return <ErrorState error={contact.error} retry={() => void contact.refetch()} />;
  const p = contact.data;
  const fullName = [p.first_name, p.last_name].filter(Boolean).join(' ');
  const metadata = Object.entries(p.metadata ?? {});
  const rest = (others.data ?? []).filter((c) => c.id !== conversationId);
  return (
    <section className="details-section contact" aria-labelledby="contact-title">
      <h2 id="contact-title">Contact</h2>
      <div className="contact-card">
        {p.avatar_url ? <img src={p.avatar_url} alt="" className="avatar" /> : <span className="avatar" aria-hidden="true">{contactLabel(p, p.id).slice(0, 1).toUpperCase()}</span>}
        <div>
          <strong>{contactLabel(p, p.id)}</strong>{' '}
          {p.guest && <span className="badge">guest</span>}
          {p.email && <div className="muted">{p.email}</div>}
          {p.claimed_email && p.claimed_email !== p.email && (
            <div className="claimed">
              <span className="muted">{p.claimed_email}</span>{' '}
              <span className="badge badge-unverified" title="Typed by the visitor in the chat; nobody has checked that it is theirs">
                unverified
              </span>
            </div>
          )}
        </div>
      </div>
      <dl className="facts">
        {fullName && fullName !== p.name && (
          <>
            <dt>Full name</dt>
            <dd>{fullName}</dd>
          </>
        )}
        {p.phone && (
          <>
            <dt>Phone</dt>
            <dd>{p.phone}</dd>
          </>
        )}
        {p.organization_name && (
          <>
            <dt>Organisation</dt>
            <dd>{p.organization_name}</dd>
          </>
        )}
        {p.external_id && (
          <>
            <dt>External id</dt>
            <dd>{p.external_id}</dd>
          </>
        )}
        <dt>Since</dt>
        <dd>{new Date(p.created_at).toLocaleDateString()}</dd>
      </dl>
      <h3>Metadata</h3>
      {metadata.length === 0 ? (
        <p className="muted">None</p>
      ) : (
        <dl className="facts metadata">
          {metadata.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
            </div>
          ))}
        </dl>
      )}
      <h3>Other conversations</h3>
      {others.isPending ? (
        <Loading />
      ) : rest.length === 0 ? (
        <p className="muted">None</p>
      ) : (
        <ul className="other-conversations">
          {rest.map((c) => (
            <li key={c.id}>
              <Link to={`/inbox/${c.id}`}>
                {c.title ?? `Conversation of ${shortTime(c.created_at)}`} <span className="muted">· {c.status}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
