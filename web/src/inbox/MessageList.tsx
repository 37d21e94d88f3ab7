import { Fragment, useEffect, useRef } from 'react';
import type { Conversation, Message } from '../api/types';
import { useMe } from '../auth/session';
import { useReplyDraft } from '../realtime/drafts';
import { useTypers } from '../realtime/typing';
import { fullTime, shortTime } from '../ui/format';
import { ErrorState, Empty, Loading } from '../ui/States';
import { Stars } from '../ui/Stars';
import { byline } from './authors';
import { EmailDetails } from './EmailDetails';
import { DeliveryStatus, MessageAttachments } from './MessageAttachments';
import { HANDED_OVER_BY, handoffNote, type Handoff } from './handoff';
import { useAgents, useMessages } from './queries';
import './messages.css';

/**
 * Where the conversation went to the team, in the flow of messages. While it is active the banner
 * above says why and sums it up, so the marker only places it; once ended it keeps the reason.
 */
function HandoffMarker({ handoff, withReason }: { handoff: Handoff; withReason: boolean }) {
  return (
    <li className="log-marker handoff-marker" data-marker="handoff">
      <span>
        <strong>Handed over by {HANDED_OVER_BY[handoff.source]}</strong> ·{' '}
        <time dateTime={handoff.at} title={fullTime(handoff.at)}>
          {shortTime(handoff.at)}
        </time>
        {withReason && handoff.reason && <span className="marker-reason">{handoff.reason}</span>}
      </span>
    </li>
  );
}

function CsatMarker({ csat }: { csat: NonNullable<Conversation['csat']> }) {
  return (
    <li className="log-marker csat-marker" data-marker="csat">
      <span>
        Rated <Stars rating={csat.rating} />
        {csat.comment && <q className="csat-comment">{csat.comment}</q>} ·{' '}
        <time dateTime={csat.at} title={fullTime(csat.at)}>
          {shortTime(csat.at)}
        </time>
      </span>
    </li>
  );
}

function Bubble({ m, contactName, meId, seen, email }: { m: Message; contactName: string; meId: string | undefined; seen: boolean; email: boolean }) {
  const by = byline(m, meId, contactName);
  // A file sent alone has no text to show.
  const text = m.status === 'failed' || m.status === 'pending' || m.content.trim() !== '' || m.attachments.length === 0;
  return (
    <li className={`msg msg-${m.role}${by.own ? ' msg-own' : ''}`} data-role={m.role} data-author={m.author.type}>
      <div className="msg-meta">
        <span className="msg-author" title={by.own && m.author.name ? m.author.name : undefined}>
          {by.name}
        </span>
        {by.tag && <span className={`badge badge-author badge-author-${m.author.type}`}>{by.tag}</span>}
        {m.role === 'note' && (
          <span className="badge badge-note">
            Internal note<span className="sr-only"> (not visible to the contact)</span>
          </span>
        )}
        <time dateTime={m.created_at} title={fullTime(m.created_at)}>
          {shortTime(m.created_at)}
        </time>
        {m.modality === 'voice' && <span className="badge">voice</span>}
      </div>
      {text && (
        <div className="msg-body">
          {m.status === 'failed' ? <em>The AI could not answer{m.error ? `: ${m.error}` : ''}.</em> : m.status === 'pending' ? <em>Waiting for the AI…</em> : m.content}
        </div>
      )}
      <MessageAttachments items={m.attachments} />
      {m.feedback && (
        <div className={`feedback feedback-${m.feedback.rating}`}>
          {m.feedback.rating === 'like' ? '▲ Rated helpful' : '▼ Rated not helpful'}
          {m.feedback.comment && <span> — “{m.feedback.comment}”</span>}
        </div>
      )}
      {seen && (
        <div className="seen" aria-label="Seen by the contact">
          Seen
        </div>
      )}
      {(m.delivery || email) && (
        <div className="msg-foot">
          <DeliveryStatus delivery={m.delivery} />
          {email && <EmailDetails conversationId={m.conversation_id} messageId={m.id} queued={m.delivery?.status === 'queued'} />}
        </div>
      )}
    </li>
  );
}

/**
 * The conversation's messages oldest first, with the AI's reply appearing as it is written, where
 * the conversation was handed to the team, "Seen" once the contact has read the team's last
 * message, who is typing, and the contact's rating once it ended.
 */
export function MessageList({ conversation: c, contactName, email = false }: { conversation: Conversation; contactName: string; email?: boolean }) {
  const messages = useMessages(c.id);
  const draft = useReplyDraft(c.id);
  const me = useMe().data;
  const agent = useAgents().data?.find((a) => a.id === c.agent_id);
  // Colleagues writing a reply are shown above the composer, with who is viewing (PresenceBar).
  const typers = useTypers(c.id).filter((t) => t.type === 'contact');
  const end = useRef<HTMLDivElement>(null);
  const all = messages.data?.pages.flatMap((p) => p.data) ?? [];
  // The draft stands in for the streaming row until the stored reply replaces it. While the
  // conversation is handed over and active, its summary note is read in the banner above.
  const bannerNote = c.handoff && c.status === 'active' ? handoffNote(all)?.id : undefined;
  const shown = all.filter((m) => m.id !== draft?.messageId && m.id !== bannerNote);

  // The handoff sits after the messages written before it.
  const handoffAt = c.handoff ? Date.parse(c.handoff.at) : null;
  const handoffBefore = handoffAt === null ? -1 : shown.findIndex((m) => Date.parse(m.created_at) > handoffAt + 1);
  const lastReply = shown.findLast((m) => (m.role === 'operator' || m.role === 'assistant') && m.status !== 'failed' && m.status !== 'pending');
  const seenId = lastReply && c.contact_read_message_id !== null && c.contact_read_message_id >= lastReply.id ? lastReply.id : null;
  const typingText = typers.length > 0 ? 'Visitor' : '';

  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [all.length, draft?.content, typers.length, Boolean(c.csat)]);

  if (messages.isPending) return <Loading label="Loading messages…" />;
  if (messages.isError) return <ErrorState error={messages.error} retry={() => void messages.refetch()} />;
  return (
    <div className="messages" tabIndex={0} aria-label="Messages">
      {shown.length === 0 && !draft && !c.handoff ? (
        <Empty title="No messages yet" />
      ) : (
        <ol className="message-list">
          {shown.map((m, i) => (
            <Fragment key={m.id}>
              {c.handoff && i === handoffBefore && <HandoffMarker handoff={c.handoff} withReason={c.status === 'ended'} />}
              <Bubble m={m} contactName={contactName} meId={me?.id} seen={m.id === seenId} email={email && m.role !== 'note' && m.status !== 'pending' && m.status !== 'failed'} />
            </Fragment>
          ))}
          {c.handoff && handoffBefore === -1 && <HandoffMarker handoff={c.handoff} withReason={c.status === 'ended'} />}
          {draft && (
            <li className="msg msg-assistant msg-streaming" data-role="assistant" data-author="agent" aria-live="polite" aria-busy="true">
              <div className="msg-meta">
                <span className="msg-author">{agent?.name ?? 'AI agent'}</span>
                <span className="badge badge-author badge-author-agent">AI</span>
                <span className="typing">writing…</span>
              </div>
              <div className="msg-body">{draft.content}</div>
            </li>
          )}
          {c.csat && <CsatMarker csat={c.csat} />}
        </ol>
      )}
      <div className="typing-row" aria-live="polite">
        {typers.length > 0 && (
          <>
            <span className="typing-dots" aria-hidden="true">
              <i />
              <i />
              <i />
            </span>
            {typingText} {typers.length > 1 ? 'are' : 'is'} typing…
          </>
        )}
      </div>
      <div ref={end} />
    </div>
  );
}
