/**
 * Open long-lived streams (the events feed never ends by itself), so that a graceful shutdown can
 * end them; otherwise closing the server would wait on them forever.
 */
export function createStreamRegistry() {
  const open = new Set<() => void>();
  return {
    /** Registers a stream's closer; returns the function to call when the stream ends on its own. */
    add(close: () => void): () => void {
      open.add(close);
      return () => open.delete(close);
    },
    closeAll(): void {
      for (const close of [...open]) close();
      open.clear();
    },
    get size(): number {
      return open.size;
    },
  };
}

export type StreamRegistry = ReturnType<typeof createStreamRegistry>;

/** A comment line this often keeps an idle stream open through proxies. */
const HEARTBEAT_MS = 15_000;

/**
 * Keeps an open Server-Sent Events stream alive until it ends: a heartbeat comment every 15 s,
 * and `cleanup` run exactly once, whether the client goes away or the server shuts down (which
 * also ends the stream, so that the client reconnects elsewhere with its Last-Event-ID).
 */
export function holdOpen(
  streams: StreamRegistry,
  sse: { comment(text: string): void; end(): void },
  connection: { request: { raw: NodeJS.EventEmitter }; reply: { raw: NodeJS.EventEmitter } },
  cleanup: () => void,
): void {
  const heartbeat = setInterval(() => sse.comment('heartbeat'), HEARTBEAT_MS);
  heartbeat.unref();
  let done = false;
  let forget = () => {};
  const close = () => {
    if (done) return;
    done = true;
    clearInterval(heartbeat);
    forget();
    cleanup();
  };
  forget = streams.add(() => {
    close();
    sse.end();
  });
  connection.reply.raw.on('close', close);
  connection.request.raw.on('close', close);
}
