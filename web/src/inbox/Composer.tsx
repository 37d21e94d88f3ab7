import { useEffect, useRef, useState, type ClipboardEvent, type DragEvent, type FormEvent, type KeyboardEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/errors';
import type { Contact, Conversation } from '../api/types';
import { useSessionExpired } from '../app/query-client';
import { SignInAgainButton } from '../app/SessionExpired';
import { useWorkspace } from '../app/TeamStatus';
import { useMe } from '../auth/session';
import { CannedPicker } from '../canned/CannedPicker';
import { searchCanned, useCannedResponses, type CannedResponse } from '../canned/queries';
import { replaceToken, slashTokenAt } from '../canned/slash';
import { fillVariables } from '../canned/variables';
import type { DraftKind } from '../realtime/saved-drafts';
import { FormError } from '../ui/States';
import { useComposerDrafts } from './composer-drafts';
import { useComposerFiles } from './composer-files';
import { AttachButton, ComposerFiles } from './ComposerFiles';
import { useComposerKeys } from './composer-keys';
import { collisionWarning } from './presence';
import { useSendMessage, useSuggestion } from './queries';
import { SuggestionOffer } from './SuggestionOffer';
import { useTypingSignal } from './typing-signal';
import './composer.css';

function SessionExpiredNotice() {
  return (
    <div className="composer-expired" role="alert">
      <span>Your session has expired. Sign in again — your draft is kept.</span>
      <SignInAgainButton />
    </div>
  );
}

/** Whether a drag carries files (not text or a link being moved about). */
const carriesFiles = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');

/**
 * Reply to the contact (role operator) or write an internal note; Ctrl/Cmd+Enter sends. Each text
 * is a draft kept in this browser until sent; `/` inserts a canned response; a colleague replying
 * at the same time is asked about before sending. Files (the paperclip, dropped or pasted) upload
 * at once and go with the next reply or note; they are kept while the page is open, not across a
 * reload.
 */
export function Composer({ conversation, contact }: { conversation: Conversation; contact: Contact | undefined }) {
  const me = useMe().data;
  const client = useQueryClient();
  const [kind, setKind] = useState<DraftKind>('operator');
  const drafts = useComposerDrafts(me?.id, conversation.id);
  const text = drafts.text[kind];
  const area = useRef<HTMLTextAreaElement>(null);
  const send = useSendMessage(conversation);
  const files = useComposerFiles(conversation.id);
  const [dropping, setDropping] = useState(false);
  const takesOver = useWorkspace().data?.operator_reply_takes_over ?? true;
  const suggestion = useSuggestion(conversation.id);
  const typing = useTypingSignal(conversation.id);
  const expired = useSessionExpired();
  const [offered, setOffered] = useState<string | null>(null);
  // The canned response picker: open while a `/word` is typed, unless closed with Esc.
  const [caret, setCaret] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const token = slashTokenAt(text, caret);
  const pickerOpen = token !== null && token.start !== dismissedAt;
  const canned = useCannedResponses();
  const matches = pickerOpen ? searchCanned(canned.data ?? [], token.query).slice(0, 50) : [];
  const ended = conversation.status === 'ended';

  useEffect(() => setActive(0), [token?.query, token?.start]);
  // A file dropped just beside the composer would make the browser open it in place of the inbox.
  useEffect(() => {
    const refuse = (e: globalThis.DragEvent) => {
      if (e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files')) e.preventDefault();
    };
    window.addEventListener('dragover', refuse);
    window.addEventListener('drop', refuse);
    return () => {
      window.removeEventListener('dragover', refuse);
      window.removeEventListener('drop', refuse);
    };
  }, []);
  useEffect(() => {
    if (!token) setDismissedAt(null);
  }, [token]);

  const startKind = (next: DraftKind) => {
    setKind(next);
    if (next === 'note') typing.stop();
    requestAnimationFrame(() => {
      const el = area.current;
      if (!el) return;
      el.focus();
      el.setSelectionRange(el.value.length, el.value.length);
      setCaret(el.value.length);
    });
  };
  useComposerKeys(startKind);

  if (ended) {
    return expired ? <SessionExpiredNotice /> : <p className="composer-closed">This conversation has ended; nothing more can be sent.</p>;
  }

  const change = (value: string, at: number, as: DraftKind = kind) => {
    drafts.setText(as, value);
    setCaret(at);
    // An error is about the text as it was: once it changes, the message goes.
    if (send.error) send.reset();
    if (suggestion.error) suggestion.reset();
    // Only a reply is announced; notes are the team's own.
    if (as === 'operator' && value.trim()) typing.typed();
    else typing.stop();
  };

  const insert = (r: CannedResponse) => {
    if (!token) return;
    const filled = fillVariables(r.content, { contact, member: me, conversation });
    const next = replaceToken(text, token, caret, filled);
    change(next.text, next.caret);
    requestAnimationFrame(() => {
      area.current?.focus();
      area.current?.setSelectionRange(next.caret, next.caret);
    });
  };

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const content = text.trim();
    const attachmentIds = files.ready;
    if ((!content && attachmentIds.length === 0) || send.isPending || files.uploading) return;
    if (kind === 'operator') {
      const warning = collisionWarning(client, conversation.id, me?.id, drafts.startedAt.operator);
      if (warning && !window.confirm(warning)) return;
    }
    typing.stop();
    const sent = kind;
    send.mutate(
      { role: sent, content, ...(attachmentIds.length > 0 ? { attachment_ids: attachmentIds } : {}) },
      {
        onSuccess: () => {
          drafts.clear(sent);
          files.clearSent(attachmentIds);
        },
      },
    );
  };

  const attach = (list: File[]) => {
    if (send.error) send.reset();
    files.addFiles(list);
  };
  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    const pasted = Array.from(e.clipboardData.files);
    if (pasted.length === 0) return;
    e.preventDefault();
    attach(pasted);
  };
  const onDragOver = (e: DragEvent<HTMLFormElement>) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    setDropping(true);
  };
  const onDragLeave = (e: DragEvent<HTMLFormElement>) => {
    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDropping(false);
  };
  const onDrop = (e: DragEvent<HTMLFormElement>) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    setDropping(false);
    attach(Array.from(e.dataTransfer.files));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (pickerOpen) {
      const n = matches.length;
      if (e.key === 'ArrowDown' && n > 0) {
        e.preventDefault();
        setActive((a) => (a + 1) % n);
        return;
      }
      if (e.key === 'ArrowUp' && n > 0) {
        e.preventDefault();
        setActive((a) => (a - 1 + n) % n);
        return;
      }
      if ((e.key === 'Enter' || e.key === 'Tab') && !e.ctrlKey && !e.metaKey && !e.shiftKey && matches[active]) {
        e.preventDefault();
        insert(matches[active]);
        return;
      }
      if (e.key === 'Escape') {
        // Closes the picker only; the next Esc leaves the field.
        e.preventDefault();
        setDismissedAt(token.start);
        return;
      }
    }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit();
    }
  };

  const suggest = () =>
    suggestion.mutate(undefined, {
      onSuccess: (s) => {
        const typed = drafts.text.operator.trim();
        setKind('operator');
        // Typed work is never replaced without asking.
        if (typed && typed !== s.content.trim()) setOffered(s.content);
        else change(s.content, s.content.length, 'operator');
      },
    });

  const sessionLost = expired || (send.error instanceof ApiError && send.error.status === 401);

  return (
    <form className={`composer composer-${kind}${dropping ? ' composer-dropping' : ''}`} onSubmit={submit} onDragOver={onDragOver} onDragLeave={onDragLeave} onDrop={onDrop}>
      {dropping && (
        <div className="composer-drop" aria-hidden="true">
          Drop files to attach them to the {kind === 'note' ? 'note' : 'reply'}
        </div>
      )}
      <div className="composer-tabs" role="radiogroup" aria-label="Send as">
        <label className={kind === 'operator' ? 'tab tab-on' : 'tab'} title="Reply (r)">
          <input type="radio" name="kind" value="operator" checked={kind === 'operator'} onChange={() => setKind('operator')} />
          Reply{drafts.text.operator.trim() && kind !== 'operator' ? <span className="draft-dot" title="Unsent reply" /> : null}
        </label>
        <label className={kind === 'note' ? 'tab tab-on' : 'tab'} title="Internal note (n)">
          <input type="radio" name="kind" value="note" checked={kind === 'note'} onChange={() => (setKind('note'), typing.stop())} />
          Internal note{drafts.text.note.trim() && kind !== 'note' ? <span className="draft-dot" title="Unsent note" /> : null}
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
      {offered !== null && (
        <SuggestionOffer
          suggestion={offered}
          onReplace={() => (change(offered, offered.length, 'operator'), setOffered(null))}
          onKeep={() => setOffered(null)}
        />
      )}
      <div className="composer-field">
        {pickerOpen && <CannedPicker items={matches} active={active} query={token.query} loading={canned.isPending} onPick={insert} onActive={setActive} />}
        <label htmlFor="composer-text" className="sr-only">
          {kind === 'note' ? 'Note text, seen only by your team' : 'Reply to the contact'}
        </label>
        <textarea
          id="composer-text"
          ref={area}
          rows={3}
          value={text}
          placeholder={kind === 'note' ? 'Only your team sees notes · / for canned responses' : 'Write a reply… / for canned responses · Ctrl+Enter sends'}
          aria-expanded={pickerOpen}
          aria-controls={pickerOpen ? 'canned-options' : undefined}
          aria-activedescendant={pickerOpen && matches[active] ? `canned-option-${matches[active].id}` : undefined}
          onChange={(e) => change(e.target.value, e.target.selectionStart)}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
        />
      </div>
      <ComposerFiles files={files.files} onRemove={files.remove} />
      {sessionLost ? <SessionExpiredNotice /> : <FormError error={send.error ?? suggestion.error} />}
      <div className="composer-actions">
        <span className="composer-tools">
          <AttachButton onFiles={attach} />
          <button type="button" className="btn" disabled={suggestion.isPending} onClick={suggest}>
            {suggestion.isPending ? 'Thinking…' : 'Suggest a reply'}
          </button>
        </span>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={(!text.trim() && files.ready.length === 0) || send.isPending || files.uploading}
          title={files.uploading ? 'Waiting for the files to finish uploading' : undefined}
        >
          {files.uploading ? 'Uploading…' : kind === 'note' ? 'Add note' : 'Send reply'}
        </button>
      </div>
    </form>
  );
}
