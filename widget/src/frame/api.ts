import { createSseParser, type SseEvent } from './sse.ts';

/** What the visitor API answers (issue 14's visitor shapes). */
export interface PreChatField {
  name: string;
  label: string;
  type: 'text' | 'email' | 'select';
  options?: string[];
  required: boolean;
}
export interface WidgetInfo {
  title: string;
  greeting: string;
  accent_color: string;
  position: 'left' | 'right';
  locale: string;
  pre_chat: { enabled: boolean; require_email: boolean; fields: PreChatField[] };
  online: boolean;
  next_online_at: string | null;
  reply_time: 'minutes' | 'hours' | 'day';
}
export interface Contact {
  id: number;
  name: string | null;
  email: string | null;
  verified: boolean;
}
export interface Session {
  visitor_token: string;
  contact: Contact;
  widget: WidgetInfo;
}
export interface Source {
  title: string | null;
  url: string | null;
}
/** A file on a message (or uploaded for the next one); `url` needs the visitor's token. */
export interface Attachment {
  id: string;
  filename: string;
  content_type: string;
  size: number;
  url: string;
}
export interface Message {
  id: number;
  role: 'user' | 'assistant' | 'operator';
  content: string;
  created_at: string;
  conversation_id: string;
  status: 'pending' | 'streaming' | 'completed' | 'failed';
  author: { type: 'contact' | 'agent' | 'member'; name: string | null } | null;
  sources: Source[];
  feedback: { rating: 'like' | 'dislike' | null; comment: string | null; created_at: string } | null;
  attachments?: Attachment[];
}
export interface Conversation {
  id: string;
  status: 'active' | 'ended';
  mode: 'ai' | 'manual';
  title: string | null;
  created_at: string;
  updated_at: string;
  ended_at: string | null;
  last_message_at: string | null;
  handoff: { at: string; source: string; reason: string | null } | null;
  csat: { rating: number; comment: string | null; at: string } | null;
  team_read_message_id: number | null;
  last_message: Message | null;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
}

const BASE = '/api/v1/widget';

/**
 * The visitor API on Parley's own origin (the frame is served from it, so no CORS is involved),
 * authenticated by the visitor's token.
 */
export function createApi(getToken: () => string | null) {
  function headers(json: boolean, extra: Record<string, string> = {}): Record<string, string> {
    const token = getToken();
    return { ...(json ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra };
  }

  async function fail(res: Response): Promise<never> {
    let body: { error?: { code?: string; message?: string; details?: Record<string, unknown> } } = {};
    try {
      body = await res.json();
    } catch {
      // not JSON: a proxy's page
    }
    throw new ApiError(res.status, body.error?.code ?? 'HTTP_ERROR', body.error?.message ?? res.statusText, body.error?.details ?? {});
  }

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(BASE + path, { method, headers: headers(body !== undefined), body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) return fail(res);
    if (res.status === 204) return undefined as T;
    return ((await res.json()) as { data: T }).data;
  }

  /** Reads an SSE answer to its end, handing each event to `onEvent`. */
  async function readStream(res: Response, onEvent: (event: SseEvent) => void, parser = createSseParser()): Promise<void> {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const event of parser.push(value)) onEvent(event);
    }
  }

  return {
    createSession: (body: Record<string, unknown>) =>
      fetch(`${BASE}/sessions`, { method: 'POST', headers: headers(true, {}), body: JSON.stringify(body) }).then(async (res) =>
        res.ok ? ((await res.json()) as { data: Session }).data : fail(res),
      ),
    endSession: () => request<void>('DELETE', '/sessions/current'),
    conversations: () => request<Conversation[]>('GET', '/conversations?limit=50'),
    startConversation: (body: Record<string, unknown>) => request<Conversation>('POST', '/conversations', body),
    messages: (id: string) => request<Message[]>('GET', `/conversations/${id}/messages?limit=100`),
    typing: (id: string, typing: boolean) => request<void>('POST', `/conversations/${id}/typing`, { typing }),
    read: (id: string, messageId: number) => request<void>('POST', `/conversations/${id}/read`, { message_id: messageId }),
    handoff: (id: string, email?: string) => request<Conversation>('POST', `/conversations/${id}/handoff`, email ? { email } : {}),
    feedback: (id: string, messageId: number, rating: 'like' | 'dislike' | null) =>
      request<Message>('POST', `/conversations/${id}/messages/${messageId}/feedback`, { rating }),
    csat: (id: string, rating: number, comment?: string) => request<Conversation>('POST', `/conversations/${id}/csat`, comment ? { rating, comment } : { rating }),

    /** Uploads files for the visitor's next message (multipart, the field `file`). */
    async upload(id: string, files: File[]): Promise<Attachment[]> {
      const form = new FormData();
      for (const file of files) form.append('file', file, file.name);
      const res = await fetch(`${BASE}/conversations/${id}/attachments`, { method: 'POST', headers: headers(false), body: form });
      if (!res.ok) return fail(res);
      return ((await res.json()) as { data: Attachment[] }).data;
    },

    /** A file's bytes: an <img> or a link cannot send the visitor's token, so it is fetched. */
    async file(url: string): Promise<Blob> {
      const res = await fetch(url, { headers: headers(false) });
      if (!res.ok) return fail(res);
      return res.blob();
    },

    /** Posts the visitor's message and reads the agent's reply as it is written. */
    async send(id: string, content: string, attachmentIds: string[], onEvent: (event: SseEvent) => void): Promise<void> {
      const res = await fetch(`${BASE}/conversations/${id}/messages`, {
        method: 'POST',
        headers: headers(true, { accept: 'text/event-stream' }),
        body: JSON.stringify({ content, stream: true, ...(attachmentIds.length ? { attachment_ids: attachmentIds } : {}) }),
      });
      if (!res.ok) return fail(res);
      if (!(res.headers.get('content-type') ?? '').includes('text/event-stream')) {
        // A person has taken over: the answer is JSON with no assistant message to stream.
        const data = ((await res.json()) as { data: { user_message: Message; assistant_message: Message | null } }).data;
        onEvent({ event: 'message.created', data: JSON.stringify(data.user_message), id: null });
        if (data.assistant_message) onEvent({ event: 'message.created', data: JSON.stringify(data.assistant_message), id: null });
        return;
      }
      await readStream(res, onEvent);
    },

    /**
     * Follows the conversation's live stream until `signal` aborts; reconnects after a drop with
     * Last-Event-ID so nothing in between is missed.
     */
    async follow(id: string, onEvent: (event: SseEvent) => void, signal: AbortSignal): Promise<void> {
      let lastId: string | null = null;
      let delay = 1_000;
      while (!signal.aborted) {
        const parser = createSseParser();
        try {
          const res = await fetch(`${BASE}/conversations/${id}/stream`, {
            headers: headers(false, { accept: 'text/event-stream', ...(lastId ? { 'last-event-id': lastId } : {}) }),
            signal,
          });
          if (res.status === 401 || res.status === 403 || res.status === 404) return;
          if (!res.ok) throw new Error(`stream answered ${res.status}`);
          delay = 1_000;
          await readStream(res, onEvent, parser);
        } catch {
          if (signal.aborted) return;
        } finally {
          lastId = parser.lastEventId() ?? lastId;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 30_000);
      }
    },
  };
}

export type Api = ReturnType<typeof createApi>;
