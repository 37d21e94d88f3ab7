import { describe, expect, it } from 'vitest';
import { createSseParser } from '../../widget/src/frame/sse.ts';

describe('the widget’s Server-Sent Events reader', () => {
  it('reads events split anywhere across chunks, with ids, comments and multi-line data', () => {
    const parser = createSseParser();
    const text = ': heartbeat\n\nid: 7\nevent: message.created\ndata: {"a":\ndata: 1}\n\nevent: stream.delta\ndata: {"delta":"Hi"}\r\n\r\n';
    const events = [];
    for (let i = 0; i < text.length; i += 3) events.push(...parser.push(text.slice(i, i + 3)));
    expect(events).toEqual([
      { event: 'message.created', data: '{"a":\n1}', id: '7' },
      { event: 'stream.delta', data: '{"delta":"Hi"}', id: null },
    ]);
    // The last id seen is what a reconnection sends as Last-Event-ID.
    expect(parser.lastEventId()).toBe('7');
  });

  it('waits for the end of an event before handing it over', () => {
    const parser = createSseParser();
    expect(parser.push('event: typing\ndata: {"typing":true}\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'typing', data: '{"typing":true}', id: null }]);
    expect(parser.push('data: plain\r')).toEqual([]);
    expect(parser.push('\n\r\n')).toEqual([{ event: 'message', data: 'plain', id: null }]);
  });
});
