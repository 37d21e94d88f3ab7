import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumMissing, DESKTOP, ensureWebBuild, launchChromium, newPage, PHONE, screenshot, signIn } from './browser.js';
import { startParley, type MemberSession, type Parley } from './parley.js';

interface Conversation {
  id: string;
  mode: 'ai' | 'manual';
  assignee_id: string | null;
}
interface Member {
  id: string;
  name: string;
  email: string;
}

const skip = chromiumMissing();
if (skip) console.warn(skip);

const PASSWORD = 'a long enough password';

/**
 * Three operators sharing one inbox, each in their own browser against a real `parley serve`:
 * whose reply is whose, who has which conversation, and a reply that takes the AI's place.
 */
describe.skipIf(skip !== null)('a shared inbox in Chromium', () => {
  let parley: Parley;
  let admin: MemberSession;
  let browser: Browser;
  const team: Record<'maya' | 'tom' | 'priya', Member> = {} as never;
  const open: Array<BrowserContext> = [];
  const conv: Record<string, string> = {};
  let agentName: string;

  async function startConversation(email: string, name: string, text: string): Promise<string> {
    const contact = await parley.call<{ data: { id: number } }>('POST', '/api/v1/contacts', { email, name });
    const c = await parley.call<{ data: Conversation }>('POST', '/api/v1/conversations', { contact_id: contact.data.id });
    await parley.call('POST', `/api/v1/conversations/${c.data.id}/messages`, { content: text });
    return c.data.id;
  }
  const conversationOf = async (id: string) => (await parley.call<{ data: Conversation }>('GET', `/api/v1/conversations/${id}`)).data;

  /** A member's own browser, signed in (`window.__sameDocument` then tells whether a page was ever reloaded). */
  async function operator(who: { email: string; password?: string }, viewport: { width: number; height: number } = DESKTOP): Promise<Page> {
    const { context, page } = await newPage(browser, parley.url, viewport);
    open.push(context);
    await signIn(page, who.email, who.password ?? PASSWORD);
    return page;
  }
  const markDocument = (page: Page) => page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  const sameDocument = (page: Page) => page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);
  const bubble = (page: Page, text: string) => page.locator('.msg', { hasText: text });
  const authorOf = (page: Page, text: string) => bubble(page, text).locator('.msg-author').textContent();
  const row = (page: Page, contact: string) => page.locator('.conversation-row', { hasText: contact });
  const reply = async (page: Page, text: string) => {
    await page.locator('.composer-tabs').getByText('Reply', { exact: true }).click();
    await page.getByLabel('Reply to the contact').fill(text);
    await page.getByRole('button', { name: 'Send reply' }).click();
    await bubble(page, text).waitFor();
  };

  beforeAll(async () => {
    ensureWebBuild();
    parley = await startParley();
    browser = await launchChromium();
    admin = await parley.signIn(parley.admin.email, parley.admin.password);
    agentName = (await parley.call<{ data: Array<{ name: string }> }>('GET', '/api/v1/agents')).data[0].name;
    const people = [
      ['maya', 'Maya Chen', 'maya@example.com'],
      ['tom', 'Tom Becker', 'tom@example.com'],
      ['priya', 'Priya Raman', 'priya@example.com'],
    ] as const;
    for (const [key, name, email] of people) {
      const created = await admin.call<{ data: Member }>('POST', '/api/v1/members', { email, name, role: 'agent', password: PASSWORD }, 201);
      team[key] = created.data;
    }
    conv.alice = await startConversation('alice@example.com', 'Alice Martin', 'Where is my parcel?');
    conv.bob = await startConversation('bob@example.com', 'Bob Stone', 'My invoice looks wrong');
    conv.chloe = await startConversation('chloe@example.com', 'Chloé Dubois', 'Can I change my delivery address?');
    conv.dan = await startConversation('dan@example.com', 'Dan Okafor', 'Please open a ticket for my broken kettle');
    // An integration (the workspace's API key) answering as the team.
    await parley.call('POST', `/api/v1/conversations/${conv.dan}/messages`, { role: 'operator', content: 'Ticket #4411 is open; we will write within a day.' });
  }, 90_000);
  afterAll(async () => {
    for (const context of open) await context.close();
    await browser?.close();
    await parley?.stop();
  });

  let maya: Page;
  let tom: Page;

  it('signs each reply with its author, "You" for your own, and a reply takes the AI’s place live', async () => {
    maya = await operator(team.maya);
    tom = await operator(team.tom);
    await maya.goto(`/inbox/${conv.alice}`);
    await bubble(maya, 'Hello from the fake model.').waitFor();
    await markDocument(maya);
    expect(await authorOf(maya, 'Where is my parcel?')).toBe('Alice Martin');
    expect(await authorOf(maya, 'Hello from the fake model.')).toBe(agentName);
    expect(await bubble(maya, 'Hello from the fake model.').locator('.badge-author').textContent()).toBe('AI');

    await tom.goto(`/inbox/${conv.alice}`);
    await tom.getByText('The AI is answering; your reply takes over and makes it yours.').waitFor();
    await reply(tom, 'Hi Alice, Tom here: I am checking your parcel now.');
    expect(await authorOf(tom, 'Tom here')).toBe('You');
    // Tom's reply took the conversation over: it is his, and the AI is off.
    await tom.locator('.conversation-head', { hasText: 'Human is answering' }).waitFor();
    await tom.locator('.conversation-head', { hasText: 'Assigned to you' }).waitFor();
    await tom.getByRole('status').filter({ hasText: 'It’s yours now.' }).waitFor();
    await tom.getByRole('button', { name: 'Hand back to AI' }).waitFor();
    expect(await conversationOf(conv.alice)).toMatchObject({ mode: 'manual', assignee_id: team.tom.id });

    // Maya had it open: the event stream tells her, without a reload.
    expect(await authorOf(maya, 'Tom here')).toBe('Tom Becker');
    await maya.locator('.conversation-head', { hasText: 'Assigned to Tom Becker' }).waitFor();
    await maya.locator('.conversation-head', { hasText: 'Human is answering' }).waitFor();
    await maya.getByRole('status').filter({ hasText: 'The AI has stopped answering. The conversation is assigned to Tom Becker.' }).waitFor();
    expect(await sameDocument(maya)).toBe(true);

    await reply(maya, 'Maya from shipping: it left our warehouse this morning.');
    expect(await authorOf(maya, 'Maya from shipping')).toBe('You');
    await bubble(tom, 'Maya from shipping').waitFor();
    expect(await authorOf(tom, 'Maya from shipping')).toBe('Maya Chen');
    // Still Tom's: a reply in manual mode changes nobody's assignment.
    expect(await conversationOf(conv.alice)).toMatchObject({ mode: 'manual', assignee_id: team.tom.id });

    await tom.locator('.composer-tabs').getByText('Internal note').click();
    await tom.getByRole('textbox', { name: /Note text/ }).fill('Carrier confirmed the new slot.');
    await tom.getByRole('button', { name: 'Add note' }).click();
    await bubble(maya, 'Carrier confirmed').waitFor();
    expect(await authorOf(maya, 'Carrier confirmed')).toBe('Tom Becker');
    expect(await bubble(maya, 'Carrier confirmed').locator('.badge-note').textContent()).toContain('Internal note');
    await screenshot(maya, 'team-conversation');
    await screenshot(tom, 'team-conversation-own');
  });

  it('previews the last message as "You:" only for your own, else by the author’s first name', async () => {
    // .row-last is the last message's line, after the conversation's title when it has one.
    await expect.poll(() => row(tom, 'Alice Martin').locator('.row-last').textContent()).toBe('You (note): Carrier confirmed the new slot.');
    await expect.poll(() => row(maya, 'Alice Martin').locator('.row-last').textContent()).toBe('Tom (note): Carrier confirmed the new slot.');
    await reply(tom, 'All sorted, Alice.');
    await expect.poll(() => row(tom, 'Alice Martin').locator('.row-last').textContent()).toBe('You: All sorted, Alice.');
    await expect.poll(() => row(maya, 'Alice Martin').locator('.row-last').textContent()).toBe('Tom: All sorted, Alice.');
    await reply(maya, 'Have a good day!');
    await expect.poll(() => row(tom, 'Alice Martin').locator('.row-last').textContent()).toBe('Maya: Have a good day!');
    await expect.poll(() => row(maya, 'Alice Martin').locator('.row-last').textContent()).toBe('You: Have a good day!');

    // The AI agent is "AI" in the list, however it is named.
    expect(await row(maya, 'Bob Stone').locator('.row-last').textContent()).toBe('AI: Hello from the fake model.');
    expect(await row(maya, 'Dan Okafor').locator('.row-last').textContent()).toBe('Default key: Ticket #4411 is open; we will write within a day.');
    // Whose each conversation is, at a glance.
    expect(await row(maya, 'Alice Martin').locator('.badge-assignee').getAttribute('title')).toBe('Assigned to Tom Becker');
    expect(await row(maya, 'Alice Martin').locator('.badge-assignee').textContent()).toMatch(/Tom$/);
    expect(await row(tom, 'Alice Martin').locator('.badge-assignee').getAttribute('title')).toBe('Assigned to you');
    await screenshot(maya, 'team-inbox');

    await row(maya, 'Dan Okafor').click();
    await bubble(maya, 'Ticket #4411').waitFor();
    expect(await authorOf(maya, 'Ticket #4411')).toBe('Default key');
    expect(await bubble(maya, 'Ticket #4411').locator('.badge-author').textContent()).toBe('Integration');
  });

  it('lets an agent-role member assign a conversation to a colleague from the picker', async () => {
    const priya = await operator(team.priya);
    await priya.goto(`/inbox/${conv.bob}`);
    await priya.locator('.details').getByRole('button', { name: /^Assignee/ }).click();
    // Everyone, you first, then whoever is online (Maya's and Tom's inboxes are open).
    const options = priya.locator('.picker-list').getByRole('option');
    await expect
      .poll(() => options.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label'))))
      .toEqual(['Unassigned', 'Priya Raman (me), online', 'Maya Chen, online', 'Tom Becker, online', 'Admin, offline']);
    await priya.locator('.picker-list').getByRole('option', { name: /^Maya Chen/ }).click();
    await priya.locator('.conversation-head', { hasText: 'Assigned to Maya Chen' }).waitFor();
    await expect.poll(async () => (await conversationOf(conv.bob)).assignee_id).toBe(team.maya.id);
    // Maya's list hears of it live.
    await expect.poll(() => row(maya, 'Bob Stone').locator('.badge-assignee').getAttribute('title')).toBe('Assigned to you');
    await screenshot(priya, 'team-assign');
  });

  it('takes over with the button, and says the conversation is now yours', async () => {
    const priya = await operator(team.priya);
    await priya.goto(`/inbox/${conv.chloe}`);
    const takeOver = priya.getByRole('button', { name: 'Take over' });
    expect(await takeOver.getAttribute('title')).toBe('Stop the AI and answer yourself; the conversation is assigned to you.');
    await takeOver.click();
    await priya.getByRole('status').filter({ hasText: 'It’s yours now. The AI has stopped answering, and the conversation is assigned to you.' }).waitFor();
    await priya.locator('.conversation-head', { hasText: 'Assigned to you' }).waitFor();
    expect(await conversationOf(conv.chloe)).toMatchObject({ mode: 'manual', assignee_id: team.priya.id });
    await screenshot(priya, 'team-takeover');
  });

  it('lets an admin keep the AI answering after an operator’s reply', async () => {
    const page = await operator(parley.admin);
    await page.goto('/admin/workspace');
    const toggle = page.getByRole('switch', { name: /An operator’s reply takes the conversation over/ });
    await toggle.waitFor();
    expect(await toggle.isChecked()).toBe(true);
    await page.getByText('Replying while the AI answers stops the AI and assigns the conversation to whoever replied').waitFor();
    await toggle.click();
    await page.getByText('Off: the AI keeps answering after an operator’s reply').waitFor();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved.').waitFor();
    await screenshot(page, 'team-workspace');
    const settings = await parley.call<{ data: { operator_reply_takes_over: boolean } }>('GET', '/api/v1/settings/workspace');
    expect(settings.data.operator_reply_takes_over).toBe(false);

    const id = await startConversation('eve@example.com', 'Eve Adams', 'Do you gift-wrap?');
    await tom.goto(`/inbox/${id}`);
    await tom.getByText('The AI keeps answering after your reply; take over to stop it.').waitFor();
    await reply(tom, 'We do, for two euros.');
    expect(await conversationOf(id)).toMatchObject({ mode: 'ai', assignee_id: null });

    await toggle.click();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect
      .poll(async () => (await parley.call<{ data: { operator_reply_takes_over: boolean } }>('GET', '/api/v1/settings/workspace')).data.operator_reply_takes_over)
      .toBe(true);
  });

  it('reads well on a phone', async () => {
    const phone = await operator(team.maya, PHONE);
    await phone.locator('.conversation-row').first().waitFor();
    await screenshot(phone, 'team-inbox');
    await phone.goto(`/inbox/${conv.alice}`);
    await bubble(phone, 'Carrier confirmed').waitFor();
    await screenshot(phone, 'team-conversation');
    await phone.getByRole('button', { name: 'Details' }).click();
    await phone.locator('.details').getByRole('button', { name: /^Assignee/ }).waitFor();
    await screenshot(phone, 'team-assign');
    const id = await startConversation('finn@example.com', 'Finn Larsen', 'Is the blue kettle back in stock?');
    await phone.goto(`/inbox/${id}`);
    await phone.getByText('The AI is answering; your reply takes over and makes it yours.').waitFor();
    await screenshot(phone, 'team-ai-answering');
    await phone.getByRole('button', { name: 'Take over' }).click();
    await phone.getByRole('status').filter({ hasText: 'It’s yours now.' }).waitFor();
    await screenshot(phone, 'team-takeover');
  });
});
