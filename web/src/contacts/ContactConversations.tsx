import { Link } from 'react-router';
import { ErrorState, Loading } from '../ui/States';
import { useContactConversations } from './queries';

const whenOf = (iso: string) => new Date(iso).toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/** The contact's conversations, each opening in the inbox. */
export function ContactConversations({ contactId }: { contactId: number }) {
  const list = useContactConversations(contactId);
  const items = list.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <section className="card" aria-labelledby="contact-conversations-title">
      <h2 id="contact-conversations-title">Conversations</h2>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <p className="muted">No conversations with this contact.</p>
      ) : (
        <ul className="contact-conversations">
          {items.map((c) => (
            <li key={c.id}>
              <Link to={`/inbox/${c.id}`}>
                <span className="conversation-title">{c.title || c.summary || 'Untitled conversation'}</span>
                <span className="muted">
                  {c.status === 'ended' ? 'Ended' : 'Active'} · last activity {whenOf(c.updated_at)}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {list.hasNextPage && (
        <button type="button" className="btn btn-ghost" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          Show more
        </button>
      )}
    </section>
  );
}
