/**
 * widget.js: the few kilobytes a business puts on its pages. It adds a launcher button (in a
 * shadow root, out of reach of the page's CSS) and the chat itself in an iframe on Parley's
 * origin, and exposes `window.Parley(command, …args)`. Everything the visitor sees in the chat
 * lives in the frame; this file only places it, opens and closes it, and relays the page's calls.
 */
import { isProtocolMessage, type BootOptions, type FromFrame, type ToFrame } from '../shared/protocol.ts';

type Fn = (...args: unknown[]) => void;
interface ParleyGlobal {
  (command: string, ...args: unknown[]): void;
  q?: IArguments[] | unknown[][];
  loaded?: boolean;
}

const CSS = `:host{all:initial}
.l{position:fixed;bottom:20px;right:20px;width:56px;height:56px;border-radius:50%;border:0;padding:0;margin:0;background:var(--a,#4f46e5);color:#fff;cursor:pointer;box-shadow:0 6px 20px rgba(15,23,42,.25);display:none;align-items:center;justify-content:center;z-index:2147483000;transition:transform .15s ease}
.l:hover{transform:scale(1.06)}.l:focus-visible{outline:3px solid var(--a,#4f46e5);outline-offset:3px}
.l svg{width:28px;height:28px;fill:currentColor}.l .x{display:none}
.ready .l{display:flex}.hidden .l{display:none}.open .l .c{display:none}.open .l .x{display:block}
.b{position:absolute;top:-3px;right:-3px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#e11d48;color:#fff;font:700 12px/20px system-ui,sans-serif;box-sizing:border-box;text-align:center;box-shadow:0 0 0 2px #fff}
.f{position:fixed;bottom:88px;right:20px;width:380px;height:min(600px,calc(100% - 108px));border:0;border-radius:16px;box-shadow:0 16px 48px rgba(15,23,42,.25);z-index:2147483001;background:#fff;visibility:hidden;opacity:0;transform:translateY(12px);transition:opacity .18s,transform .18s,visibility 0s .18s}
.open .f{visibility:visible;opacity:1;transform:none;transition:opacity .18s,transform .18s}
.left .l,.left .f{left:20px;right:auto}
@media (max-width:639px){.f{inset:0;width:100%;height:100%;border-radius:0}.open .l{display:none}}
@media (prefers-reduced-motion:reduce){.l,.f,.open .f{transition:none}}`;

const ICONS =
  '<svg class="c" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 3C6.5 3 2 6.8 2 11.5c0 2.4 1.2 4.6 3.1 6.1L4 21.5l4.6-2.2c1.1.3 2.2.5 3.4.5 5.5 0 10-3.8 10-8.5S17.5 3 12 3z"/></svg>' +
  '<svg class="x" viewBox="0 0 24 24" aria-hidden="true"><path d="M6.4 8.2 12 13.8l5.6-5.6 1.4 1.4-7 7-7-7z"/></svg>';

(function start(): void {
  const w = window as unknown as { Parley?: ParleyGlobal };
  if (w.Parley?.loaded) return; // the snippet pasted twice
  const script =
    (document.currentScript as HTMLScriptElement | null)?.dataset.key !== undefined
      ? (document.currentScript as HTMLScriptElement)
      : document.querySelector<HTMLScriptElement>('script[data-key][src$="/widget.js"]');
  const key = script?.dataset.key;
  if (!script || !key) return;
  const origin = new URL(script.src, location.href).origin;

  let boot: BootOptions | null = {};
  let locale: string | null = null;
  let ready = false;
  let isOpen = false;
  let hidden = false;
  let left = false;
  let unread = 0;
  let frameSaidHello = false;
  let openLabel = 'Open chat';
  let closeLabel = 'Close chat';
  const readyFns: Fn[] = [];
  const unreadFns: Fn[] = [];

  const host = document.createElement('parley-widget');
  const root = host.attachShadow({ mode: 'open' });
  root.innerHTML = `<style>${CSS}</style><div class="w"><iframe class="f" title="Chat"></iframe><button type="button" class="l" aria-label="Open chat" aria-expanded="false">${ICONS}<span class="b" hidden></span></button></div>`;
  const wrap = root.querySelector('.w') as HTMLDivElement;
  const frame = root.querySelector('iframe') as HTMLIFrameElement;
  const launcher = root.querySelector('button') as HTMLButtonElement;
  const badge = root.querySelector('.b') as HTMLSpanElement;
  frame.src = `${origin}/widget/frame?key=${encodeURIComponent(key)}`;

  const send = (message: ToFrame) => frame.contentWindow?.postMessage(message, origin);
  const call = (fns: Fn[], ...args: unknown[]) => {
    for (const fn of fns) {
      try {
        fn(...args);
      } catch (err) {
        console.error(err);
      }
    }
  };

  function render(): void {
    wrap.className = `w${ready ? ' ready' : ''}${isOpen && ready ? ' open' : ''}${hidden ? ' hidden' : ''}${left ? ' left' : ''}`;
    launcher.setAttribute('aria-label', isOpen ? closeLabel : openLabel);
    launcher.setAttribute('aria-expanded', String(isOpen));
    badge.hidden = isOpen || unread === 0;
    badge.textContent = unread > 99 ? '99+' : String(unread);
  }

  function setOpen(open: boolean, focusLauncher = false): void {
    isOpen = open;
    render();
    if (!ready) return;
    send({ parley: 1, type: 'visibility', open });
    if (open) frame.focus();
    else if (focusLauncher && !hidden) launcher.focus();
  }

  launcher.addEventListener('click', () => setOpen(!isOpen));
  // Esc closes the chat from the launcher too (the frame handles it while it has the focus).
  launcher.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !isOpen) return;
    event.preventDefault();
    setOpen(false, true);
  });

  addEventListener('message', (event: MessageEvent) => {
    if (event.origin !== origin || event.source !== frame.contentWindow || !isProtocolMessage(event.data)) return;
    const message = event.data as FromFrame;
    switch (message.type) {
      case 'hello':
        frameSaidHello = true;
        send({ parley: 1, type: 'init', boot, locale, pageUrl: location.href, open: isOpen });
        break;
      case 'ready': {
        host.style.setProperty('--a', /^#[0-9a-f]{6}$/i.test(message.accent) ? message.accent : '#4f46e5');
        left = message.position === 'left';
        openLabel = message.labels.open;
        closeLabel = message.labels.close;
        const first = !ready;
        ready = true;
        // Said again when the language changes: only the labels change then, not the focus.
        if (!first) render();
        else {
          setOpen(isOpen);
          call(readyFns.splice(0));
        }
        break;
      }
      case 'unavailable':
        ready = false;
        render();
        break;
      case 'unread':
        if (message.count !== unread) {
          unread = message.count;
          render();
          call(unreadFns, unread);
        }
        break;
      case 'close':
        setOpen(false, true);
        break;
    }
  });

  const api: ParleyGlobal = function (command: string, ...args: unknown[]): void {
    switch (command) {
      case 'boot':
        boot = (args[0] as BootOptions | undefined) ?? {};
        if (frameSaidHello) send({ parley: 1, type: 'boot', boot });
        break;
      case 'shutdown':
        // Forget this browser's visitor (the site's logout); a later boot starts a new one.
        boot = null;
        ready = false;
        isOpen = false;
        render();
        if (frameSaidHello) send({ parley: 1, type: 'shutdown' });
        break;
      case 'open':
      case 'close':
        setOpen(command === 'open');
        break;
      case 'show':
      case 'hide':
        hidden = command === 'hide';
        render();
        break;
      case 'setLocale':
        if (typeof args[0] === 'string') {
          locale = args[0];
          if (frameSaidHello) send({ parley: 1, type: 'locale', locale });
        }
        break;
      case 'onReady':
        if (typeof args[0] === 'function') {
          if (ready) call([args[0] as Fn]);
          else readyFns.push(args[0] as Fn);
        }
        break;
      case 'onUnreadCountChange':
        if (typeof args[0] === 'function') unreadFns.push(args[0] as Fn);
        break;
      default:
        console.warn(`Parley: unknown command ${String(command)}`);
    }
  };
  api.loaded = true;

  const queued = w.Parley?.q ?? [];
  w.Parley = api;
  for (const args of queued) api(...(Array.from(args) as [string, ...unknown[]]));
  render();
  (document.body ?? document.documentElement).appendChild(host);
})();
