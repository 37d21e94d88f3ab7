import { describe, expect, it } from 'vitest';
import { byline, previewPrefix, shortName, type Authored } from '../../web/src/inbox/authors.ts';

const ME = '0190a000-0000-7000-8000-000000000001';
const TOM = '0190a000-0000-7000-8000-000000000002';
const TEAM = ['Maya Chen', 'Tom Becker', 'Tom Ruiz', 'Priya Raman'];

const msg = (role: Authored['role'], type: Authored['author']['type'], id: string | number | null, name: string | null): Authored => ({
  role,
  author_id: type === 'member' ? (id as string) : null,
  author: { type, id, name },
});

describe('who wrote a message, as the inbox says it', () => {
  it('calls your own messages "You" and a teammate by the name they wrote under', () => {
    expect(byline(msg('operator', 'member', ME, 'Maya Chen'), ME, 'Alice')).toEqual({ name: 'You', tag: null, own: true });
    expect(byline(msg('operator', 'member', TOM, 'Tom Becker'), ME, 'Alice')).toEqual({ name: 'Tom Becker', tag: null, own: false });
    expect(byline(msg('note', 'member', TOM, 'Tom Becker'), ME, 'Alice').name).toBe('Tom Becker');
  });

  it('names the AI agent, an integration and an automation for what they are', () => {
    expect(byline(msg('assistant', 'agent', 'a1', 'Support Agent'), ME, 'Alice')).toEqual({ name: 'Support Agent', tag: 'AI', own: false });
    expect(byline(msg('operator', 'api_key', 'k1', 'Helpdesk sync'), ME, 'Alice')).toEqual({ name: 'Helpdesk sync', tag: 'Integration', own: false });
    expect(byline(msg('operator', 'system', null, 'Automation'), ME, 'Alice').name).toBe('Automation');
  });

  it('shows the contact by the name the conversation shows', () => {
    expect(byline(msg('user', 'contact', 7, 'A. Martin'), ME, 'Alice Martin').name).toBe('Alice Martin');
  });
});

describe('the last message in the conversation list', () => {
  it('says "You:" only for your own, else the teammate’s first name', () => {
    expect(previewPrefix(msg('operator', 'member', ME, 'Maya Chen'), ME, TEAM)).toBe('You: ');
    expect(previewPrefix(msg('operator', 'member', 'p', 'Priya Raman'), ME, TEAM)).toBe('Priya: ');
  });

  it('keeps the whole name when two teammates share a first name', () => {
    expect(shortName('Tom Becker', TEAM)).toBe('Tom Becker');
    expect(previewPrefix(msg('operator', 'member', TOM, 'Tom Becker'), ME, TEAM)).toBe('Tom Becker: ');
  });

  it('puts nothing before the contact’s words, the agent’s name before the AI’s, and marks notes', () => {
    expect(previewPrefix(msg('user', 'contact', 7, 'Alice'), ME, TEAM)).toBe('');
    expect(previewPrefix(msg('assistant', 'agent', 'a1', 'Support Agent'), ME, TEAM)).toBe('Support Agent: ');
    expect(previewPrefix(msg('note', 'member', 'p', 'Priya Raman'), ME, TEAM)).toBe('Priya (note): ');
    expect(previewPrefix(msg('note', 'member', ME, 'Maya Chen'), ME, TEAM)).toBe('You (note): ');
  });
});
