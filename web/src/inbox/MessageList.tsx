import { useEffect, useRef } from 'react';
import type { Message } from '../api/types';
import { useReplyDraft } from '../realtime/drafts';
import { fullTime, shortTime } from '../ui/format';
import { ErrorState, Empty, Loading } from '../ui/States';
import { useMessages } from './queries';

const ROLE_LABEL: Record<Message['role'], string> = { user: 'Contact', assistant: 'AI agent', operator: 'Operator', note: 'Internal note' };

function Bubble({ m, contactName }: { m: Message; contactName: string }) {
  const label = m.role === 'user' ? contactName : ROLE_LABEL[m.role];
  return (
    <li className={`msg msg-${m.role}`} data-role={m.role}>
      <div className="msg-meta">
        <span className="msg-author">{label}</span>
        {m.role === 'note' && <span className="sr-only"> (not visible to the contact)</span>}
        <time dateTime={m.created_at} title={fullTime(m.created_at)}>
          {shortTime(m.created_at)}
        </time>
        {m.modality === 'voice' && <span className="badge">voice</span>}
      </div>
      <div className="msg-body">
        {m.status === 'failed' ? <em>The AI could not answer{m.error ? `: ${m.error}` : ''}.</em> : m.status === 'pending' ? <em>Waiting for the AI…</em> : m.content}
      </div>
      {m.feedback && (
        <div className={`feedback feedback-${m.feedback.rating}`}>
          {m.feedback.rating === 'like' ? '▲ Rated helpful' : '▼ Rated not helpful'}
          {m.feedback.comment && <span> — “{m.feedback.comment}”</span>}
        </div>
      )}
    </li>
  );
}

/** The conversation's messages oldest first, with the AI's reply appearing as it is written. */
export function MessageList({ conversationId, contactName }: { conversationId: string; contactName: string }) {
  const messages = useMessages(conversationId);
  const draft = useReplyDraft(conversationId);
  const end = useRef<HTMLDivElement>(null);
  const all = messages.data?.pages.flatMap((p) => p.data) ?? [];
  // The draft stands in for the streaming row until the stored reply replaces it.
  const shown = draft ? all.filter((m) => m.id !== draft.messageId) : all;

  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [all.length, draft?.content]);

  if (messages.isPending) return <Loading label="Loading messages…" />;
  if (messages.isError) return <ErrorState error={messages.error} retry={() => void messages.refetch()} />;
  return (
    <div className="messages" tabIndex={0} aria-label="Messages">
      {shown.length === 0 && !draft ? (
        <Empty title="No messages yet" />
      ) : (
        <ol className="message-list">
          {shown.map((m) => (
            <Bubble key={m.id} m={m} contactName={contactName} />
          ))}
          {draft && (
            <li className="msg msg-assistant msg-streaming" data-role="assistant" aria-live="polite" aria-busy="true">
              <div className="msg-meta">
                <span className="msg-author">AI agent</span>
                <span className="typing">writing…</span>
              </div>
              <div className="msg-body">{draft.content}</div>
            </li>
          )}
        </ol>
      )}
      <div ref={end} />
    </div>
  );
}
