/** One Server-Sent Event as the widget reads it. */
export interface SseEvent {
  event: string;
  data: string;
  id: string | null;
}

/**
 * An incremental Server-Sent Events parser (the WHATWG rules the widget needs: `event`, `data`
 * over several lines, `id`, comments, any line ending). EventSource cannot send the visitor's
 * Authorization header, so the frame reads streams with fetch and feeds their text here.
 */
export function createSseParser(): { push(chunk: string): SseEvent[]; lastEventId(): string | null } {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | null = null;
  let lastId: string | null = null;
  return {
    push(chunk) {
      buffer += chunk;
      const out: SseEvent[] = [];
      let nl: number;
      while ((nl = buffer.search(/\r\n|\r|\n/)) !== -1) {
        // A lone \r at the very end may be the first half of \r\n: wait for more.
        if (buffer[nl] === '\r' && nl === buffer.length - 1) break;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
        if (line === '') {
          if (data.length) {
            if (id !== null) lastId = id;
            out.push({ event: event || 'message', data: data.join('\n'), id });
          }
          event = '';
          data = [];
          id = null;
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        let value = colon === -1 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
        else if (field === 'id' && !value.includes('\u0000')) id = value;
      }
      return out;
    },
    lastEventId: () => lastId,
  };
}
