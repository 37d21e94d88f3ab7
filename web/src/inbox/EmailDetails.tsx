import { useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { ApiError, unwrap } from '../api/errors';
import { ErrorState, Loading } from '../ui/States';

/**
 * The mail behind one message, on demand: its headers and its original text (the stored message
 * has the quoted earlier reply and the signature stripped). Members only; read once per message.
 */
export function EmailDetails({ conversationId, messageId, queued }: { conversationId: string; messageId: number; queued: boolean }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  return (
    <div className="email-details">
      <button type="button" className="link-button email-toggle" aria-expanded={open} aria-controls={open ? panelId : undefined} onClick={() => setOpen((o) => !o)}>
        {open ? 'Hide email' : 'Show email'}
      </button>
      {open && <EmailPanel id={panelId} conversationId={conversationId} messageId={messageId} queued={queued} />}
    </div>
  );
}

function EmailPanel({ id, conversationId, messageId, queued }: { id: string; conversationId: string; messageId: number; queued: boolean }) {
  const email = useQuery({
    // A reply still queued has no mail yet: asked again once it has gone.
    queryKey: ['email', conversationId, messageId, queued],
    queryFn: async () =>
      (
        await unwrap(
          api.GET('/api/v1/conversations/{conversation_id}/messages/{message_id}/email', {
            params: { path: { conversation_id: conversationId, message_id: messageId } },
          }),
        )
      ).data,
    staleTime: Infinity,
    retry: (count, err) => !(err instanceof ApiError && err.status === 404) && count < 2,
  });
  if (email.isPending) {
    return (
      <div id={id} className="email-panel">
        <Loading label="Loading the email…" />
      </div>
    );
  }
  if (email.isError) {
    return (
      <div id={id} className="email-panel">
        {email.error instanceof ApiError && email.error.status === 404 ? (
          <p className="muted">{queued ? 'Not mailed yet: the email is made when the reply leaves the outbox.' : 'No email is stored for this message.'}</p>
        ) : (
          <ErrorState error={email.error} retry={() => void email.refetch()} title="The email could not be loaded" />
        )}
      </div>
    );
  }
  const mail = email.data;
  return (
    <div id={id} className="email-panel" role="region" aria-label="Email headers and original text">
      <dl className="email-headers">
        {mail.headers.map(([name, value], i) => (
          <div key={`${name}-${i}`} className="email-header">
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <details className="email-original" open>
        <summary>{mail.direction === 'in' ? 'Original text, as received' : 'Text as sent'}</summary>
        <pre>{mail.original_text ?? '(no text part)'}</pre>
      </details>
    </div>
  );
}
