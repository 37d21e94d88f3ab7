import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { Conversation } from '../api/types';
import { useWorkspace } from '../app/TeamStatus';
import { FormError } from '../ui/States';
import { useSendMessage, useSuggestion } from './queries';
import { useTypingSignal } from './typing-signal';

/** Reply to the contact (role operator) or write an internal note; Ctrl/Cmd+Enter sends. */
export function Composer({ conversation }: { conversation: Conversation }) {
  const [kind, setKind] = useState<'operator' | 'note'>('operator');
  const [text, setText] = useState('');
  const send = useSendMessage(conversation);
  const takesOver = useWorkspace().data?.operator_reply_takes_over ?? true;
  const suggestion = useSuggestion(conversation.id);
  const typing = useTypingSignal(conversation.id);
  const ended = conversation.status === 'ended';

  if (ended) return <p className="composer-closed">This conversation has ended; nothing more can be sent.</p>;

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const content = text.trim();
    if (!content || send.isPending) return;
    typing.stop();
    send.mutate({ role: kind, content }, { onSuccess: () => setText('') });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit();
    }
  };

  return (
    <form className={`composer composer-${kind}`} onSubmit={submit}>
      <div className="composer-tabs" role="radiogroup" aria-label="Send as">
        <label className={kind === 'operator' ? 'tab tab-on' : 'tab'}>
          <input type="radio" name="kind" value="operator" checked={kind === 'operator'} onChange={() => setKind('operator')} />
          Reply
        </label>
        <label className={kind === 'note' ? 'tab tab-on' : 'tab'}>
          <input type="radio" name="kind" value="note" checked={kind === 'note'} onChange={() => (setKind('note'), typing.stop())} />
          Internal note
        </label>
        {conversation.mode === 'ai' && kind === 'operator' && (
          <span className="hint composer-hint">
            {!takesOver
              ? 'The AI keeps answering after your reply; take over to stop it.'
              : conversation.assignee_id === null
                ? 'The AI is answering; your reply takes over and makes it yours.'
                : 'The AI is answering; your reply takes over and stops it.'}
          </span>
        )}
      </div>
      <label htmlFor="composer-text" className="sr-only">
        {kind === 'note' ? 'Note text, seen only by your team' : 'Reply to the contact'}
      </label>
      <textarea
        id="composer-text"
        rows={3}
        value={text}
        placeholder={kind === 'note' ? 'Only your team sees notes' : 'Write a reply… (Ctrl+Enter to send)'}
        onChange={(e) => {
          setText(e.target.value);
          // Only a reply is announced; notes are the team's own.
          if (kind === 'operator' && e.target.value.trim()) typing.typed();
          else typing.stop();
        }}
        onKeyDown={onKeyDown}
      />
      <FormError error={send.error ?? suggestion.error} />
      <div className="composer-actions">
        <button
          type="button"
          className="btn"
          disabled={suggestion.isPending}
          onClick={() => suggestion.mutate(undefined, { onSuccess: (s) => (setKind('operator'), setText(s.content)) })}
        >
          {suggestion.isPending ? 'Thinking…' : 'Suggest a reply'}
        </button>
        <button type="submit" className="btn btn-primary" disabled={!text.trim() || send.isPending}>
          {kind === 'note' ? 'Add note' : 'Send reply'}
        </button>
      </div>
    </form>
  );
}
