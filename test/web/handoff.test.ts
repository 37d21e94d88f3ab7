import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumMissing, DESKTOP, ensureWebBuild, launchChromium, newPage, screenshot, signIn } from './browser.js';
import { startParley, type MemberSession, type Parley } from './parley.js';

interface Conversation {
  id: string;
  mode: 'ai' | 'manual';
  handoff: { source: string; reason: string | null } | null;
  waiting_since: string | null;
}

/** The body of the latest handoff note (after its "Handed over by …" line), as the server wrote it. */
async function noteBody(member: MemberSession, id: string): Promise<string> {
  // Internal notes are for members: an API key does not read them.
  const messages = (await member.call<{ data: Array<{ role: string; content: string; author: { type: string } }> }>('GET', `/api/v1/conversations/${id}/messages?limit=100`)).data;
  const note = [...messages].reverse().find((m) => m.role === 'note' && m.author.type === 'system' && m.content.startsWith('Handed over by'));
  if (!note) throw new Error(`no handoff note in ${JSON.stringify(messages)}`);
  return note.content.split('\n').slice(1).join('\n').trim();
}

const skip = chromiumMissing();
if (skip) console.warn(skip);

/**
 * Issue 15 in the inbox, against a real `parley serve`: the AI hands a conversation over, the
 * person picking it up reads why and what is still open, and finds it among those waiting.
 */
describe.skipIf(skip !== null)('handing over to a person, in Chromium', () => {
  let parley: Parley;
  let admin: MemberSession;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let handedOver: string;
  let aiAnswering: string;

  async function startConversation(email: string, name: string): Promise<string> {
    const contact = await parley.call<{ data: { id: number } }>('POST', '/api/v1/contacts', { email, name });
    return (await parley.call<{ data: Conversation }>('POST', '/api/v1/conversations', { contact_id: contact.data.id })).data.id;
  }
  const conversationOf = async (id: string) => (await parley.call<{ data: Conversation }>('GET', `/api/v1/conversations/${id}`)).data;

  beforeAll(async () => {
    ensureWebBuild();
    parley = await startParley();
    browser = await launchChromium();
    admin = await parley.signIn(parley.admin.email, parley.admin.password);
    handedOver = await startConversation('ana@example.com', 'Ana Lima');
    aiAnswering = await startConversation('ben@example.com', 'Ben Ode');
    await parley.call('POST', `/api/v1/conversations/${aiAnswering}/messages`, { content: 'When do you open?' });
    // The model answers the request for a person by calling its handoff tool.
    parley.fake.script({ chunks: ['Let me get ', 'a colleague for you.'], toolCall: { name: 'handoff_to_human', arguments: { reason: 'The customer asked for a person' } } });
    await parley.call('POST', `/api/v1/conversations/${handedOver}/messages`, { content: 'Can I talk to a human?' });
    ({ context, page } = await newPage(browser, parley.url, DESKTOP));
    await signIn(page, parley.admin.email, parley.admin.password);
  }, 90_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await parley?.stop();
  });

  it('shows who handed it over, why, the wait and the summary in a banner', async () => {
    await expect.poll(async () => (await conversationOf(handedOver)).handoff?.source, { timeout: 10_000 }).toBe('ai');
    await page.goto(`/inbox/${handedOver}`);
    const banner = page.locator('.handoff-banner');
    await banner.waitFor();
    expect(await banner.locator('.handoff-headline strong').textContent()).toBe('Handed over by the AI');
    await banner.getByText('The customer asked for a person').waitFor();
    await banner.locator('.badge-waiting', { hasText: /^Waiting/ }).waitFor();
    // The summary note, without its first line that the headline already says.
    const summary = banner.locator('.handoff-summary');
    const body = await noteBody(admin, handedOver);
    expect(body).not.toBe('');
    expect(await summary.textContent()).toBe(body);
    // Long, it starts folded and unfolds; short, there is nothing to unfold.
    if (body.split('\n').length > 6) {
      await expect.poll(() => summary.getAttribute('class')).toContain('folded');
      await banner.getByRole('button', { name: 'Show the whole summary' }).click();
      await expect.poll(() => summary.getAttribute('class')).not.toContain('folded');
    } else {
      expect(await banner.getByRole('button', { name: 'Show the whole summary' }).count()).toBe(0);
    }
    // Not said twice: the header has no waiting badge, the marker in the messages only places it.
    expect(await page.locator('.conversation-head .badge-waiting').count()).toBe(0);
    const marker = page.locator('.handoff-marker');
    expect(await marker.locator('strong').textContent()).toBe('Handed over by the AI');
    expect(await marker.locator('.marker-reason').count()).toBe(0);
    expect(await page.locator('.msg-note', { hasText: 'Handed over by' }).count()).toBe(0);
    await page.locator('.conversation-head', { hasText: 'Human is answering' }).waitFor();
    expect(await page.getByRole('button', { name: 'Hand over to a person' }).count()).toBe(0);
    await screenshot(page, 'handoff-banner');
  }, 30_000);

  it('lists it under "Waiting for a person", and only it', async () => {
    await page.goto('/inbox');
    const rows = page.locator('.conversation-row');
    await expect.poll(() => rows.count()).toBe(2);
    await page.locator('.views').getByRole('link', { name: /^Waiting for a person/ }).click();
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining('Ana Lima')]);
    expect(page.url()).toContain('view=waiting');
    await screenshot(page, 'handoff-waiting');
    await page.locator('.views').getByRole('link', { name: /^Open/ }).click();
    await expect.poll(() => page.url()).not.toContain('view=waiting');
    await expect.poll(() => rows.count()).toBe(2);
  }, 30_000);

  it('lets a member hand a conversation the AI answers over to a person, with a reason', async () => {
    await page.goto(`/inbox/${aiAnswering}`);
    await page.locator('.conversation-head', { hasText: 'AI is answering' }).waitFor();
    await page.getByRole('button', { name: 'Take over' }).waitFor();
    page.once('dialog', (dialog) => void dialog.accept('Wants the opening hours of the Lisbon shop'));
    await page.getByRole('button', { name: 'Hand over to a person' }).click();
    const banner = page.locator('.handoff-banner');
    await banner.getByText('Wants the opening hours of the Lisbon shop').waitFor();
    expect(await banner.locator('.handoff-headline strong').textContent()).toBe('Handed over by a teammate');
    await expect.poll(async () => banner.locator('.handoff-summary').textContent()).toBe(await noteBody(admin, aiAnswering));
    expect(await conversationOf(aiAnswering)).toMatchObject({ mode: 'manual', handoff: { source: 'operator', reason: 'Wants the opening hours of the Lisbon shop' } });
    // Handing over is not taking over: the take-over notice does not claim it.
    expect(await page.getByRole('status').filter({ hasText: 'It’s yours now.' }).count()).toBe(0);
    await screenshot(page, 'handoff-by-member');
  }, 30_000);

  it('saves after how many unanswered questions the agent hands over', async () => {
    const agent = (await parley.call<{ data: Array<{ id: string; handoff_after_declines: number }> }>('GET', '/api/v1/agents')).data[0];
    await page.goto(`/admin/agents/${agent.id}`);
    const field = page.getByLabel(/Hand over after N unanswered questions/);
    expect(await field.inputValue()).toBe(String(agent.handoff_after_declines));
    await field.fill('4');
    await page.getByRole('button', { name: 'Save agent' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect((await parley.call<{ data: { handoff_after_declines: number } }>('GET', `/api/v1/agents/${agent.id}`)).data.handoff_after_declines).toBe(4);
    await page.reload();
    expect(await page.getByLabel(/Hand over after N unanswered questions/).inputValue()).toBe('4');
    await screenshot(page, 'agent-handoff-setting');
  }, 30_000);

  it('counts the handoffs by who asked for them on the analytics page', async () => {
    await page.goto('/analytics');
    const card = page.locator('.card', { hasText: 'Handoffs by who asked' });
    await card.waitFor();
    // The AI handed one over (the customer asked for a person), a member the other.
    expect(await card.locator('li', { hasText: 'The AI' }).locator('span').last().textContent()).toBe('1');
    expect(await card.locator('li', { hasText: 'Operators' }).locator('span').last().textContent()).toBe('1');
    await screenshot(page, 'analytics-handoffs');
  }, 30_000);
});
