import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useMe } from '../auth/session';
import { contactLabel } from '../ui/format';
import { ErrorState, FormError, Loading } from '../ui/States';
import { useAssigneeName, type AssigneeName } from './assignee';
import { Composer } from './Composer';
import { HandoffBanner } from './HandoffBanner';
import { DetailsPanel } from './DetailsPanel';
import { MessageList } from './MessageList';
import { PresenceBar } from './PresenceBar';
import { useViewingSignal } from './viewing-signal';
import { SnoozeActions } from './SnoozeActions';
import { useChannels, useContact, useConversation, useConversationActions } from './queries';
import { AvailabilityDot } from '../presence/AvailabilityDot';
import { TeamBadge } from './TeamBadge';
import { isQueued } from './teams';
import { EmailChannelLine } from './EmailChannelLine';

/** What "Take over" does, said before it is pressed: the AI stops, and who has the conversation after. */
function takeOverHint(assignee: AssigneeName | null): string {
  if (!assignee) return 'Stop the AI and answer yourself; the conversation is assigned to you.';
  if (assignee.own) return 'Stop the AI and answer yourself; the conversation is already yours.';
  return `Stop the AI and answer yourself; it stays assigned to ${assignee.full}.`;
}

/**
 * Whether the conversation went from the AI to a person while it was open here: by this member's
 * "Take over" or reply, or a colleague's, as the event stream reports. The view is keyed by the
 * conversation, so a conversation opened already in manual mode shows nothing.
 */
function useTakeoverSeen(mode: 'ai' | 'manual' | undefined): [boolean, () => void] {
  const [seen, setSeen] = useState(false);
  const previous = useRef(mode);
  useEffect(() => {
    if (previous.current === 'ai' && mode === 'manual') setSeen(true);
    if (mode === 'ai') setSeen(false);
    previous.current = mode;
  }, [mode]);
  return [seen, () => setSeen(false)];
}

/** One conversation: header with its main actions, the messages, the composer, and the details panel. */
export function ConversationView({ id, backSearch }: { id: string; backSearch: string }) {
  const conversation = useConversation(id);
  const contact = useContact(conversation.data?.contact_id).data;
  const actions = useConversationActions(id);
  const channels = useChannels().data;
  const [showDetails, setShowDetails] = useState(false);
  const assignee = useAssigneeName(conversation.data?.assignee_id ?? null);
  const [tookOver, dismissTakeover] = useTakeoverSeen(conversation.data?.mode);
  useViewingSignal(id, useMe().data?.id);

  if (conversation.isPending) return <Loading label="Loading conversation…" />;
  // A failed re-read (a blip, an expired session) keeps showing what was loaded, and the draft with it.
  if (conversation.isError && !conversation.data) return <ErrorState error={conversation.error} retry={() => void conversation.refetch()} title="This conversation could not be opened" />;
  const c = conversation.data;
  const ended = c.status === 'ended';
  const busy = actions.mode.isPending || actions.end.isPending || actions.handoff.isPending;
  const handOver = () => {
    const reason = window.prompt('Hand this conversation over to a person. Why? (optional; the team sees it with the summary)', '');
    if (reason === null) return;
    actions.handoff.mutate(reason.trim() || undefined);
  };
  const channel = c.channel_id ? channels?.find((ch) => ch.id === c.channel_id) : undefined;
  const handoff = !ended && c.handoff ? c.handoff : null;
  const isEmail = channel?.type === 'email';

  return (
    <div className={`conversation${showDetails ? ' details-open' : ''}`}>
      <div className="conversation-main">
        <header className={`conversation-head${isEmail ? ' conversation-head-email' : ''}`}>
          <Link to={`/inbox${backSearch ? `?${backSearch}` : ''}`} className="btn btn-ghost back-link">
            ← <span>Conversations</span>
          </Link>
          <div className="conversation-title">
            <h1>{contactLabel(contact, c.contact_id)}</h1>
            {/* An email thread is known by its subject, which is the conversation's title. */}
            {isEmail && c.title && (
              <p className="conversation-subject" title="Subject">
                {c.title}
              </p>
            )}
            {isEmail && <EmailChannelLine channelName={channel.name} address={contact?.email ?? null} />}
            <p className="muted">
              {c.title && !isEmail ? `${c.title} · ` : ''}
              <span className={`badge ${ended ? '' : 'badge-active'}`}>{ended ? `Ended${c.end_reason === 'abandoned' ? ' (abandoned)' : ''}` : 'Active'}</span>{' '}
              {/* Nobody answers an ended conversation: its mode says nothing until it is reopened. */}
              {!ended && (
                <span className={`badge ${c.mode === 'manual' ? 'badge-manual' : 'badge-ai'}`}>{c.mode === 'manual' ? 'Human is answering' : 'AI is answering'}</span>
              )}
              {assignee && (
                <>
                  {' '}
                  <span className={`badge badge-assignee${assignee.own ? ' badge-assignee-own' : ''}`}>
                    <span className="initial" aria-hidden="true">
                      {assignee.full.charAt(0).toUpperCase()}
                      {assignee.availability && !assignee.own && <AvailabilityDot availability={assignee.availability} />}
                    </span>
                    {assignee.own ? 'Assigned to you' : `Assigned to ${assignee.full}`}
                    {assignee.availability && !assignee.own && assignee.availability !== 'online' && <span className="muted"> ({assignee.availability})</span>}
                  </span>
                </>
              )}
              {c.team_id && (
                <>
                  {' '}
                  <TeamBadge teamId={c.team_id} queued={isQueued(c)} />
                </>
              )}
              {channel && !isEmail && <span className="via"> · via {channel.name}</span>}
            </p>
          </div>
          <div className="conversation-actions">
            {!ended && c.mode === 'ai' && (
              <button type="button" className="btn" disabled={busy} title="Stop the AI and pass the conversation to the team, with a summary; it is not assigned to you" onClick={handOver}>
                Hand over to a person
              </button>
            )}
            {!ended &&
              (c.mode === 'ai' ? (
                <button
                  type="button"
                  className="btn btn-primary"
                  disabled={busy}
                  title={takeOverHint(assignee)}
                  aria-describedby="take-over-hint"
                  data-shortcut="t"
                  onClick={() => actions.mode.mutate('manual')}
                >
                  Take over
                </button>
              ) : (
                <button type="button" className="btn" disabled={busy} onClick={() => actions.mode.mutate('ai')}>
                  Hand back to AI
                </button>
              ))}
            <a className="btn" href={`/api/v1/conversations/${id}/transcript?format=text`} download>
              Transcript
            </a>
            <SnoozeActions conversation={c} />
            {!ended && (
              <button
                type="button"
                className="btn btn-danger"
                disabled={busy}
                data-shortcut="e"
                onClick={() => window.confirm('End this conversation? The contact cannot write in it any more.') && actions.end.mutate(undefined)}
              >
                End
              </button>
            )}
            <button type="button" className="btn btn-ghost details-toggle" aria-expanded={showDetails} onClick={() => setShowDetails((s) => !s)}>
              Details
            </button>
          </div>
        </header>
        {!ended && c.mode === 'ai' && (
          <p id="take-over-hint" className="sr-only">
            {takeOverHint(assignee)}
          </p>
        )}
        {handoff && <HandoffBanner conversation={{ ...c, handoff }} />}
        {tookOver && c.mode === 'manual' && !handoff && (
          <div className="takeover-notice" role="status">
            {assignee?.own ? (
              <span>
                <strong>It’s yours now.</strong> The AI has stopped answering, and the conversation is assigned to you.
              </span>
            ) : (
              <span>
                <strong>The AI has stopped answering.</strong> {assignee ? `The conversation is assigned to ${assignee.full}.` : 'A person answers from here.'}
              </span>
            )}
            <button type="button" className="btn btn-ghost" aria-label="Dismiss" onClick={dismissTakeover}>
              ×
            </button>
          </div>
        )}
        <FormError error={actions.mode.error ?? actions.end.error ?? actions.handoff.error} />
        <MessageList conversation={c} contactName={contactLabel(contact, c.contact_id)} email={isEmail} />
        <PresenceBar conversationId={c.id} />
        <Composer key={c.id} conversation={c} contact={contact} />
      </div>
      <DetailsPanel conversation={c} onClose={() => setShowDetails(false)} />
    </div>
  );
}
