import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Past the body limit, how much more of a refused body is read and dropped so that the client,
 * still sending, gets to read the 413 instead of a reset. A body declared larger than that is
 * refused and its connection closed (Fastify's own behaviour), as is one that keeps coming.
 */
export const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Fastify answers a body over the limit with `Connection: close` before reading it; closing a
 * socket with unread bytes makes the kernel reset it, and a client still writing its body (most
 * do before they read) never sees the answer. So, within DRAIN_LIMIT_BYTES, the connection stays
 * open: Node reads the rest of the body and drops it, and then the client reads the 413 and may
 * even send its next request on the same connection.
 */
export function drainRefusedBody(request: FastifyRequest, reply: FastifyReply): void {
  const raw = request.raw;
  if (raw.complete) return;
  const declared = Number(request.headers['content-length']);
  if (declared > DRAIN_LIMIT_BYTES) return;
  reply.removeHeader('connection');
  if (Number.isNaN(declared)) {
    // A chunked body has no announced end: count what is dropped, and cut off one that exceeds the limit.
    let dropped = 0;
    raw.on('data', (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > DRAIN_LIMIT_BYTES) raw.socket.destroy();
    });
  }
  // Node's own keep-alive path reads an unread body to its end and drops it once the answer is sent;
  // one Fastify had started reading is already flowing to no one.
}

const CLIENT_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
    message: 'The request line or headers are too large: send a shorter URL (put long values in a body) or fewer, smaller headers',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'REQUEST_TIMEOUT', message: 'The request took too long to arrive' },
  ERR_HTTP_HEADERS_TIMEOUT: { status: 408, code: 'REQUEST_TIMEOUT', message: 'The request headers took too long to arrive' },
};

const answered = new WeakSet<Duplex>();

/**
 * Requests Node's HTTP parser refuses before any route runs (headers or a URL over the header
 * size limit, malformed requests, timeouts) answer in the error envelope, like every other
 * refusal, instead of Node's or Fastify's own shape. The answer is written whole, then the
 * connection is half-closed and what the client still sends is read and dropped for a moment, so
 * that it is not reset before the client reads the answer.
 */
export function handleClientError(err: NodeJS.ErrnoException, socket: Duplex, answering?: (status: number) => void): void {
  if (err.code === 'ECONNRESET' || socket.destroyed || answered.has(socket)) return;
  answered.add(socket);
  const known = (err.code && CLIENT_ERRORS[err.code]) || {
    status: 400,
    code: 'BAD_REQUEST',
    message: 'The request could not be read as HTTP',
  };
  answering?.(known.status);
  const body = JSON.stringify({ error: { code: known.code, message: known.message, details: {} } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${known.status} ${http.STATUS_CODES[known.status]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'X-Content-Type-Options: nosniff\r\n' +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  // Read-and-drop what is still coming, with an upper bound on both time and bytes.
  let dropped = 0;
  socket.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DRAIN_LIMIT_BYTES) socket.destroy();
  });
  socket.on('error', () => {});
  socket.end();
  setTimeout(() => socket.destroy(), 5_000).unref();
  socket.resume();
}
