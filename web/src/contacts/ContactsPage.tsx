import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { ErrorState, Loading } from '../ui/States';
import { contactLabel, MAX_SEARCH, useContactSearch } from './queries';
import './contacts.css';

const dateOf = (iso: string) => new Date(iso).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

/** Search the workspace's contacts and open one. */
export function ContactsPage() {
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  // Searching as one types, once the typing pauses, rather than on every key.
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text]);
  const tooLong = text.length > MAX_SEARCH;
  const search = useContactSearch(q);
  const contacts = search.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <div className="page contacts-page">
      <h1>Contacts</h1>
      <form className="contacts-search" role="search" onSubmit={(e) => { e.preventDefault(); setQ(text.trim()); }}>
        <label htmlFor="contacts-q" className="sr-only">
          Search contacts
        </label>
        <input
          id="contacts-q"
          type="search"
          placeholder="Search by name, email, phone or organisation"
          value={text}
          maxLength={MAX_SEARCH}
          onChange={(e) => setText(e.target.value)}
          aria-describedby={tooLong ? 'contacts-q-error' : undefined}
        />
      </form>
      {tooLong ? (
        <p className="form-error" id="contacts-q-error" role="alert">
          Searches are limited to {MAX_SEARCH} characters. Shorten it to search.
        </p>
      ) : search.isPending ? (
        <Loading label="Finding contacts…" />
      ) : search.isError ? (
        <ErrorState error={search.error} retry={() => void search.refetch()} />
      ) : contacts.length === 0 ? (
        <p className="muted">{q ? `No contact matches “${q}”.` : 'No contacts yet: they appear as people write in.'}</p>
      ) : (
        <>
          <ul className="contacts-list" aria-label="Contacts">
            {contacts.map((c) => (
              <li key={c.id}>
                <Link to={`/contacts/${c.id}`} className="contact-row">
                  <span className="contact-name">{contactLabel(c)}</span>
                  <span className="contact-field">{c.email ?? c.claimed_email ?? <span className="muted">no email</span>}</span>
                  <span className="contact-field">{c.phone ?? ''}</span>
                  <span className="contact-field">{c.organization_name ?? ''}</span>
                  <span className="contact-field muted">Added {dateOf(c.created_at)}</span>
                </Link>
              </li>
            ))}
          </ul>
          {search.hasNextPage && (
            <button type="button" className="btn" disabled={search.isFetchingNextPage} onClick={() => void search.fetchNextPage()}>
              {search.isFetchingNextPage ? 'Loading…' : 'Show more'}
            </button>
          )}
        </>
      )}
    </div>
  );
}
