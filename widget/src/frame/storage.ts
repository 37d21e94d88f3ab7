/**
 * The frame's storage on Parley's origin (partitioned per site by the browser). Some browsers
 * refuse storage to third-party frames; then the visitor is remembered for this page view only.
 */
const memory = new Map<string, string>();

function get(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return memory.get(key) ?? null;
  }
}

function set(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    if (value === null) memory.delete(key);
    else memory.set(key, value);
  }
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

/** Everything the frame remembers about one channel's visitor in this browser. */
export function createVisitorStorage(publicKey: string) {
  const prefix = `parley:${publicKey}:`;
  return {
    token(): string | null {
      const raw = get(`${prefix}token`);
      if (!raw) return null;
      try {
        const { token, expires } = JSON.parse(raw) as { token: string; expires: number };
        if (typeof token === 'string' && token.startsWith('vt_') && expires > Date.now()) return token;
      } catch {
        // an old or damaged entry: forget it
      }
      set(`${prefix}token`, null);
      return null;
    },
    /** Kept for a year from the last visit, like the session on the server. */
    setToken(token: string | null): void {
      set(`${prefix}token`, token === null ? null : JSON.stringify({ token, expires: Date.now() + YEAR_MS }));
    },
    /** The newest message of a conversation the visitor has seen (for the unread count). */
    seen(conversationId: string): number | null {
      const value = Number(get(`${prefix}seen:${conversationId}`));
      return Number.isFinite(value) && value > 0 ? value : null;
    },
    setSeen(conversationId: string, messageId: number): void {
      set(`${prefix}seen:${conversationId}`, String(messageId));
    },
    /** The email left for a conversation handed over outside business hours. */
    email(conversationId: string): string | null {
      return get(`${prefix}email:${conversationId}`);
    },
    setEmail(conversationId: string, email: string): void {
      set(`${prefix}email:${conversationId}`, email);
    },
    /** Forgets this visitor entirely (the site's shutdown). */
    clear(): void {
      try {
        for (const key of Object.keys(localStorage)) if (key.startsWith(prefix)) localStorage.removeItem(key);
      } catch {
        for (const key of [...memory.keys()]) if (key.startsWith(prefix)) memory.delete(key);
      }
    },
  };
}

export type VisitorStorage = ReturnType<typeof createVisitorStorage>;
