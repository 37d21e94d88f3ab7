import { resolveLocale } from '../i18n/index.ts';
import type { BootOptions } from '../shared/protocol.ts';
import { ApiError, type Api, type Attachment, type Contact, type Conversation, type Message, type PreChatField, type WidgetInfo } from './api.ts';
import type { SseEvent } from './sse.ts';
import type { VisitorStorage } from './storage.ts';

export type Phase = 'waiting' | 'starting' | 'ready' | 'unavailable';

export interface ChatState {
  phase: Phase;
  locale: string;
  open: boolean;
  view: 'chat' | 'list';
  widget: WidgetInfo | null;
  contact: Contact | null;
  conversations: Conversation[];
  /** The conversation shown; null while a new one is not started yet. */
  current: Conversation | null;
  messages: Message[];
  loading: boolean;
  /** The visitor's message is being answered. */
  sending: boolean;
  /** The operator typing now, by name. */
  typing: string | null;
  /** The newest message the team has read in the current conversation. */
  teamRead: number;
  /** A message key of the catalogue for a failure the visitor should know about. */
  error: 'error' | 'replyFailed' | 'tooLarge' | 'uploadFailed' | null;
  /** Files uploaded for the next message, shown in the composer until it is sent. */
  pending: Attachment[];
  uploading: boolean;
  preChatErrors: Record<string, string>;
  /** The email left for the current conversation after a handoff outside business hours. */
  leftEmail: string | null;
  csatDone: boolean;
  /** Bumped when the composer should take the focus (opening, starting a conversation). */
  focusTick: number;
}

export interface ControllerOptions {
  publicKey: string;
  api: Api;
  storage: VisitorStorage;
  /** Tells the loader (ready, unavailable, unread count). */
  notify(event: { type: 'ready' } | { type: 'unavailable' } | { type: 'unread'; count: number }): void;
}

const TYPING_REFRESH_MS = 3_000;
const TYPING_IDLE_MS = 5_000;
const TYPING_SHOWN_MS = 15_000;

/** The form fields before a first message: the channel's, and an email when it is required. */
export function preChatFields(widget: WidgetInfo, contact: Contact | null, emailLabel: string): PreChatField[] {
  const fields = [...widget.pre_chat.fields];
  if (widget.pre_chat.require_email && !contact?.email && !fields.some((f) => f.name === 'email')) {
    fields.unshift({ name: 'email', label: emailLabel, type: 'email', required: true });
  }
  return fields;
}

export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The chat's state and everything that changes it: the visitor session, the conversations, the
 * live stream, typing, read receipts and the unread count. The UI renders its state and calls its
 * actions; nothing here touches the DOM.
 */
export function createController({ publicKey, api, storage, notify }: ControllerOptions) {
  let state: ChatState = {
    phase: 'waiting',
    locale: resolveLocale([navigator.language]),
    open: false,
    view: 'chat',
    widget: null,
    contact: null,
    conversations: [],
    current: null,
    messages: [],
    loading: false,
    sending: false,
    typing: null,
    teamRead: 0,
    error: null,
    pending: [],
    uploading: false,
    preChatErrors: {},
    leftEmail: null,
    csatDone: false,
    focusTick: 0,
  };
  /** Object URLs of files already fetched, by their API url. */
  const fileUrls = new Map<string, Promise<string>>();
  const listeners = new Set<() => void>();
  let explicitLocale: string | null = null;
  let pageUrl = '';
  let bootOptions: BootOptions | null = null;
  let follow: AbortController | null = null;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let typingSentAt = 0;
  let shownTypingTimer: ReturnType<typeof setTimeout> | undefined;
  let lastUnread = -1;
  let generation = 0;

  function set(patch: Partial<ChatState>): void {
    state = { ...state, ...patch };
    for (const listener of listeners) listener();
    afterChange();
  }

  function afterChange(): void {
    const current = state.current;
    if (!current) return reportUnread(0);
    const others = state.messages.filter((m) => m.role !== 'user' && m.id > 0);
    const newest = others.length ? others[others.length - 1].id : 0;
    const visible = state.open && state.view === 'chat' && document.visibilityState === 'visible';
    let seen = storage.seen(current.id);
    if (seen === null) {
      // Never seen here (another device, or before this was kept): what came after the
      // visitor's own last message is new.
      const mine = state.messages.filter((m) => m.role === 'user' && m.id > 0);
      seen = mine.length ? mine[mine.length - 1].id : newest;
      storage.setSeen(current.id, seen);
    }
    if (visible && newest > seen && !state.loading) {
      storage.setSeen(current.id, newest);
      api.read(current.id, newest).catch(() => undefined);
      seen = newest;
    }
    reportUnread(others.filter((m) => m.id > seen!).length);
  }

  function reportUnread(count: number): void {
    if (count === lastUnread) return;
    lastUnread = count;
    notify({ type: 'unread', count });
  }

  function applyLocale(): void {
    set({ locale: resolveLocale([explicitLocale, state.widget?.locale, navigator.language]) });
  }

  // ── the visitor session ────────────────────────────────────────────────────────────────

  async function startSession(): Promise<void> {
    const mine = ++generation;
    // Identifying an open chat keeps it on screen while the session changes hands.
    if (state.phase !== 'ready') set({ phase: 'starting' });
    const body = (token: string | null) => ({
      public_key: publicKey,
      ...(token ? { visitor_token: token } : {}),
      ...(bootOptions?.user ? { user: bootOptions.user } : {}),
      ...(bootOptions?.attributes ? { attributes: bootOptions.attributes } : {}),
      page_url: pageUrl || undefined,
      locale: explicitLocale ?? navigator.language,
    });
    let session;
    const token = storage.token();
    try {
      try {
        session = await api.createSession(body(token));
      } catch (err) {
        // A token the server no longer takes (expired, revoked): start over as a new visitor. Not
        // when an identity was refused: that visitor's own history must not be dropped for it.
        if (!(err instanceof ApiError) || err.status !== 401 || !token || bootOptions?.user) throw err;
        session = await api.createSession(body(null));
      }
    } catch (err) {
      if (mine !== generation) return;
      console.warn('Parley: the chat is not available here:', err instanceof Error ? err.message : err);
      set({ phase: 'unavailable' });
      notify({ type: 'unavailable' });
      return;
    }
    if (mine !== generation) return;
    storage.setToken(session.visitor_token);
    set({ widget: session.widget, contact: session.contact });
    applyLocale();
    await loadConversations(true);
    if (mine !== generation) return;
    set({ phase: 'ready' });
    notify({ type: 'ready' });
  }

  async function loadConversations(pickCurrent: boolean): Promise<void> {
    try {
      const conversations = await api.conversations();
      set({ conversations });
      if (pickCurrent) {
        const active = conversations.find((c) => c.status === 'active');
        if (active) await showConversation(active);
        else resetToNew();
      }
    } catch {
      set({ error: 'error' });
    }
  }

  function resetToNew(): void {
    stopFollowing();
    set({ current: null, messages: [], pending: [], view: 'chat', typing: null, teamRead: 0, leftEmail: null, csatDone: false, preChatErrors: {}, error: null });
  }

  async function showConversation(conversation: Conversation): Promise<void> {
    stopFollowing();
    set({
      current: conversation,
      view: 'chat',
      loading: true,
      messages: [],
      pending: [],
      typing: null,
      teamRead: conversation.team_read_message_id ?? 0,
      leftEmail: storage.email(conversation.id),
      csatDone: conversation.csat !== null,
      error: null,
    });
    try {
      const messages = await api.messages(conversation.id);
      if (state.current?.id !== conversation.id) return;
      set({ messages: mergeAll(state.messages, messages), loading: false });
    } catch {
      set({ loading: false, error: 'error' });
    }
    startFollowing(conversation.id);
  }

  // ── messages ───────────────────────────────────────────────────────────────────────────

  function mergeAll(into: Message[], incoming: Message[]): Message[] {
    return incoming.reduce((list, m) => upsertInto(list, m), into);
  }

  /** Adds or updates a message by id; a message the server confirms replaces its local draft. */
  function upsertInto(list: Message[], message: Message): Message[] {
    let next = list;
    if (message.role === 'user') {
      const draft = next.findIndex((m) => m.id < 0 && m.content === message.content);
      if (draft !== -1) next = next.filter((_, i) => i !== draft);
    }
    const at = next.findIndex((m) => m.id === message.id);
    if (at !== -1) {
      const old = next[at];
      // A late partial never undoes a finished reply.
      if (old.status === 'completed' && message.status === 'streaming') return next;
      const copy = next.slice();
      copy[at] = { ...old, ...message };
      return copy;
    }
    return [...next, message].sort((a, b) => (a.id < 0 ? Infinity : a.id) - (b.id < 0 ? Infinity : b.id));
  }

  function upsert(message: Message): void {
    if (message.conversation_id && state.current && message.conversation_id !== state.current.id) return;
    set({ messages: upsertInto(state.messages, message) });
  }

  function patchMessage(id: number, patch: Partial<Message>): void {
    set({ messages: state.messages.map((m) => (m.id === id ? { ...m, ...patch } : m)) });
  }

  function updateConversation(conversation: Conversation): void {
    const list = state.conversations.some((c) => c.id === conversation.id)
      ? state.conversations.map((c) => (c.id === conversation.id ? { ...c, ...conversation } : c))
      : [conversation, ...state.conversations];
    const current = state.current?.id === conversation.id ? { ...state.current, ...conversation } : state.current;
    set({
      conversations: list,
      current,
      teamRead: current?.id === conversation.id ? Math.max(state.teamRead, conversation.team_read_message_id ?? 0) : state.teamRead,
      csatDone: current?.id === conversation.id ? state.csatDone || conversation.csat !== null : state.csatDone,
    });
  }

  function placeholderReply(id: number): Message {
    const previous = [...state.messages].reverse().find((m) => m.role === 'assistant');
    return {
      id,
      role: 'assistant',
      content: '',
      created_at: new Date().toISOString(),
      conversation_id: state.current?.id ?? '',
      status: 'streaming',
      author: previous?.author ?? null,
      sources: [],
      feedback: null,
    };
  }

  function parse<T>(event: SseEvent): T | null {
    try {
      return JSON.parse(event.data) as T;
    } catch {
      return null;
    }
  }

  // ── the live stream ────────────────────────────────────────────────────────────────────

  function startFollowing(conversationId: string): void {
    stopFollowing();
    const controller = new AbortController();
    follow = controller;
    void api.follow(
      conversationId,
      (event) => {
        if (controller.signal.aborted || state.current?.id !== conversationId) return;
        onLiveEvent(event);
      },
      controller.signal,
    );
  }

  function stopFollowing(): void {
    follow?.abort();
    follow = null;
  }

  function onLiveEvent(event: SseEvent): void {
    switch (event.event) {
      case 'message.created': {
        const message = parse<Message>(event);
        if (!message) return;
        upsert(message);
        if (message.role === 'operator' && state.typing) set({ typing: null });
        break;
      }
      case 'reply.delta': {
        const delta = parse<{ message_id: number; content: string }>(event);
        if (!delta) return;
        const existing = state.messages.find((m) => m.id === delta.message_id);
        upsert({ ...(existing ?? placeholderReply(delta.message_id)), content: delta.content, status: 'streaming' });
        break;
      }
      case 'conversation.updated': {
        const conversation = parse<Conversation>(event);
        if (conversation) updateConversation(conversation);
        break;
      }
      case 'read': {
        const read = parse<{ reader: string; message_id: number }>(event);
        if (read && read.reader === 'team') set({ teamRead: Math.max(state.teamRead, read.message_id) });
        break;
      }
      case 'typing': {
        const typing = parse<{ typing: boolean; name: string | null }>(event);
        if (!typing) return;
        clearTimeout(shownTypingTimer);
        if (typing.typing) {
          set({ typing: typing.name || '' });
          // A typist who vanishes without saying "stopped" is not shown typing for ever.
          shownTypingTimer = setTimeout(() => set({ typing: null }), TYPING_SHOWN_MS);
        } else set({ typing: null });
        break;
      }
    }
  }

  // ── actions ────────────────────────────────────────────────────────────────────────────

  async function ensureConversation(preChat?: Record<string, string>): Promise<Conversation> {
    if (state.current) return state.current;
    const conversation = await api.startConversation({
      ...(preChat ? { pre_chat: preChat } : {}),
      ...(pageUrl ? { page_url: pageUrl } : {}),
      ...(bootOptions?.attributes ? { attributes: bootOptions.attributes } : {}),
    });
    set({ current: conversation, conversations: [conversation, ...state.conversations.filter((c) => c.id !== conversation.id)], csatDone: false, leftEmail: null });
    storage.setSeen(conversation.id, 0);
    startFollowing(conversation.id);
    return conversation;
  }

  /** Uploads files for the next message (the conversation starts if it has not). */
  async function attach(files: File[]): Promise<void> {
    if (!files.length || state.uploading) return;
    set({ uploading: true, error: null });
    try {
      const conversation = await ensureConversation();
      const uploaded = await api.upload(conversation.id, files.slice(0, 10 - state.pending.length));
      if (state.current?.id === conversation.id) set({ pending: [...state.pending, ...uploaded] });
    } catch (err) {
      set({ error: err instanceof ApiError && err.status === 413 ? 'tooLarge' : 'uploadFailed' });
    } finally {
      set({ uploading: false });
    }
  }

  /** A file's object URL for <img> and downloads, fetched once with the visitor's token. */
  function fileUrl(url: string): Promise<string> {
    let found = fileUrls.get(url);
    if (!found) {
      found = api.file(url).then((blob) => URL.createObjectURL(blob));
      found.catch(() => fileUrls.delete(url));
      fileUrls.set(url, found);
    }
    return found;
  }

  async function send(text: string): Promise<boolean> {
    const content = text.trim();
    const files = state.pending;
    if ((!content && !files.length) || state.sending || state.uploading) return false;
    stopTyping();
    const draftId = -Date.now();
    set({ sending: true, error: null, pending: [] });
    let replyId: number | null = null;
    try {
      const conversation = await ensureConversation();
      upsert({ id: draftId, role: 'user', content, created_at: new Date().toISOString(), conversation_id: conversation.id, status: 'pending', author: null, sources: [], feedback: null, attachments: files });
      await api.send(conversation.id, content, files.map((f) => f.id), (event) => {
        if (state.current?.id !== conversation.id) return;
        switch (event.event) {
          case 'message.created': {
            const message = parse<Message>(event);
            if (message) upsert(message);
            break;
          }
          case 'stream.start': {
            const start = parse<{ message_id: number }>(event);
            if (!start) return;
            replyId = start.message_id;
            const existing = state.messages.find((m) => m.id === replyId);
            if (!existing) upsert(placeholderReply(replyId));
            break;
          }
          case 'stream.delta': {
            const delta = parse<{ delta: string }>(event);
            const reply = state.messages.find((m) => m.id === replyId);
            if (delta && reply && reply.status !== 'completed') patchMessage(reply.id, { content: reply.content + delta.delta });
            break;
          }
          case 'stream.end': {
            const end = parse<{ message_id: number; content: string; created_at: string; sources: Message['sources'] }>(event);
            if (end) {
              const reply = state.messages.find((m) => m.id === end.message_id) ?? placeholderReply(end.message_id);
              upsert({ ...reply, content: end.content, created_at: end.created_at, sources: end.sources ?? [], status: 'completed' });
            }
            break;
          }
          case 'error':
            if (replyId !== null) patchMessage(replyId, { status: 'failed' });
            set({ error: 'replyFailed' });
            break;
        }
      });
      return true;
    } catch {
      // The files stay ready to send again.
      set({ messages: state.messages.filter((m) => m.id !== draftId || !files.length).map((m) => (m.id === draftId ? { ...m, status: 'failed' } : m)), error: 'error', pending: files });
      return false;
    } finally {
      set({ sending: false });
    }
  }

  async function submitPreChat(values: Record<string, string>): Promise<void> {
    set({ preChatErrors: {} });
    try {
      await ensureConversation(values);
      set({ focusTick: state.focusTick + 1 });
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) {
        const errors: Record<string, string> = {};
        for (const [key, value] of Object.entries(err.details)) {
          const field = key.replace(/^pre_chat\./, '');
          errors[field] = Array.isArray(value) ? String(value[0]) : String(value);
        }
        set({ preChatErrors: Object.keys(errors).length ? errors : { _: err.message } });
      } else set({ error: 'error' });
    }
  }

  async function handoff(): Promise<void> {
    try {
      const conversation = await ensureConversation();
      updateConversation(await api.handoff(conversation.id));
    } catch {
      set({ error: 'error' });
    }
  }

  async function leaveEmail(email: string): Promise<boolean> {
    const current = state.current;
    if (!current) return false;
    try {
      updateConversation(await api.handoff(current.id, email));
      storage.setEmail(current.id, email);
      set({ leftEmail: email });
      return true;
    } catch {
      set({ error: 'error' });
      return false;
    }
  }

  async function feedback(message: Message, rating: 'like' | 'dislike'): Promise<void> {
    const next = message.feedback?.rating === rating ? null : rating;
    const previous = message.feedback;
    patchMessage(message.id, { feedback: next ? { rating: next, comment: null, created_at: new Date().toISOString() } : null });
    try {
      const saved = await api.feedback(message.conversation_id, message.id, next);
      patchMessage(message.id, { feedback: saved.feedback });
    } catch {
      patchMessage(message.id, { feedback: previous });
    }
  }

  async function rate(rating: number, comment: string): Promise<void> {
    const current = state.current;
    if (!current) return;
    try {
      updateConversation(await api.csat(current.id, rating, comment.trim() || undefined));
      set({ csatDone: true });
    } catch (err) {
      // Answered already (another tab): the survey is done either way.
      if (err instanceof ApiError && err.status === 409) set({ csatDone: true });
      else set({ error: 'error' });
    }
  }

  /** The visitor is typing: tell the team now and then, and that they stopped after a pause. */
  function visitorTyping(): void {
    const current = state.current;
    if (!current || current.status !== 'active') return;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
    if (Date.now() - typingSentAt < TYPING_REFRESH_MS) return;
    typingSentAt = Date.now();
    api.typing(current.id, true).catch(() => undefined);
  }

  function stopTyping(): void {
    clearTimeout(typingTimer);
    if (!typingSentAt || !state.current) return;
    typingSentAt = 0;
    api.typing(state.current.id, false).catch(() => undefined);
  }

  return {
    getState: () => state,
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** The loader's first word: how to start, in which language, on which page. */
    init(options: { boot: BootOptions | null; locale: string | null; pageUrl: string; open: boolean }): void {
      pageUrl = options.pageUrl;
      explicitLocale = options.locale;
      bootOptions = options.boot;
      set({ open: options.open });
      applyLocale();
      if (options.boot) void startSession();
    },
    /** `Parley('boot', …)`: a (new) identity; the server joins this browser's history to it. */
    boot(options: BootOptions): void {
      const same = JSON.stringify(options) === JSON.stringify(bootOptions) && state.phase === 'ready';
      bootOptions = options;
      if (!same) void startSession();
    },
    /** `Parley('shutdown')`: the site's logout; this browser's visitor is forgotten. */
    async shutdown(): Promise<void> {
      generation++;
      stopTyping();
      stopFollowing();
      const hadToken = storage.token();
      bootOptions = null;
      if (hadToken) await api.endSession().catch(() => undefined);
      storage.clear();
      lastUnread = -1;
      set({ phase: 'waiting', conversations: [], current: null, messages: [], contact: null, open: false, view: 'chat' });
    },
    setLocale(locale: string): void {
      explicitLocale = locale;
      applyLocale();
    },
    setOpen(open: boolean): void {
      if (open !== state.open) set({ open, focusTick: open ? state.focusTick + 1 : state.focusTick });
      if (!open) stopTyping();
    },
    /** The page was shown or hidden (another tab): messages read only while it is seen. */
    visibilityChanged: () => afterChange(),
    showList(): void {
      stopTyping();
      set({ view: 'list' });
      void loadConversations(false);
    },
    newConversation(): void {
      stopTyping();
      resetToNew();
      set({ focusTick: state.focusTick + 1 });
    },
    openConversation(conversation: Conversation): Promise<void> {
      return showConversation(conversation).then(() => set({ focusTick: state.focusTick + 1 }));
    },
    send,
    attach,
    unattach: (id: string) => set({ pending: state.pending.filter((a) => a.id !== id) }),
    fileUrl,
    submitPreChat,
    handoff,
    leaveEmail,
    feedback,
    rate,
    visitorTyping,
    dismissError: () => set({ error: null }),
  };
}

export type Controller = ReturnType<typeof createController>;
