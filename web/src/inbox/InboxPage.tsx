import { useParams } from 'react-router';
import { Empty } from '../ui/States';
import { ConversationList } from './ConversationList';
import { ConversationView } from './ConversationView';
import { useFilterParams } from './filters';
import './list.css';

/**
 * The inbox: the list and the open conversation side by side on a wide screen; on a phone they are
 * two screens (the CSS shows one or the other depending on whether a conversation is open).
 */
export function InboxPage() {
  const { id } = useParams();
  const filters = useFilterParams();
  return (
    <div className={`inbox${id ? ' inbox-has-open' : ''}`}>
      <ConversationList filters={filters} openId={id} />
      <section className="inbox-main" aria-label="Conversation">
        {id ? (
          <ConversationView key={id} id={id} backSearch={filters.search} />
        ) : (
          <div className="inbox-placeholder">
            <Empty title="No conversation open">
              Pick a conversation from the list.
              <span className="kbd-hint">
                {' '}
                Move with <kbd>j</kbd> and <kbd>k</kbd>, open with <kbd>Enter</kbd>; <kbd>?</kbd> shows every key.
              </span>
            </Empty>
          </div>
        )}
      </section>
    </div>
  );
}
