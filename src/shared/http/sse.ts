import type { FastifyReply } from 'fastify';

export interface SseWriter {
  /** Sends one event; a no-op once the client has gone. */
  send(event: string, data: unknown, id?: string | number): void;
  comment(text: string): void;
  readonly closed: boolean;
  end(): void;
}

/**
 * Takes the response over from Fastify and opens a Server-Sent Events stream. Everything that can
 * fail with a JSON error must have happened before this is called.
 */
export function openSse(reply: FastifyReply): SseWriter {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': String(reply.request.id),
  });
  res.flushHeaders();
  const gone = () => res.destroyed || res.writableEnded;
  return {
    send(event, data, id) {
      if (gone()) return;
      res.write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    comment(text) {
      if (!gone()) res.write(`: ${text}\n\n`);
    },
    get closed() {
      return gone();
    },
    end() {
      if (!gone()) res.end();
    },
  };
}
