import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Translate } from '../i18n/index.ts';
import { CsatCard, HandoffNotice, PreChatForm } from './Cards.tsx';
import { preChatFields, type ChatState, type Controller } from './controller.ts';
import { PaperclipIcon, PersonIcon, PlusIcon, SendIcon } from './icons.tsx';
import { PendingFiles } from './Files.tsx';
import { Avatar, groupMessages, MessageGroup } from './Messages.tsx';

interface Props {
  state: ChatState;
  controller: Controller;
  t: Translate;
}

/** One conversation: the greeting, the messages, what happens next, and the composer. */
export function ChatView({ state, controller, t }: Props): JSX.Element {
  const widget = state.widget!;
  const current = state.current;
  const logRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const ended = current?.status === 'ended';
  const fields = preChatFields(widget, state.contact, t('email'));
  const needsPreChat = !current && widget.pre_chat.enabled && fields.length > 0;

  const mine = state.messages.filter((m) => m.role === 'user' && m.id > 0);
  const lastMineId = mine.length ? mine[mine.length - 1].id : null;
  const groups = groupMessages(state.messages);
  // The handoff notice sits where it happened: after the messages written before it.
  const handoffAt = current?.handoff ? Date.parse(current.handoff.at) : null;
  const splitAt = handoffAt === null ? -1 : groups.findIndex((g) => Date.parse(g.messages[0].created_at) > handoffAt + 1);
  const before = splitAt === -1 ? groups : groups.slice(0, splitAt);
  const after = splitAt === -1 ? [] : groups.slice(splitAt);

  // Follow the newest message unless the visitor scrolled up to read; cards that grow on their
  // own (the survey's comment box) are followed too.
  useLayoutEffect(() => {
    const log = logRef.current;
    if (log && stick.current) log.scrollTop = log.scrollHeight;
  });
  useEffect(() => {
    const log = logRef.current;
    if (!log) return;
    const observer = new MutationObserver(() => {
      if (stick.current) log.scrollTop = log.scrollHeight;
    });
    observer.observe(log, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, []);

  const group = (g: (typeof groups)[number]) => (
    <MessageGroup key={g.key} group={g} locale={state.locale} t={t} controller={controller} lastMineId={lastMineId} teamRead={state.teamRead} team={widget.title} />
  );

  return (
    <>
      <div
        class="log"
        ref={logRef}
        role="log"
        aria-live="polite"
        aria-label={widget.title}
        tabIndex={-1}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        <div class="row them">
          <Avatar role="assistant" name="" />
          <div class="stack">
            <div class="bubble bubble-them greeting">
              <p class="plain">{widget.greeting}</p>
            </div>
          </div>
        </div>
        {before.map(group)}
        {current?.handoff && <HandoffNotice widget={widget} leftEmail={state.leftEmail} locale={state.locale} t={t} controller={controller} />}
        {after.map(group)}
        {needsPreChat && <PreChatForm fields={fields} serverErrors={state.preChatErrors} t={t} controller={controller} />}
        {state.typing !== null && (
          <div class="row them typing">
            <Avatar role="operator" name={state.typing} />
            <div class="stack">
              <div class="bubble bubble-them">
                <span class="dots" aria-hidden="true">
                  <i />
                  <i />
                  <i />
                </span>
              </div>
              <div class="meta">{t('typing', { name: state.typing || t('someone') })}</div>
            </div>
          </div>
        )}
        {ended && <p class="divider">{t('ended')}</p>}
        {ended && <CsatCard done={state.csatDone} rated={current?.csat?.rating ?? null} t={t} controller={controller} />}
      </div>
      <div class="foot">
        {state.error && (
          <p class="error" role="alert">
            {t(state.error)}
            <button type="button" class="link" onClick={() => controller.dismissError()}>
              {t('close')}
            </button>
          </p>
        )}
        {ended ? (
          <button type="button" class={`primary wide${state.csatDone ? '' : ' secondary'}`} onClick={() => controller.newConversation()}>
            <PlusIcon /> {t('newConversation')}
          </button>
        ) : needsPreChat ? null : (
          <>
            {current && current.mode === 'ai' && state.messages.length > 0 && (
              <div class="actions">
                <button type="button" class="chip" onClick={() => void controller.handoff()}>
                  <PersonIcon /> {t('talkToPerson')}
                </button>
              </div>
            )}
            <Composer state={state} controller={controller} t={t} />
          </>
        )}
        <p class="powered">{t('poweredBy')}</p>
      </div>
    </>
  );
}

function Composer({ state, controller, t }: Props): JSX.Element {
  const [text, setText] = useState('');
  const ref = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const canSend = (text.trim() !== '' || state.pending.length > 0) && !state.sending && !state.uploading;

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 140)}px`;
  }, [text]);

  function submit(): void {
    if (!canSend) return;
    const value = text;
    setText('');
    void controller.send(value).then((ok) => {
      if (!ok) setText((now) => now || value);
    });
  }

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {(state.pending.length > 0 || state.uploading) && (
        <div class="attached">
          <PendingFiles files={state.pending} controller={controller} t={t} />
          {state.uploading && <span class="uploading">{t('uploading')}</span>}
        </div>
      )}
      <input
        ref={picker}
        type="file"
        multiple
        hidden
        onChange={(e) => {
          const input = e.currentTarget;
          void controller.attach(Array.from(input.files ?? []));
          input.value = '';
        }}
      />
      <button
        type="button"
        class="attach"
        aria-label={t('attach')}
        title={t('attach')}
        disabled={state.uploading || state.sending || state.pending.length >= 10}
        onClick={() => picker.current?.click()}
      >
        <PaperclipIcon />
      </button>
      <textarea
        ref={ref}
        rows={1}
        aria-label={t('message')}
        placeholder={t('placeholder')}
        value={text}
        maxLength={10_000}
        onInput={(e) => {
          setText(e.currentTarget.value);
          controller.visitorTyping();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
      />
      <button type="submit" class="send" aria-label={t('send')} title={t('send')} disabled={!canSend}>
        <SendIcon />
      </button>
    </form>
  );
}
