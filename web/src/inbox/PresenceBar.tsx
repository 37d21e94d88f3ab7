import { useMe } from '../auth/session';
import { useViewers } from '../realtime/presence';
import { useTypers } from '../realtime/typing';
import { firstName, namesList } from './presence';

/**
 * Which colleagues have this conversation open and who of them is writing a reply, so two people
 * do not answer the same customer: "Tom is replying…", "Ana is viewing". Never yourself.
 */
export function PresenceBar({ conversationId }: { conversationId: string }) {
  const me = useMe().data;
  const typers = useTypers(conversationId).filter((t) => t.type === 'member' && String(t.id) !== me?.id);
  const replying = new Set(typers.map((t) => String(t.id)));
  const viewers = useViewers(conversationId).filter((v) => v.id !== me?.id && !replying.has(v.id));
  const writing = [...new Set(typers.map((t) => firstName(t.name)))];
  const watching = [...new Set(viewers.map((v) => firstName(v.name)))];

  return (
    <div className="presence-bar" aria-live="polite">
      {writing.length > 0 && (
        <span className="watcher watcher-replying" data-presence="replying">
          <span className="typing-dots" aria-hidden="true">
            <i />
            <i />
            <i />
          </span>
          {namesList(writing)} {writing.length > 1 ? 'are' : 'is'} replying…
        </span>
      )}
      {watching.length > 0 && (
        <span className="watcher watcher-viewing" data-presence="viewing">
          <span className="watcher-eye" aria-hidden="true">
            ●
          </span>
          {namesList(watching)} {watching.length > 1 ? 'are' : 'is'} viewing
        </span>
      )}
    </div>
  );
}
