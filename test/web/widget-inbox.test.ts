import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumMissing, DESKTOP, ensureWebBuild, launchChromium, newPage, PHONE, screenshot, signIn } from './browser.js';
import { startParley, type Parley } from './parley.js';

interface Sent {
  data: { user_message: { id: number }; assistant_message: { id: number } | null };
}

const skip = chromiumMissing();
if (skip) console.warn(skip);

const CHROME_ON_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** A widget visitor drives the chat through the visitor API; the operator watches the inbox in Chromium. */
describe.skipIf(skip !== null)('widget conversations in the web inbox', () => {
  let parley: Parley;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let conversationId: string;
  let visitor: { authorization: string };
  let reply: number;
  const stream = { text: '', stop: () => {} };

  /** One call as the visitor, through the widget's API with its Bearer vt_… token. */
  async function asVisitor<T = unknown>(method: string, url: string, body?: unknown, expected?: number): Promise<T> {
    const res = await fetch(`${parley.url}/api/v1/widget${url}`, {
      method,
      headers: { ...visitor, 'user-agent': CHROME_ON_MAC, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (expected !== undefined ? res.status !== expected : !res.ok) throw new Error(`${method} ${url} → ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  /** Reads the visitor's event stream in the background, for what the operator's typing shows there. */
  async function followAsVisitor(id: string): Promise<void> {
    const abort = new AbortController();
    const res = await fetch(`${parley.url}/api/v1/widget/conversations/${id}/stream`, { headers: visitor, signal: abort.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    stream.stop = () => abort.abort();
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          stream.text += decoder.decode(value, { stream: true });
        }
      } catch {
        // Aborted at the end of the test.
      }
    })();
  }

  const messages = () => page.locator('.messages');
  const typingRow = () => page.locator('.typing-row');
  const details = () => page.getByRole('complementary', { name: 'Details' });

  beforeAll(async () => {
    ensureWebBuild();
    parley = await startParley();
    browser = await launchChromium();

    const channel = await parley.call<{ data: { id: string; public_key: string } }>('POST', '/api/v1/channels', {
      type: 'web_widget',
      name: 'Shop chat',
      config: { title: 'Talk to Acme' },
    });
    const session = await fetch(`${parley.url}/api/v1/widget/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': CHROME_ON_MAC },
      body: JSON.stringify({ public_key: channel.data.public_key, user: { id: 'cust-42', name: 'Sam Rivera' } }),
    });
    expect(session.status).toBe(201);
    visitor = { authorization: `Bearer ${((await session.json()) as { data: { visitor_token: string } }).data.visitor_token}` };
    const conv = await asVisitor<{ data: { id: string } }>('POST', '/conversations', {
      page_url: 'https://shop.example/orders/1234?ref=mail',
      locale: 'de-DE',
      attributes: { plan: 'pro' },
    });
    conversationId = conv.data.id;
    const sent = await asVisitor<Sent>('POST', `/conversations/${conversationId}/messages`, { content: 'Where is my parcel?' });
    reply = sent.data.assistant_message!.id;

    // Another conversation, from the API, that nobody handed off.
    const contact = await parley.call<{ data: { id: number } }>('POST', '/api/v1/contacts', { email: 'lee@example.com', name: 'Lee Park' });
    const other = await parley.call<{ data: { id: string } }>('POST', '/api/v1/conversations', { contact_id: contact.data.id });
    await parley.call('POST', `/api/v1/conversations/${other.data.id}/messages`, { content: 'Do you ship to Canada?' });

    ({ context, page } = await newPage(browser, parley.url, DESKTOP));
    await signIn(page, parley.admin.email, parley.admin.password);
  }, 90_000);
  afterAll(async () => {
    stream.stop();
    await context?.close();
    await browser?.close();
    await parley?.stop();
  });

  it('shows where the visitor came from: channel, page, language and browser', async () => {
    await page.goto(`/inbox/${conversationId}`);
    await page.locator('.msg-user', { hasText: 'Where is my parcel?' }).waitFor();
    await page.locator('.conversation-head', { hasText: 'via Shop chat' }).waitFor();
    const visitorPanel = details().locator('section.visitor');
    await visitorPanel.getByRole('heading', { name: 'Website visitor' }).waitFor();
    expect(await visitorPanel.locator('dd').allTextContents()).toEqual(
      expect.arrayContaining(['Shop chat', 'shop.example/orders/1234', 'German (Germany) (de-DE)', 'pro']),
    );
    const link = visitorPanel.getByRole('link', { name: 'shop.example/orders/1234' });
    expect(await link.getAttribute('href')).toBe('https://shop.example/orders/1234?ref=mail');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await visitorPanel.textContent()).toMatch(/Browser.*Chrome/);
  });

  it('shows "Seen" under the last reply once the visitor has read it', async () => {
    const replyRow = page.locator('.msg-assistant').last();
    await replyRow.waitFor();
    expect(await page.locator('.seen').count()).toBe(0);
    await asVisitor('POST', `/conversations/${conversationId}/read`, { message_id: reply }, 204);
    await replyRow.locator('.seen', { hasText: 'Seen' }).waitFor();
    expect(await page.locator('.seen').count()).toBe(1);
  });

  it('shows the visitor typing, until the next message or six seconds without a refresh', async () => {
    await asVisitor('POST', `/conversations/${conversationId}/typing`, { typing: true }, 204);
    await typingRow().getByText('Visitor is typing…').waitFor();
    await screenshot(page, 'widget-inbox-typing');
    // The message ends it at once.
    await asVisitor<Sent>('POST', `/conversations/${conversationId}/messages`, { content: 'It was due on Monday.' });
    await messages().locator('.msg-user', { hasText: 'It was due on Monday.' }).waitFor();
    await expect.poll(() => typingRow().textContent()).toBe('');

    // Not refreshed, it fades after six seconds.
    await asVisitor('POST', `/conversations/${conversationId}/typing`, { typing: true }, 204);
    await typingRow().getByText('Visitor is typing…').waitFor();
    const shown = Date.now();
    await expect.poll(() => typingRow().textContent(), { timeout: 9000, interval: 250 }).toBe('');
    expect(Date.now() - shown).toBeGreaterThan(4500);
  }, 30_000);

  it('marks the handoff, the wait and the email the visitor typed', async () => {
    await asVisitor('POST', `/conversations/${conversationId}/handoff`, { email: 'sam@shop.example' });
    const marker = messages().locator('.handoff-marker');
    await marker.waitFor();
    expect(await marker.locator('strong').textContent()).toBe('Handed over by the customer');
    expect(await marker.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    await page.locator('.handoff-banner .badge-waiting', { hasText: 'Waiting' }).waitFor();
    await page.locator('.conversation-head', { hasText: 'Human is answering' }).waitFor();
    // The claimed address is shown as such.
    const contact = details().locator('section.contact');
    await contact.getByText('sam@shop.example').waitFor();
    await contact.locator('.claimed .badge-unverified', { hasText: 'unverified' }).waitFor();
    await screenshot(page, 'widget-inbox-handoff');

    // The "Waiting for a person" view keeps only conversations that wait.
    await page.goto('/inbox');
    const rows = page.locator('.conversation-row');
    await expect.poll(() => rows.count()).toBe(2);
    await page.locator('.views').getByRole('link', { name: /^Waiting for a person/ }).click();
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining('Sam Rivera')]);
    expect(page.url()).toContain('view=waiting');
    expect(await rows.first().locator('.badge-waiting').textContent()).toMatch(/^waiting /);
    await screenshot(page, 'widget-inbox-waiting');
    await page.locator('.views').getByRole('link', { name: /^Open/ }).click();
    await expect.poll(() => rows.count()).toBe(2);
  }, 30_000);

  it('tells the visitor the operator is typing a reply, and stops on sending', async () => {
    await followAsVisitor(conversationId);
    await page.goto(`/inbox/${conversationId}`);
    const box = page.getByLabel('Reply to the contact');
    const started = page.waitForRequest((r) => r.url().endsWith(`/conversations/${conversationId}/typing`) && r.postDataJSON()?.typing === true);
    await box.pressSequentially('Let me check', { delay: 20 });
    await started;
    await expect.poll(() => stream.text).toMatch(/event: typing\ndata: \{"typing":true,"name":"[^"]*"\}/);
    // Keys within three seconds do not send it again.
    let again = 0;
    page.on('request', (r) => {
      if (r.url().endsWith('/typing') && r.postDataJSON()?.typing === true) again++;
    });
    await box.pressSequentially(' with the carrier.', { delay: 20 });
    expect(again).toBe(0);

    const stopped = page.waitForRequest((r) => r.url().endsWith(`/conversations/${conversationId}/typing`) && r.postDataJSON()?.typing === false);
    await page.getByRole('button', { name: 'Send reply' }).click();
    await stopped;
    await expect.poll(() => stream.text).toMatch(/"typing":false/);
    await messages().locator('.msg-operator', { hasText: 'Let me check with the carrier.' }).waitFor();
    // Answered, the visitor no longer waits for a person.
    await expect.poll(() => page.locator('.handoff-banner .badge-waiting').count()).toBe(0);
    // The operator's own typing is not shown back to them.
    expect(await typingRow().textContent()).toBe('');
  }, 30_000);

  it('shows the rating the visitor gave once the conversation ended', async () => {
    await parley.call('POST', `/api/v1/conversations/${conversationId}/end`);
    await page.getByText('This conversation has ended; nothing more can be sent.').waitFor();
    await asVisitor('POST', `/conversations/${conversationId}/csat`, { rating: 4, comment: 'Quick and kind' });
    const marker = messages().locator('.csat-marker');
    await marker.waitFor();
    expect(await marker.getByRole('img', { name: '4 out of 5' }).count()).toBe(1);
    expect(await marker.textContent()).toContain('Quick and kind');
    const rating = details().locator('.csat-summary');
    await rating.getByRole('img', { name: '4 out of 5' }).waitFor();
    await rating.getByText('Quick and kind').waitFor();
    await screenshot(page, 'widget-inbox-rated');
  }, 30_000);

  it('fits a phone, the visitor details in the drawer', async () => {
    const phone = await newPage(browser, parley.url, PHONE);
    try {
      await signIn(phone.page, parley.admin.email, parley.admin.password);
      await phone.page.goto(`/inbox/${conversationId}`);
      await phone.page.locator('.handoff-marker').waitFor();
      await screenshot(phone.page, 'widget-inbox-conversation');
      await phone.page.getByRole('button', { name: 'Details' }).click();
      await phone.page.getByRole('heading', { name: 'Website visitor' }).scrollIntoViewIfNeeded();
      await screenshot(phone.page, 'widget-inbox-details');
      const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await phone.context.close();
    }
  }, 30_000);
});
