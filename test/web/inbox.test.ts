import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumMissing, DESKTOP, ensureWebBuild, launchChromium, newPage, screenshot, signIn } from './browser.js';
import { startParley, type Parley } from './parley.js';

interface Conversation {
  id: string;
  mode: string;
  tags: string[];
}
interface Message {
  id: number;
  role: string;
  content: string;
}

const skip = chromiumMissing();
if (skip) console.warn(skip);

/** The inbox in a real browser against a real `parley serve`, the way an operator uses it. */
describe.skipIf(skip !== null)('the web inbox in Chromium', () => {
  let parley: Parley;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const conversations: Record<string, string> = {};

  /** A contact and a conversation with one exchange, started through the API as a backend would. */
  async function startConversation(email: string, name: string, text: string): Promise<string> {
    const contact = await parley.call<{ data: { id: number } }>('POST', '/api/v1/contacts', { email, name });
    const conv = await parley.call<{ data: Conversation }>('POST', '/api/v1/conversations', { contact_id: contact.data.id });
    await parley.call('POST', `/api/v1/conversations/${conv.data.id}/messages`, { content: text });
    return conv.data.id;
  }
  const messagesOf = async (id: string) => (await parley.call<{ data: Message[] }>('GET', `/api/v1/conversations/${id}/messages?limit=100`)).data;
  const conversationOf = async (id: string) => (await parley.call<{ data: Conversation }>('GET', `/api/v1/conversations/${id}`)).data;
  const rows = () => page.locator('.conversation-row');

  beforeAll(async () => {
    ensureWebBuild();
    parley = await startParley();
    browser = await launchChromium();
    ({ context, page } = await newPage(browser, parley.url, DESKTOP));
    conversations.alice = await startConversation('alice@example.com', 'Alice Martin', 'Where is my parcel?');
    conversations.bob = await startConversation('bob@example.com', 'Bob Stone', 'My invoice looks wrong');
    await parley.call('POST', `/api/v1/conversations/${conversations.bob}/tags`, { tag: 'billing' });
  }, 90_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await parley?.stop();
  });

  it('signs an operator in and lists the conversations, newest activity first', async () => {
    await page.goto('/inbox');
    await page.waitForURL(/\/login/);
    await screenshot(page, 'login');
    await page.getByLabel('Email').fill(parley.admin.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Wrong email or password.').waitFor();
    await signIn(page, parley.admin.email, parley.admin.password);
    await expect.poll(() => rows().count()).toBe(2);
    // Bob wrote last, so his conversation is on top (tagging it later does not move it).
    await expect.poll(() => rows().first().textContent()).toContain('Bob Stone');
    await screenshot(page, 'inbox');
  });

  it('filters by tag and status and searches with q', async () => {
    await page.getByLabel('Search conversations').fill('parcel');
    await expect.poll(() => rows().allTextContents()).toEqual([expect.stringContaining('Alice Martin')]);
    expect(page.url()).toContain('q=parcel');
    await page.getByLabel('Search conversations').fill('');
    await expect.poll(() => rows().count()).toBe(2);

    await page.locator('.filters summary').click();
    await page.getByLabel('Tag').fill('billing');
    await page.getByLabel('Tag').press('Enter');
    await expect.poll(() => rows().allTextContents()).toEqual([expect.stringContaining('Bob Stone')]);
    await page.getByLabel('Tag').fill('');
    await page.getByLabel('Tag').press('Enter');
    await page.getByLabel('Status').selectOption('ended');
    await page.getByText('No conversation matches').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect.poll(() => rows().count()).toBe(2);
  });

  it('opens a conversation started through the API, with contact and AI told apart', async () => {
    await rows().filter({ hasText: 'Alice Martin' }).click();
    await page.waitForURL(new RegExp(`/inbox/${conversations.alice}`));
    await page.locator('.msg-user', { hasText: 'Where is my parcel?' }).waitFor();
    await page.locator('.msg-assistant', { hasText: 'Hello from the fake model.' }).waitFor();
    await page.locator('.contact', { hasText: 'alice@example.com' }).waitFor();
    await screenshot(page, 'conversation');
  });

  it('takes over and replies; the reply is visible through the API', async () => {
    await page.getByRole('button', { name: 'Take over' }).click();
    await page.getByRole('button', { name: 'Hand back to AI' }).waitFor();
    expect((await conversationOf(conversations.alice)).mode).toBe('manual');

    await page.getByLabel('Reply to the contact').fill('Your parcel left our warehouse this morning.');
    await page.getByLabel('Reply to the contact').press('Control+Enter');
    await page.locator('.msg-operator', { hasText: 'Your parcel left our warehouse' }).waitFor();
    await expect.poll(async () => (await messagesOf(conversations.alice)).map((m) => [m.role, m.content])).toContainEqual([
      'operator',
      'Your parcel left our warehouse this morning.',
    ]);

    await page.locator('.composer-tabs').getByText('Internal note').click();
    await page.getByRole('textbox', { name: /Note text/ }).fill('Checked with the carrier.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.locator('.msg-note', { hasText: 'Checked with the carrier.' }).waitFor();
    await screenshot(page, 'conversation-manual');
  });

  it('hands the conversation back to the AI', async () => {
    await page.getByRole('button', { name: 'Hand back to AI' }).click();
    await page.getByRole('button', { name: 'Take over' }).waitFor();
    expect((await conversationOf(conversations.alice)).mode).toBe('ai');
  });

  it('shows an AI reply while it is being written, then the stored reply', async () => {
    const chunks = ['Your parcel ', 'is with ', 'the carrier ', 'and should ', 'arrive ', 'tomorrow ', 'before noon.'];
    parley.fake.script({ chunks, delayMs: 400 });
    const sent = parley.call('POST', `/api/v1/conversations/${conversations.alice}/messages`, { content: 'When will it arrive?' });
    const streaming = page.locator('.msg-streaming');
    await streaming.waitFor();
    await expect.poll(() => streaming.textContent()).toContain('Your parcel is with');
    // Still being written: the end has not arrived yet.
    expect(await streaming.textContent()).not.toContain('before noon.');
    await screenshot(page, 'conversation-streaming');
    await sent;
    await page.locator('.msg-assistant:not(.msg-streaming)', { hasText: 'Your parcel is with the carrier and should arrive tomorrow before noon.' }).waitFor();
    await expect.poll(() => streaming.count()).toBe(0);
    parley.fake.script({ chunks: ['Hello from the fake model.'] });
  });

  it('lets an admin build an automation that then fires', async () => {
    await page.goto('/admin/automations');
    await page.getByText('No automations yet').waitFor();
    const builder = page.locator('form.builder');
    await builder.getByLabel('Name').fill('Tag refund requests');
    await builder.getByLabel('When this happens').selectOption('message.created');
    await builder.getByRole('button', { name: 'Add condition' }).click();
    await builder.getByLabel('Field').fill('message.content');
    await builder.getByLabel('Operator').selectOption('contains');
    await builder.getByLabel('Value', { exact: true }).first().fill('refund');
    await builder.getByLabel('Action').selectOption('add_tag');
    await builder.locator('.builder-row').last().getByLabel(/Value/).fill('refund-request');
    await builder.getByRole('button', { name: 'Create automation' }).click();
    await page.locator('.card-list', { hasText: 'Tag refund requests' }).waitFor();
    await screenshot(page, 'automations');

    await parley.call('POST', `/api/v1/conversations/${conversations.bob}/messages`, { content: 'Can I get a refund?' });
    await expect.poll(async () => (await conversationOf(conversations.bob)).tags, { timeout: 15_000 }).toContain('refund-request');
    // The inbox hears of it live, without a reload.
    await page.goto(`/inbox/${conversations.bob}`);
    await page.locator('.tags', { hasText: 'refund-request' }).waitFor();
  });

  it('keeps agent members out of admin pages', async () => {
    // The inbox invites by link (members-contacts.test.ts); the API still adds a member with a password.
    const admin = await parley.signIn(parley.admin.email, parley.admin.password);
    await admin.call('POST', '/api/v1/members', { name: 'Ada Agent', email: 'ada@example.com', role: 'agent', password: 'a long enough password' }, 201);
    await page.goto('/admin/members');
    await page.getByRole('cell', { name: 'ada@example.com' }).waitFor();

    const agent = await newPage(browser, parley.url, DESKTOP);
    try {
      await signIn(agent.page, 'ada@example.com', 'a long enough password');
      expect(await agent.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).count()).toBe(0);
      await agent.page.goto('/admin/agents');
      await agent.page.getByText('403 — admins only').waitFor();
      await screenshot(agent.page, 'admin-forbidden');
    } finally {
      await agent.context.close();
    }
  });
});
