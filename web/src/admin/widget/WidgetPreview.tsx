import { useState, type CSSProperties, type ReactNode } from 'react';
import { DEFAULTS, HEX, preChatFieldsOf, textOn, type Draft, type PreChatField } from './widget-draft';
import './widget-preview.css';

/**
 * The widget's own words for what the preview shows, copied from widget/src/i18n: the inbox is
 * built apart from the widget (React here, Preact there, each with its own compiler settings), so
 * it cannot import the widget's catalogues.
 */
const TEXT = {
  en: { online: 'We’re online', close: 'Close', message: 'Message', placeholder: 'Write a message…', send: 'Send', email: 'Email', intro: 'Before we start, please tell us a little about yourself.', start: 'Start chat', choose: 'Choose…', powered: 'Powered by Parley', closeChat: 'Close chat' },
  de: { online: 'Wir sind online', close: 'Schließen', message: 'Nachricht', placeholder: 'Nachricht schreiben…', send: 'Senden', email: 'E-Mail', intro: 'Bevor es losgeht, erzählen Sie uns bitte kurz etwas über sich.', start: 'Chat starten', choose: 'Bitte wählen…', powered: 'Bereitgestellt von Parley', closeChat: 'Chat schließen' },
  fr: { online: 'Nous sommes en ligne', close: 'Fermer', message: 'Message', placeholder: 'Écrivez un message…', send: 'Envoyer', email: 'E-mail', intro: 'Avant de commencer, dites-nous-en un peu plus sur vous.', start: 'Commencer', choose: 'Choisir…', powered: 'Propulsé par Parley', closeChat: 'Fermer le chat' },
  es: { online: 'Estamos en línea', close: 'Cerrar', message: 'Mensaje', placeholder: 'Escribe un mensaje…', send: 'Enviar', email: 'Correo electrónico', intro: 'Antes de empezar, cuéntanos un poco sobre ti.', start: 'Empezar chat', choose: 'Elige…', powered: 'Con la tecnología de Parley', closeChat: 'Cerrar chat' },
};
type Language = keyof typeof TEXT;

/** The widget's language: the one set, else (auto) this browser's, else English — as the widget picks. */
function languageOf(locale: string): Language {
  const candidates = locale === 'auto' ? [...navigator.languages] : [locale];
  for (const c of candidates) {
    const language = c.toLowerCase().split('-')[0];
    if (language in TEXT) return language as Language;
  }
  return 'en';
}

/** The fields the widget asks for: the channel's, with the email first when it is required. */
function fieldsShown(draft: Draft, emailLabel: string): PreChatField[] {
  const fields = preChatFieldsOf(draft);
  if (draft.pre_chat.require_email && !fields.some((f) => f.name === 'email')) {
    fields.unshift({ name: 'email', label: emailLabel, type: 'email', required: true });
  }
  return fields;
}

function Icon({ d, filled = false }: { d: string; filled?: boolean }) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" className="wp-ic" fill={filled ? 'currentColor' : 'none'} stroke={filled ? 'none' : 'currentColor'} strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d={d} />
    </svg>
  );
}
const BOT = 'M12 3v3M7 9h10a3 3 0 0 1 3 3v4a3 3 0 0 1-3 3H7a3 3 0 0 1-3-3v-4a3 3 0 0 1 3-3zM9 13.5h.01M15 13.5h.01';
const CLOSE = 'M18 6 6 18M6 6l12 12';
const SEND = 'M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z';

type View = 'form' | 'chat';

/**
 * What a visitor sees when opening the chat, drawn from the editor's state as the admin types: the
 * header in the accent colour, the greeting, the pre-chat form or the composer, and the launcher on
 * the chosen side. The markup and styles follow widget/src/frame (App, Chat, Cards) and the loader.
 */
export function WidgetPreview({ draft }: { draft: Draft }) {
  const [view, setView] = useState<View>('form');
  const t = TEXT[languageOf(draft.locale)];
  const accent = HEX.test(draft.accent_color.trim()) ? draft.accent_color.trim() : DEFAULTS.accent_color;
  const style = { '--accent': accent, '--on-accent': textOn(accent) } as CSSProperties;
  const title = draft.title.trim() || DEFAULTS.title;
  const greeting = draft.greeting.trim() || DEFAULTS.greeting;
  const fields = fieldsShown(draft, t.email);
  const hasForm = draft.pre_chat.enabled && fields.length > 0;
  const showForm = hasForm && view === 'form';

  return (
    <figure className="wp" aria-labelledby="wp-caption">
      <div className="wp-caption">
        <figcaption id="wp-caption">
          Live preview <span className="hint">· what a visitor sees</span>
        </figcaption>
        {hasForm && (
          <div className="wp-views" role="group" aria-label="Preview shows">
            <button type="button" className={`wp-view${view === 'form' ? ' on' : ''}`} aria-pressed={view === 'form'} onClick={() => setView('form')}>
              Pre-chat form
            </button>
            <button type="button" className={`wp-view${view === 'chat' ? ' on' : ''}`} aria-pressed={view === 'chat'} onClick={() => setView('chat')}>
              Chat
            </button>
          </div>
        )}
      </div>
      <p className="sr-only">
        {`“${title}” in ${accent}, launcher on the ${draft.position}, ${showForm ? `a pre-chat form of ${fields.length} field${fields.length === 1 ? '' : 's'}` : 'the message composer'}.`}
      </p>
      <div className={`wp-stage wp-${draft.position}`} style={style} data-position={draft.position} inert>
        <div className="wp-site" aria-hidden="true">
          <div className="wp-site-bar">
            <i />
            <i />
            <i />
          </div>
          <div className="wp-site-body">
            <b />
            <p />
            <p />
            <p className="short" />
          </div>
        </div>
        <div className="wp-frame">
          <header className="wp-head">
            <div className="wp-brand">
              <span className="wp-avatar wp-avatar-lg">
                <Icon d={BOT} />
                <span className="wp-presence" />
              </span>
              <div className="wp-brand-text">
                <h1>{title}</h1>
                <p>{t.online}</p>
              </div>
            </div>
            <span className="wp-icon-btn" title={t.close}>
              <Icon d={CLOSE} />
            </span>
          </header>
          <div className="wp-log">
            <div className="wp-row">
              <span className="wp-avatar wp-avatar-agent">
                <Icon d={BOT} />
              </span>
              <div className="wp-stack">
                <div className="wp-bubble wp-greeting">
                  <p>{greeting}</p>
                </div>
              </div>
            </div>
            {showForm && <PreChat fields={fields} t={t} />}
          </div>
          <div className="wp-foot">
            {!showForm && (
              <div className="wp-composer">
                <span className="wp-textarea" title={t.message}>
                  {t.placeholder}
                </span>
                <span className="wp-send" title={t.send}>
                  <Icon d={SEND} filled />
                </span>
              </div>
            )}
            <p className="wp-powered">{t.powered}</p>
          </div>
        </div>
        <span className="wp-launcher" title={t.closeChat}>
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <path d="M6.4 8.2 12 13.8l5.6-5.6 1.4 1.4-7 7-7-7z" />
          </svg>
        </span>
      </div>
    </figure>
  );
}

function PreChat({ fields, t }: { fields: PreChatField[]; t: (typeof TEXT)[Language] }) {
  return (
    <div className="wp-card">
      <p className="wp-card-intro">{t.intro}</p>
      {fields.map((f, i) => (
        <div className="wp-field" key={`${i}-${f.name}`}>
          <span className="wp-label">
            {f.label || f.name || '…'}
            {f.required && <span className="wp-req"> *</span>}
          </span>
          <Control field={f} t={t} />
        </div>
      ))}
      <span className="wp-primary">{t.start}</span>
    </div>
  );
}

function Control({ field, t }: { field: PreChatField; t: (typeof TEXT)[Language] }): ReactNode {
  if (field.type === 'select') {
    return (
      <span className="wp-input wp-select">
        {t.choose}
        <svg viewBox="0 0 24 24" aria-hidden="true">
          <path d="M6 9l6 6 6-6" />
        </svg>
      </span>
    );
  }
  return <span className="wp-input" />;
}
