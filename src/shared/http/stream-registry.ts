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
