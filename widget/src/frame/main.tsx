import { render } from 'preact';
import { translator } from '../i18n/index.ts';
import { isProtocolMessage, type FromFrame, type ToFrame } from '../shared/protocol.ts';
import { createApi } from './api.ts';
import { App } from './App.tsx';
import { createController } from './controller.ts';
import { createVisitorStorage } from './storage.ts';
import './styles.css';

/**
 * The frame's start: who the parent page is, and the controller that talks to Parley. The
 * parent's origin comes from location.ancestorOrigins where the browser has it, else from the
 * loader's first message; after that, only messages from that origin and from the parent window
 * itself are read, and everything the frame says is addressed to that origin alone.
 */
const publicKey = new URLSearchParams(location.search).get('key') ?? '';
const embedded = window.parent !== window;
let parentOrigin: string | null = embedded ? (location.ancestorOrigins?.[0] ?? null) : null;

function tell(message: FromFrame): void {
  if (!embedded) return;
  // Until the parent is known only "hello" goes out: it carries nothing and asks for the init.
  if (parentOrigin) window.parent.postMessage(message, parentOrigin);
  else if (message.type === 'hello') window.parent.postMessage(message, '*');
}

const storage = createVisitorStorage(publicKey);
const api = createApi(() => storage.token());
/** Tells the loader the launcher's colour, side and labels (again when the language changes). */
function announceReady(): void {
  const { widget, locale } = controller.getState();
  if (!widget) return;
  const t = translator(locale);
  tell({ parley: 1, type: 'ready', accent: widget.accent_color, position: widget.position, labels: { open: t('openChat'), close: t('closeChat') } });
}

const controller = createController({
  publicKey,
  api,
  storage,
  notify(event) {
    if (event.type === 'ready') announceReady();
    else if (event.type === 'unavailable') tell({ parley: 1, type: 'unavailable' });
    else tell({ parley: 1, type: 'unread', count: event.count });
  },
});

let announcedLocale = controller.getState().locale;
controller.subscribe(() => {
  const { locale, phase } = controller.getState();
  if (locale === announcedLocale) return;
  announcedLocale = locale;
  if (phase === 'ready') announceReady();
});

function close(): void {
  controller.setOpen(false);
  tell({ parley: 1, type: 'close' });
}

addEventListener('message', (event: MessageEvent) => {
  if (!embedded || event.source !== window.parent || !isProtocolMessage(event.data)) return;
  const message = event.data as ToFrame;
  if (!parentOrigin) {
    if (message.type !== 'init') return;
    parentOrigin = event.origin;
  } else if (event.origin !== parentOrigin) return;
  switch (message.type) {
    case 'init':
      controller.init(message);
      break;
    case 'boot':
      controller.boot(message.boot);
      break;
    case 'shutdown':
      void controller.shutdown();
      break;
    case 'visibility':
      controller.setOpen(message.open);
      break;
    case 'locale':
      controller.setLocale(message.locale);
      break;
  }
});

// Keyboard: Esc closes the chat (focus goes back to the launcher), Tab stays inside it.
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && embedded) {
    event.preventDefault();
    close();
    return;
  }
  if (event.key !== 'Tab') return;
  const focusable = [...document.querySelectorAll<HTMLElement>('a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex="0"]')].filter(
    (el) => el.offsetParent !== null || el === document.activeElement,
  );
  if (!focusable.length) return;
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  const active = document.activeElement;
  const inside = focusable.includes(active as HTMLElement);
  if (event.shiftKey && (active === first || !inside)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !inside)) {
    event.preventDefault();
    first.focus();
  }
});

document.addEventListener('visibilitychange', () => controller.visibilityChanged());

render(<App controller={controller} onClose={close} />, document.getElementById('app')!);

if (embedded) tell({ parley: 1, type: 'hello' });
// Opened on its own (a "chat with us" link to /widget/frame?key=…): a full-page chat.
else controller.init({ boot: {}, locale: null, pageUrl: document.referrer, open: true });
