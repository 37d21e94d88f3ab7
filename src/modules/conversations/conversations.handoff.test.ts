import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type TestSession } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';
import { asksForAPerson } from '../../ai/builtin/handoff.js';
import { summarizeForHandoff, titleFrom } from './conversations.handoff.js';

interface Message {
  id: number;
  role: string;
  content: string;
  author: { type: string; name: string | null };
}
interface Conversation {
  id: string;
  mode: string;
  team_id: string | null;
  assignee_id: string | null;
  handoff: { source: string; reason: string | null } | null;
}

describe('recognising a request for a person', () => {
  it('hears it in English, German, French and Spanish', () => {
    for (const text of [
      'Can I talk to a human please?',
      'I want to speak to someone',
      'get me a real person!!',
      'Connect me to an agent',
      'Ich möchte mit einem Mitarbeiter sprechen',
      'Kann ich mit einem Menschen reden?',
      'Je voudrais parler à un conseiller',
      'Puis-je parler avec quelqu’un ?',
      'Quiero hablar con una persona',
      'necesito un agente',
    ]) {
      expect(asksForAPerson(text), text).toBe(true);
    }
  });
  it('does not hear it in ordinary questions', () => {
    for (const text of ['Can a person return items bought online?', 'Is my personal data safe?', 'How do I talk to my bank about a refund?', 'Wie lange dauert der Versand?', 'Human sizes only?']) {
      expect(asksForAPerson(text), text).toBe(false);
    }
  });
});

describe('the summary note', () => {
  it('says who handed over and why, what is still open and what was answered', () => {
    const text = summarizeForHandoff(
      [
        { role: 'user', content: 'How long does shipping take?' },
        { role: 'assistant', content: 'Shipping takes 3 days.' },
        { role: 'user', content: 'Can I pay with crypto?' },
        { role: 'assistant', content: "I'm sorry, I couldn't find an answer to that in our help articles. Could you rephrase?" },
        { role: 'user', content: 'And gift wrapping?' },
      ],
      { source: 'ai', reason: 'The AI could not answer 2 questions in a row' },
    );
    expect(text).toBe(
      [
        'Handed over by the AI agent: The AI could not answer 2 questions in a row',
        '',
        'Still open (not answered):',
        '- “Can I pay with crypto?”',
        '- “And gift wrapping?”',
        '',
        'Answered:',
        '- “How long does shipping take?”',
      ].join('\n'),
    );
  });
});

describe('titles from a first message', () => {
  it('takes the first line, cut at a word', () => {
    expect(titleFrom('  Where is my\norder?  ')).toBe('Where is my order?');
    expect(titleFrom('My parcel from last Tuesday never arrived and the tracking link shows nothing at all since')).toBe(
      'My parcel from last Tuesday never arrived and the tracking…',
    );
    expect(titleFrom('   ')).toBeNull();
  });
});

describe.each(DIALECTS)('handing a conversation to a person on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true });
    admin = await login(t);
  });
  afterAll(async () => t.close());

  async function conversation(): Promise<string> {
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', {});
    return (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id })).body.data.id;
  }
  const ask = (id: string, content: string) => api<{ data: { assistant_message: Message | null } }>(t, 'POST', `/api/v1/conversations/${id}/messages`, { content });
  const view = async (id: string) => (await api<{ data: Conversation }>(t, 'GET', `/api/v1/conversations/${id}`)).body.data;
  const messagesOf = async (id: string) =>
    (await api<{ data: Message[] }>(t, 'GET', `/api/v1/conversations/${id}/messages?limit=100`, undefined, admin.headers)).body.data;

  it('hands over when the customer asks for a person: manual, a summary note, the customer told what next', async () => {
    const id = await conversation();
    await ask(id, 'How long does shipping take?');
    const res = await ask(id, 'Ich möchte mit einem Mitarbeiter sprechen');
    expect(res.body.data.assistant_message!.content).toContain('member of our team');
    expect(await view(id)).toMatchObject({ mode: 'manual', handoff: { source: 'ai', reason: 'The customer asked for a person' } });
    const all = await messagesOf(id);
    const note = all.find((m) => m.role === 'note')!;
    expect(note.author).toMatchObject({ type: 'system', name: 'Parley' });
    expect(note.content).toContain('Handed over by the AI agent: The customer asked for a person');
    expect(note.content).toContain('“How long does shipping take?”');
    const last = all.at(-1)!;
    expect(last).toMatchObject({ role: 'assistant', author: { type: 'agent', name: 'Demo Support Agent' } });
    expect(last.content).toContain('We typically reply within a few hours.');
    // The API key's view never has the note.
    const byKey = await api<{ data: Message[] }>(t, 'GET', `/api/v1/conversations/${id}/messages?limit=100`);
    expect(byKey.body.data.map((m) => m.role)).not.toContain('note');
    // No AI reply after that.
    expect((await ask(id, 'Hello?')).body.data.assistant_message).toBeNull();
    const events = await api<{ data: Array<{ data: { conversation: { id: string } } }> }>(t, 'GET', '/api/v1/events?after=0&limit=100&type=conversation.handoff');
    expect(events.body.data.filter((e) => e.data.conversation.id === id)).toHaveLength(1);
  });

  it('hands over after two questions in a row it could not answer, as the agent is set (0 = never)', async () => {
    const id = await conversation();
    const first = await ask(id, 'Do you sell submarines with zebra stripes?');
    expect((await view(id)).mode).toBe('ai');
    expect(first.body.data.assistant_message!.content).toContain('rephrase');
    await ask(id, 'What about quantum banjo polish?');
    expect(await view(id)).toMatchObject({ mode: 'manual', handoff: { source: 'ai', reason: 'The AI could not answer 2 questions in a row' } });
    const note = (await messagesOf(id)).find((m) => m.role === 'note')!;
    expect(note.content).toContain('Still open (not answered):');
    expect(note.content).toContain('“What about quantum banjo polish?”');

    const patched = await api<{ data: { handoff_after_declines: number } }>(t, 'PATCH', `/api/v1/agents/${t.workspace.agentId}`, { handoff_after_declines: 0 });
    expect(patched.body.data.handoff_after_declines).toBe(0);
    try {
      const never = await conversation();
      for (const q of ['Zebra submarines?', 'Quantum banjo polish?', 'Marmalade satellites?']) await ask(never, q);
      expect((await view(never)).mode).toBe('ai');
    } finally {
      await api(t, 'PATCH', `/api/v1/agents/${t.workspace.agentId}`, { handoff_after_declines: 2 });
    }
    expect((await api(t, 'PATCH', `/api/v1/agents/${t.workspace.agentId}`, { handoff_after_declines: -1 })).status).toBe(400);
  });

  it('lets an operator or an integration hand over, routed to the agent’s default team, and says when the team is back', async () => {
    const team = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/teams', { name: 'Humans' });
    await api(t, 'PATCH', `/api/v1/agents/${t.workspace.agentId}`, { default_team_id: team.body.data.id });
    try {
      const byMember = await conversation();
      await ask(byMember, 'How long does shipping take?');
      const res = await api<{ data: Conversation }>(t, 'POST', `/api/v1/conversations/${byMember}/handoff`, { reason: 'VIP customer' }, admin.headers);
      expect(res.body.data).toMatchObject({ mode: 'manual', team_id: team.body.data.id, handoff: { source: 'operator', reason: 'VIP customer' } });
      const again = await api<{ data: Conversation }>(t, 'POST', `/api/v1/conversations/${byMember}/handoff`, {}, admin.headers);
      expect(again.body.data.handoff!.reason).toBe('VIP customer');
      expect((await messagesOf(byMember)).filter((m) => m.role === 'note')).toHaveLength(1);

      // Closed all week: the customer is told when the team is back.
      await api(t, 'POST', '/api/v1/settings/workspace', { business_hours: { enabled: true, timezone: 'UTC', days: { mon: [['09:00', '17:00']] } } }, admin.headers);
      const byKey = await conversation();
      const handed = await api<{ data: Conversation }>(t, 'POST', `/api/v1/conversations/${byKey}/handoff`, {});
      expect(handed.body.data.handoff!.source).toBe('api');
      const told = (await messagesOf(byKey)).at(-1)!;
      expect(told.role).toBe('assistant');
      const online = (await api<{ data: { online: boolean } }>(t, 'GET', '/api/v1/settings/workspace')).body.data.online;
      expect(told.content).toContain(online ? 'We typically reply within' : 'back Monday at 09:00');
      expect((await api(t, 'POST', `/api/v1/conversations/${byKey}/handoff`, { reason: '' })).status).toBe(400);
      const ended = await conversation();
      await api(t, 'POST', `/api/v1/conversations/${ended}/end`);
      expect((await api(t, 'POST', `/api/v1/conversations/${ended}/handoff`, {})).status).toBe(422);
    } finally {
      await api(t, 'PATCH', `/api/v1/agents/${t.workspace.agentId}`, { default_team_id: null });
      await api(t, 'POST', '/api/v1/settings/workspace', { business_hours: null }, admin.headers);
    }
  });

  it('names a conversation from its first question and sums it up when it ends, unless set through the API', async () => {
    const id = await conversation();
    await ask(id, 'How long does shipping take to Norway?');
    await ask(id, 'And can I pay by invoice?');
    expect((await api<{ data: { title: string } }>(t, 'GET', `/api/v1/conversations/${id}`)).body.data.title).toBe('How long does shipping take to Norway?');
    await api(t, 'POST', `/api/v1/conversations/${id}/messages`, { role: 'operator', content: 'Yes, invoices are fine.' }, admin.headers);
    const ended = await api<{ data: { summary: string } }>(t, 'POST', `/api/v1/conversations/${id}/end`);
    expect(ended.body.data.summary).toMatch(/^The customer asked “How long does shipping take to Norway\?” and 1 more message\. The AI replied 2 times/);
    expect(ended.body.data.summary).toContain('Answered by Admin.');

    const named = await conversation();
    await api(t, 'PATCH', `/api/v1/conversations/${named}`, { title: 'VIP order', summary: 'Set by our CRM' });
    await ask(named, 'Where is my order?');
    const kept = await api<{ data: { title: string; summary: string } }>(t, 'POST', `/api/v1/conversations/${named}/end`);
    expect(kept.body.data).toMatchObject({ title: 'VIP order', summary: 'Set by our CRM' });
  });
});
