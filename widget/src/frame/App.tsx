import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { translator, type Translate } from '../i18n/index.ts';
import type { Conversation } from './api.ts';
import { ChatView } from './Chat.tsx';
import type { ChatState, Controller } from './controller.ts';
import { dayOf, textOn } from './format.ts';
import { BotIcon, ChevronLeftIcon, CloseIcon, PlusIcon } from './icons.tsx';

/** The controller's state, re-rendered on every change. */
function useChatState(controller: Controller): ChatState {
  const [state, setState] = useState(controller.getState());
  useEffect(() => controller.subscribe(() => setState(controller.getState())), [controller]);
  return state;
}

export function App({ controller, onClose }: { controller: Controller; onClose(): void }): JSX.Element {
  const state = useChatState(controller);
  const t = useMemo(() => translator(state.locale), [state.locale]);
  const accent = state.widget?.accent_color ?? '#4f46e5';
  const style = { '--accent': accent, '--on-accent': textOn(accent) } as JSX.CSSProperties;

  useEffect(() => {
    document.documentElement.lang = state.locale;
  }, [state.locale]);

  // Opening the chat, or starting a conversation, puts the cursor where the visitor types next.
  useEffect(() => {
    if (!state.open || state.phase !== 'ready') return;
    for (const selector of ['.composer textarea', '.prechat input, .prechat select', '.foot button.primary', '.head button']) {
      const target = document.querySelector<HTMLElement>(selector);
      if (target) return target.focus();
    }
  }, [state.focusTick, state.open, state.phase, state.view]);

  if (state.phase !== 'ready' || !state.widget) {
    return (
      <div class="app" style={style}>
        <div class="loading" aria-busy="true">
          <span class="dots" aria-hidden="true">
            <i />
            <i />
            <i />
          </span>
        </div>
      </div>
    );
  }

  const inList = state.view === 'list';
  const canGoBack = !inList && (state.conversations.length > 0 || state.current !== null);
  return (
    <div class="app" style={style}>
      <header class="head">
        {canGoBack && (
          <button type="button" class="icon-btn" aria-label={t('back')} title={t('back')} onClick={() => controller.showList()}>
            <ChevronLeftIcon />
          </button>
        )}
        <div class="brand">
          {!inList && (
            <span class="avatar avatar-agent avatar-lg" aria-hidden="true">
              <BotIcon />
              <span class={`presence ${state.widget.online ? 'on' : 'off'}`} />
            </span>
          )}
          <div class="brand-text">
            <h1>{inList ? t('conversations') : state.widget.title}</h1>
            {!inList && <p>{state.widget.online ? t('online') : t('away')}</p>}
          </div>
        </div>
        <button type="button" class="icon-btn" aria-label={t('close')} title={t('close')} onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      {inList ? <ListView state={state} controller={controller} t={t} /> : <ChatView state={state} controller={controller} t={t} />}
    </div>
  );
}

function ListView({ state, controller, t }: { state: ChatState; controller: Controller; t: Translate }): JSX.Element {
  return (
    <>
      <main class="list">
        {state.conversations.length === 0 ? (
          <p class="empty">{t('noConversations')}</p>
        ) : (
          <ul>
            {state.conversations.map((c) => (
              <li key={c.id}>
                <ConversationRow conversation={c} state={state} t={t} onOpen={() => void controller.openConversation(c)} />
              </li>
            ))}
          </ul>
        )}
      </main>
      <div class="foot">
        <button type="button" class="primary wide" onClick={() => controller.newConversation()}>
          <PlusIcon /> {t('newConversation')}
        </button>
        <p class="powered">{t('poweredBy')}</p>
      </div>
    </>
  );
}

function ConversationRow({ conversation: c, state, t, onOpen }: { conversation: Conversation; state: ChatState; t: Translate; onOpen(): void }): JSX.Element {
  const last = c.last_message;
  const who = last ? (last.role === 'user' ? `${t('you')}: ` : '') : '';
  const preview = last ? who + last.content.replace(/\s+/g, ' ').slice(0, 120) : t('untitled');
  const when = c.last_message_at ?? c.updated_at;
  return (
    <button type="button" class="conv" onClick={onOpen}>
      <span class="avatar avatar-agent" aria-hidden="true">
        <BotIcon />
      </span>
      <span class="conv-text">
        <span class="conv-title">{c.title || state.widget?.title || t('untitled')}</span>
        <span class="conv-preview">{preview}</span>
      </span>
      <span class="conv-meta">
        <span>{dayOf(when, state.locale)}</span>
        {c.status === 'ended' && <span class="tag">{t('statusEnded')}</span>}
      </span>
    </button>
  );
}
