import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { ensureWidgetBuild } from '../widget/build.js';
import { chromiumMissing, DESKTOP, launchChromium, PHONE, screenshot } from './browser.js';
import { startParley, type Parley } from './parley.js';

interface Channel {
  id: string;
  public_key: string;
  embed_snippet: string;
  identity_secret?: string;
}
interface Conversation {
  id: string;
  channel_id: string | null;
  contact_id: number;
  mode: string;
  status: string;
  handoff: { source: string } | null;
  csat: { rating: number; comment: string | null } | null;
  team_read_message_id: number | null;
}
interface Message {
  id: number;
  role: string;
  content: string;
  feedback: { rating: string } | null;
}

const skip = chromiumMissing();
/** Waits for a condition as long as a locator does (expect.poll alone gives up after a second). */
const eventually = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000 });
if (skip) console.warn(skip);

const RETURNS_REPLY = ['You can return any item within **30 days**.', '\n\n- Use the prepaid label', '\n- Refunds take *3–5 days*'];
const ALL_WEEK = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]]));
const DAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * The chat widget as a business's customer meets it: a real `parley serve`, the snippet pasted
 * into a shop page served from another origin, and Chromium clicking through the whole journey.
 */
describe.skipIf(skip !== null)('the chat widget on a business’s site, in Chromium', () => {
  let parley: Parley;
  let browser: Browser;
  let host: http.Server;
  let hostOrigin: string;
  const pages = new Map<string, string>();
  const contexts: BrowserContext[] = [];
  let shop: Channel;
  let elsewhere: Channel;
  let prechat: Channel;
  let members: Channel;
  let operator: { cookie: string; csrf: string; name: string };
  let page: Page;
  let chat: FrameLocator;
  let conversationId: string;

  /** Parley's API as the signed-in admin, an operator in the inbox. */
  async function asOperator<T = unknown>(method: string, url: string, body?: unknown): Promise<T> {
    const res = await fetch(parley.url + url, {
      method,
      headers: { cookie: operator.cookie, 'x-csrf-token': operator.csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url} → ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  const createChannel = async (name: string, config: Record<string, unknown>) =>
    (await parley.call<{ data: Channel }>('POST', '/api/v1/channels', { type: 'web_widget', name, config })).data;

  /** The line a business pastes into its pages, as issue 14 spells it. */
  const snippetOf = (channel: Channel) =>
    `<script>window.Parley=window.Parley||function(){(Parley.q=Parley.q||[]).push(arguments)};</script><script async src="${parley.url}/widget.js" data-key="${channel.public_key}"></script>`;

  /** A page of the shop on the host origin; `before` runs before the loader arrives (queued calls). */
  function shopPage(path: string, channel: Channel, before = ''): string {
    pages.set(
      path,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Outdoor</title>
<style>
  body { font-family: Georgia, serif; margin: 0; background: #fffbeb; color: #292524 }
  header { background: #292524; color: #fef3c7; padding: 18px 32px; font-size: 22px }
  main { padding: 32px; max-width: 720px }
  /* A host page's CSS must not reach the widget: these would hide or restyle it. */
  button, iframe { display: none !important; background: red !important }
  * { font-size: 13px !important }
</style></head>
<body><header>Acme Outdoor</header><main><h1>Alpine Tent 2P</h1><p>Light, sturdy, and ready for the weekend. $249.</p></main>
${snippetOf(channel).replace('<script async', `${before ? `<script>${before}</script>` : ''}<script async`)}
</body></html>`,
    );
    return `${hostOrigin}${path}`;
  }

  async function open(context: BrowserContext, url: string): Promise<{ page: Page; chat: FrameLocator }> {
    const p = await context.newPage();
    await p.goto(url);
    return { page: p, chat: p.frameLocator('iframe[title="Chat"]') };
  }

  async function newContext(viewport: { width: number; height: number } = DESKTOP, locale = 'en-US'): Promise<BrowserContext> {
    // UTC in the browser as on the server, so that "back Thursday at 9:00 AM" can be checked.
    const context = await browser.newContext({ viewport, locale, timezoneId: 'UTC', isMobile: viewport.width < 500, hasTouch: viewport.width < 500 });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    return context;
  }

  /** The same state at both sizes: the panel on a desktop, full screen on a phone. */
  async function shots(p: Page, name: string): Promise<void> {
    await screenshot(p, `widget-${name}`);
    await p.setViewportSize(PHONE);
    await screenshot(p, `widget-${name}`);
    await p.setViewportSize(DESKTOP);
  }

  const launcher = (p: Page, name = 'Open chat') => p.getByRole('button', { name, exact: true });
  const messagesOf = async (id: string) => (await parley.call<{ data: Message[] }>('GET', `/api/v1/conversations/${id}/messages?limit=100`)).data;
  const conversationOf = async (id: string) => (await parley.call<{ data: Conversation }>('GET', `/api/v1/conversations/${id}`)).data;
  const conversationsOf = async (channel: Channel) =>
    (await parley.call<{ data: Conversation[] }>('GET', `/api/v1/conversations?channel_id=${channel.id}&limit=50`)).data;
  const hashOf = (channel: Channel, userId: string) => createHmac('sha256', channel.identity_secret!).update(userId).digest('hex');
  const contactOf = async (id: number) =>
    (await parley.call<{ data: { email: string | null; claimed_email: string | null; external_id: string | null } }>('GET', `/api/v1/contacts/${id}`)).data;
  /** The workspace's business hours, set by the admin (the widget reads them when its session starts). */
  const setHours = (days: Record<string, string[][]>) =>
    asOperator('POST', '/api/v1/settings/workspace', { business_hours: { enabled: true, timezone: 'UTC', days }, reply_time: 'hours' });
  /** Sends the visitor's message with the keyboard, as a visitor does. */
  async function ask(c: FrameLocator, text: string): Promise<void> {
    const box = c.getByRole('textbox', { name: /^(Message|Nachricht)$/ });
    await box.fill(text);
    await box.press('Enter');
  }

  beforeAll(async () => {
    ensureWidgetBuild();
    parley = await startParley();
    host = http.createServer((req, res) => {
      const html = pages.get((req.url ?? '/').split('?')[0]);
      res.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html ?? 'not found');
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    hostOrigin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    browser = await launchChromium();

    shop = await createChannel('Acme website', { allowed_origins: [hostOrigin], identity_verification: 'optional', title: 'Acme Outdoor', greeting: 'Hi! Questions about gear, orders or returns?' });
    elsewhere = await createChannel('Another site', { allowed_origins: ['https://elsewhere.example'] });
    members = await createChannel('Acme members', { allowed_origins: [hostOrigin], identity_verification: 'required', title: 'Acme Members' });
    prechat = await createChannel('Acme support', {
      allowed_origins: [],
      accent_color: '#0f766e',
      pre_chat: { enabled: true, require_email: true, fields: [{ name: 'order', label: 'Order number', type: 'text', required: true }] },
    });

    const login = await fetch(`${parley.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: parley.admin.email, password: parley.admin.password }),
    });
    const body = (await login.json()) as { data: { name: string }; csrf_token: string };
    operator = { cookie: String(login.headers.get('set-cookie')).split(';')[0], csrf: body.csrf_token, name: body.data.name };
    // The team is in all week: a person is asked for within business hours.
    await setHours(ALL_WEEK);
  }, 90_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await new Promise((resolve) => host?.close(resolve));
    await parley?.stop();
  });

  it('gives each web_widget channel a public key and the snippet to paste', () => {
    expect(shop.public_key).toMatch(/^pk_live_/);
    expect(shop.embed_snippet).toContain(`data-key="${shop.public_key}"`);
    expect(shop.embed_snippet).toContain('/widget.js');
    expect(shop.identity_secret).toBeTruthy();
  });

  it('opens from the launcher on another site, out of reach of its CSS, and greets the visitor', async () => {
    const context = await newContext();
    ({ page, chat } = await open(context, shopPage('/tent', shop)));
    await launcher(page).waitFor();
    await shots(page, 'closed');
    await launcher(page).click();
    await chat.getByText('Hi! Questions about gear, orders or returns?').waitFor();
    await chat.getByText('We’re online').waitFor();
    await eventually(() => chat.getByRole('textbox', { name: 'Message' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await eventually(() => chat.getByRole('log').count()).toBe(1);
    await shots(page, 'open');
  });

  it('streams the agent’s answer with its sources, and takes a thumbs up', async () => {
    parley.fake.script({ chunks: RETURNS_REPLY, delayMs: 250 });
    // The first text the reply shows while it is still being written, noted by the frame itself.
    const streamed = () => chat.locator('body').evaluate(() => (window as unknown as { streamed?: string }).streamed ?? null);
    await chat.locator('body').evaluate(() => {
      new MutationObserver((_, observer) => {
        const text = document.querySelector('.bubble.streaming .md')?.textContent;
        if (!text) return;
        (window as unknown as { streamed?: string }).streamed = text;
        observer.disconnect();
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await ask(chat, 'What is your return policy?');
    // The reply shows while it is still being written, then complete, as Markdown.
    await eventually(streamed).toMatch(/^You can return any item/);
    expect(await streamed()).not.toContain('Refunds');
    await chat.locator('.bubble[data-role="assistant"]:not(.streaming) li', { hasText: 'Refunds take 3–5 days' }).waitFor();
    await chat.locator('.bubble[data-role="assistant"] strong', { hasText: '30 days' }).waitFor();
    await eventually(() => chat.locator('.sources a').count()).toBeGreaterThan(0);
    await shots(page, 'answer');

    const conversations = await conversationsOf(shop);
    expect(conversations).toHaveLength(1);
    conversationId = conversations[0].id;
    await chat.getByRole('button', { name: 'Helpful', exact: true }).click();
    await eventually(async () => (await messagesOf(conversationId)).find((m) => m.role === 'assistant')?.feedback?.rating).toBe('like');
    await eventually(() => chat.getByRole('button', { name: 'Helpful', exact: true }).getAttribute('aria-pressed')).toBe('true');
  });

  it('hands the conversation to a person when the visitor asks, and says when they reply within business hours', async () => {
    await chat.getByRole('button', { name: 'Talk to a person' }).click();
    await chat.getByText('We’ve passed your conversation to our team.').waitFor();
    await chat.getByText('We typically reply in a few hours.', { exact: true }).waitFor();
    // Within business hours nobody is asked for an email.
    expect(await chat.getByRole('button', { name: 'Notify me' }).count()).toBe(0);
    const conversation = await conversationOf(conversationId);
    expect(conversation.mode).toBe('manual');
    expect(conversation.handoff?.source).toBe('visitor');
    await eventually(() => chat.getByRole('button', { name: 'Talk to a person' }).count()).toBe(0);
    await shots(page, 'handoff');
  });

  it('shows typing both ways and the operator’s reply live, with their first name', async () => {
    // The operator types: the visitor sees it.
    await asOperator('POST', `/api/v1/conversations/${conversationId}/typing`, { typing: true });
    const firstName = operator.name.split(' ')[0];
    await chat.getByText(`${firstName} is typing…`).waitFor();
    await shots(page, 'operator-typing');

    // The visitor types: the inbox is told.
    const { seen: typingSeen } = await watchEvents(
      (event) => event.type === 'typing' && (event as { conversation_id?: string }).conversation_id === conversationId && (event as { typing?: boolean }).typing === true,
    );
    await chat.getByRole('textbox', { name: 'Message' }).pressSequentially('One more');
    await typingSeen;
    await chat.getByRole('textbox', { name: 'Message' }).fill('');

    // The operator answers from the inbox: the reply arrives live, signed with their first name.
    await asOperator('POST', `/api/v1/conversations/${conversationId}/messages`, { role: 'operator', content: 'Hello! I can help with the return.' });
    const reply = chat.locator('.row.them', { has: chat.locator('.bubble[data-role="operator"]', { hasText: 'Hello! I can help with the return.' }) });
    await reply.waitFor();
    expect(await reply.locator('.who').textContent()).toBe(firstName);
    await eventually(() => chat.getByText(`${firstName} is typing…`).count()).toBe(0);
  });

  it('says "Seen" once the team has read the visitor’s last message', async () => {
    await ask(chat, 'It is order 1042.');
    await chat.locator('.bubble[data-role="user"]', { hasText: 'It is order 1042.' }).waitFor();
    await eventually(async () => (await messagesOf(conversationId)).some((m) => m.content === 'It is order 1042.')).toBe(true);
    expect(await chat.locator('.seen').count()).toBe(0);
    // An integration reading it with the API key is not the team reading it.
    expect((await conversationOf(conversationId)).team_read_message_id).toBeNull();
    // The operator opens the conversation in the inbox: the team has read it.
    await asOperator('GET', `/api/v1/conversations/${conversationId}`);
    const seen = chat.locator('.row.me', { hasText: 'It is order 1042.' }).locator('.seen');
    await seen.waitFor();
    expect(await seen.textContent()).toBe('Seen');
    expect(await chat.locator('.seen').count()).toBe(1);
    await shots(page, 'seen');
  });

  it('counts unread replies on the launcher while the chat is closed', async () => {
    await page.evaluate(() => {
      const w = window as unknown as { Parley: (...args: unknown[]) => void; unread: number[] };
      w.unread = [];
      w.Parley('onUnreadCountChange', (n: number) => w.unread.push(n));
    });
    await chat.getByRole('button', { name: 'Close', exact: true }).click();
    await eventually(() => page.locator('iframe[title="Chat"]').isVisible()).toBe(false);
    // A reply from the business's backend (its API key): no person signs it.
    await parley.call('POST', `/api/v1/conversations/${conversationId}/messages`, { role: 'operator', content: 'Your return label is on its way.' });
    const badge = page.locator('parley-widget .b');
    await eventually(() => badge.textContent()).toBe('1');
    expect(await badge.isVisible()).toBe(true);
    await shots(page, 'unread');
    await launcher(page).click();
    const label = chat.locator('.row.them', { has: chat.getByText('Your return label is on its way.') });
    await label.waitFor();
    expect(await label.locator('.who').textContent()).toBe('Acme Outdoor');
    await eventually(() => badge.isVisible()).toBe(false);
    expect(await page.evaluate(() => (window as unknown as { unread: number[] }).unread)).toEqual([1, 0]);
  });

  it('keeps the conversation across a reload', async () => {
    await page.reload();
    await launcher(page).click();
    await chat.getByText('Hello! I can help with the return.').waitFor();
    await chat.getByText('What is your return policy?').waitFor();
  });

  it('joins the anonymous history to a verified user when the site identifies them, on any device', async () => {
    const anonymous = await conversationOf(conversationId);
    const userId = 'acme-user-42';
    await page.evaluate(
      ([id, hash]) => (window as unknown as { Parley: (...args: unknown[]) => void }).Parley('boot', { user: { id, email: 'dana@example.com', name: 'Dana Reyes', hash } }),
      [userId, hashOf(shop, userId)],
    );
    await eventually(async () => (await conversationOf(conversationId)).contact_id).not.toBe(anonymous.contact_id);
    const contact = (await parley.call<{ data: { external_id: string | null } }>('GET', `/api/v1/contacts/${(await conversationOf(conversationId)).contact_id}`)).data;
    expect(contact.external_id).toBe(userId);
    await chat.getByText('Hello! I can help with the return.').waitFor();

    // Another device: the same user sees the same conversation.
    const laptop = await newContext();
    const boot = `Parley('boot', ${JSON.stringify({ user: { id: userId, hash: hashOf(shop, userId) } })});`;
    const other = await open(laptop, shopPage('/account', shop, boot));
    await launcher(other.page).click();
    await other.chat.getByText('Hello! I can help with the return.').waitFor();
    await shots(other.page, 'identified');
  });

  it('refuses an identity whose hash is wrong', async () => {
    const context = await newContext();
    const boot = `Parley('boot', ${JSON.stringify({ user: { id: 'acme-user-42', hash: '0'.repeat(64) } })});`;
    const p = await context.newPage();
    const refused = p.waitForResponse((res) => res.url().endsWith('/api/v1/widget/sessions') && res.request().method() === 'POST');
    await p.goto(shopPage('/forged', shop, boot));
    expect((await refused).status()).toBe(401);
    expect(await launcher(p).isVisible()).toBe(false);

    const direct = await fetch(`${parley.url}/api/v1/widget/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: hostOrigin },
      body: JSON.stringify({ public_key: shop.public_key, user: { id: 'acme-user-42', hash: 'f'.repeat(64) } }),
    });
    expect(direct.status).toBe(401);
  });

  it('lets only verified users chat where identity verification is required', async () => {
    const context = await newContext();
    const p = await context.newPage();
    const refused = p.waitForResponse((res) => res.url().endsWith('/api/v1/widget/sessions') && res.request().method() === 'POST');
    await p.goto(shopPage('/members-anonymous', members));
    expect((await refused).status()).toBe(401);
    expect(await launcher(p).isVisible()).toBe(false);

    const userId = 'acme-member-7';
    const boot = `Parley('boot', ${JSON.stringify({ user: { id: userId, name: 'Kim Lee', hash: hashOf(members, userId) } })});`;
    const accepted = await open(context, shopPage('/members', members, boot));
    await launcher(accepted.page).click();
    await accepted.chat.getByRole('heading', { name: 'Acme Members' }).waitFor();
    await accepted.chat.getByRole('textbox', { name: 'Message' }).waitFor();
  });

  it('is refused on a site that is not among the channel’s allowed origins', async () => {
    const context = await newContext();
    const p = await context.newPage();
    await p.goto(shopPage('/not-allowed', elsewhere));
    // The browser refuses to show the frame (CSP frame-ancestors), so it never says it is ready.
    await eventually(() => p.frames().some((f) => f.url().startsWith('chrome-error://'))).toBe(true);
    expect(await launcher(p).isVisible()).toBe(false);

    const direct = await fetch(`${parley.url}/api/v1/widget/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: hostOrigin },
      body: JSON.stringify({ public_key: elsewhere.public_key }),
    });
    expect(direct.status).toBe(403);
    expect(direct.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('asks for a rating once the conversation has ended, one time', async () => {
    await parley.call('POST', `/api/v1/conversations/${conversationId}/end`, {});
    await chat.getByText('This conversation has ended.').waitFor();
    await chat.getByText('How would you rate this conversation?').waitFor();
    await chat.getByRole('radio', { name: '4 out of 5' }).click();
    await chat.getByLabel('Anything you’d like to add? (optional)').fill('Quick and friendly.');
    await shots(page, 'csat');
    await chat.getByRole('button', { name: 'Send rating' }).click();
    await chat.getByText('Thanks for your rating!').waitFor();
    await shots(page, 'csat-done');
    await eventually(async () => (await conversationOf(conversationId)).csat).toMatchObject({ rating: 4, comment: 'Quick and friendly.' });
    await page.reload();
    await launcher(page).click();
    await chat.getByRole('button', { name: 'Back to conversations' }).click();
    // Listed under its title, which the visitor's first question gave it.
    const title = ((await conversationOf(conversationId)) as unknown as { title: string }).title;
    await chat.getByRole('button', { name: new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').slice(0, 30)) }).first().click();
    await chat.getByText('Thanks for your rating!').waitFor();
    expect(await chat.getByText('How would you rate this conversation?').count()).toBe(0);
    await chat.getByRole('button', { name: 'Back to conversations' }).click();
    await shots(page, 'conversations');
  });

  it('checks the pre-chat form before the first message', async () => {
    const context = await newContext();
    const { page: p, chat: c } = await open(context, shopPage('/support', prechat));
    await launcher(p).click();
    await c.getByRole('button', { name: 'Start chat' }).click();
    await eventually(() => c.getByText('This field is required.').count()).toBe(2);
    expect(await c.getByRole('textbox', { name: 'Message' }).count()).toBe(0);
    // The first field in error takes the focus.
    await eventually(() => c.getByLabel('Email').evaluate((el) => el === document.activeElement)).toBe(true);
    await shots(p, 'prechat-required');
    await c.getByLabel('Email').fill('not an email');
    await c.getByLabel('Order number').fill('A-1042');
    await c.getByRole('button', { name: 'Start chat' }).click();
    await c.getByText('Please enter a valid email address.').waitFor();
    await shots(p, 'prechat-invalid');
    expect(await conversationsOf(prechat)).toHaveLength(0);
    await c.getByLabel('Email').fill('sam@example.com');
    await c.getByRole('button', { name: 'Start chat' }).click();
    const box = c.getByRole('textbox', { name: 'Message' });
    await box.waitFor();
    // The form gives way to the composer, with the cursor in it.
    await eventually(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    await eventually(async () => (await conversationsOf(prechat)).length).toBe(1);
    await shots(p, 'prechat-done');
  });

  it('fills a phone’s screen', async () => {
    const context = await newContext(PHONE);
    const { page: p, chat: c } = await open(context, shopPage('/phone', shop));
    await launcher(p).waitFor();
    await screenshot(p, 'widget-phone-closed');
    await launcher(p).click();
    await c.getByRole('textbox', { name: 'Message' }).waitFor();
    const frame = p.locator('iframe[title="Chat"]');
    await eventually(async () => frame.boundingBox()).toEqual({ x: 0, y: 0, width: PHONE.width, height: PHONE.height });
    // Full screen: the launcher would cover the composer, so it steps aside while the chat is open.
    expect(await launcher(p, 'Close chat').isVisible()).toBe(false);
    await screenshot(p, 'widget-phone');
    await c.getByRole('button', { name: 'Close', exact: true }).click();
    await launcher(p).waitFor();
    await eventually(() => frame.isVisible()).toBe(false);
  });

  it('works with the keyboard alone: Tab, Enter, type, Esc, and focus back on the launcher', async () => {
    parley.fake.script({ chunks: ['Yes, we ship to **30 countries**.'] });
    const context = await newContext();
    const { page: p, chat: c } = await open(context, shopPage('/keyboard', shop));
    const button = p.locator('parley-widget .l');
    const launcherFocused = () => button.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el && document.activeElement?.tagName === 'PARLEY-WIDGET');
    /** What has the focus inside the chat, by its accessible name; null when the focus is outside it. */
    const focusedInChat = () =>
      c.locator('body').evaluate(() => {
        const el = document.activeElement;
        return !el || el === document.body || !document.hasFocus() ? null : (el.getAttribute('aria-label') ?? el.textContent?.trim() ?? el.tagName);
      });

    await launcher(p).waitFor();
    await p.keyboard.press('Tab');
    await eventually(launcherFocused).toBe(true);
    await shots(p, 'keyboard-launcher');
    await p.keyboard.press('Enter');
    const box = c.getByRole('textbox', { name: 'Message' });
    await eventually(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    await p.keyboard.type('Do you ship abroad?');
    await p.keyboard.press('Enter');
    await c.locator('.bubble[data-role="user"]', { hasText: 'Do you ship abroad?' }).waitFor();
    await c.locator('.bubble[data-role="assistant"]:not(.streaming)', { hasText: 'Yes, we ship' }).waitFor();

    // Tab and Shift+Tab go round the open chat's controls and never leave it.
    const visited = new Set<string | null>();
    for (const key of ['Tab', 'Shift+Tab']) {
      for (let i = 0; i < 10; i++) {
        await p.keyboard.press(key);
        visited.add(await focusedInChat());
      }
    }
    expect(visited.has(null)).toBe(false);
    for (const name of ['Close', 'Helpful', 'Not helpful', 'Talk to a person', 'Message']) expect(visited).toContain(name);
    await shots(p, 'keyboard-focus');

    await p.keyboard.press('Escape');
    await eventually(launcherFocused).toBe(true);
    await eventually(() => p.locator('iframe[title="Chat"]').isVisible()).toBe(false);
    expect(await button.getAttribute('aria-expanded')).toBe('false');

    // Enter opens it again where the visitor left off, with the cursor in the composer.
    await p.keyboard.press('Enter');
    await eventually(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    await c.getByText('Do you ship abroad?').waitFor();
    await p.keyboard.press('Escape');
    await eventually(launcherFocused).toBe(true);
  });

  describe('outside business hours', () => {
    /** Three days from now, the one day the team is in (9 to 5, UTC): the chat says "back <weekday>". */
    const back = new Date(Date.now() + 3 * 86_400_000);
    const weekday = (locale: string) => new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(back);

    beforeAll(async () => {
      await setHours({ [DAY_KEYS[back.getUTCDay()]]: [['09:00', '17:00']] });
      const settings = (await parley.call<{ data: { online: boolean; next_online_at: string | null } }>('GET', '/api/v1/settings/workspace')).data;
      expect(settings.online).toBe(false);
      expect(settings.next_online_at).toBe(`${back.toISOString().slice(0, 10)}T09:00:00.000Z`);
    });
    afterAll(() => setHours(ALL_WEEK));

    it('says when the team is back and takes an email to reply to', async () => {
      parley.fake.script({ chunks: ['You can change the address until the order ships.'] });
      const context = await newContext();
      const { page: p, chat: c } = await open(context, shopPage('/evening', shop));
      await launcher(p).click();
      await c.getByText('We’re away').waitFor();
      await ask(c, 'Can I change my delivery address?');
      await c.locator('.bubble[data-role="assistant"]:not(.streaming)', { hasText: 'until the order ships' }).waitFor();
      await c.getByRole('button', { name: 'Talk to a person' }).click();
      await c.getByText('We’ve passed your conversation to our team.').waitFor();
      await c.getByText(new RegExp(`^We’re back on ${weekday('en-US')} at 9:00\\sAM\\s— leave your email and we’ll reply there\\.$`)).waitFor();
      await shots(p, 'offline-handoff');

      const email = c.getByRole('textbox', { name: 'Email' });
      await email.fill('sam@');
      await c.getByRole('button', { name: 'Notify me' }).click();
      await c.getByText('Please enter a valid email address.').waitFor();
      await email.fill('sam.evening@example.com');
      await c.getByRole('button', { name: 'Notify me' }).click();
      await c.getByText('Thanks! We’ll reply to sam.evening@example.com.').waitFor();
      await shots(p, 'offline-email-left');

      const [conversation] = (await conversationsOf(shop)).filter((x) => x.id !== conversationId && x.handoff !== null && x.status === 'active');
      expect(conversation.mode).toBe('manual');
      // The typed email is where to reply: a claim on the visitor's own contact, not an identity.
      expect(await contactOf(conversation.contact_id)).toMatchObject({ email: null, claimed_email: 'sam.evening@example.com', external_id: null });

      // A reload remembers that the email was left.
      await p.reload();
      await launcher(p).click();
      await c.getByText('Thanks! We’ll reply to sam.evening@example.com.').waitFor();
      expect(await c.getByRole('button', { name: 'Notify me' }).count()).toBe(0);
    });

    it('speaks the visitor’s language, and the one the site sets', async () => {
      parley.fake.script({ chunks: ['Sie können jeden Artikel innerhalb von **30 Tagen** zurückgeben.'] });
      const context = await newContext(DESKTOP, 'de-DE');
      const { page: p, chat: c } = await open(context, shopPage('/de', shop));
      await launcher(p, 'Chat öffnen').click();
      await c.getByRole('textbox', { name: 'Nachricht' }).waitFor();
      await c.getByText('Bereitgestellt von Parley').waitFor();
      await c.getByText('Wir sind gerade nicht da').waitFor();
      await ask(c, 'Kann ich mein Zelt zurückgeben?');
      await c.locator('.bubble[data-role="assistant"]:not(.streaming) strong', { hasText: '30 Tagen' }).waitFor();
      await c.getByRole('button', { name: 'Hilfreich', exact: true }).waitFor();
      await c.getByRole('button', { name: 'Mit einem Menschen sprechen' }).waitFor();
      await shots(p, 'german');

      await c.getByRole('button', { name: 'Mit einem Menschen sprechen' }).click();
      await c.getByText('Wir haben Ihre Unterhaltung an unser Team übergeben.').waitFor();
      await c.getByText(new RegExp(`^Wir sind am ${weekday('de-DE')} um 0?9:00 wieder da\\s– hinterlassen Sie Ihre E-Mail-Adresse, dann antworten wir dort\\.$`)).waitFor();
      await c.getByRole('button', { name: 'Benachrichtigen' }).waitFor();
      await shots(p, 'german-handoff');

      await p.evaluate(() => (window as unknown as { Parley: (...args: unknown[]) => void }).Parley('setLocale', 'es'));
      await c.getByRole('textbox', { name: 'Mensaje' }).waitFor();
      await c.getByRole('button', { name: 'Cerrar', exact: true }).click();
      await launcher(p, 'Abrir chat').waitFor();
    });
  });

  /**
   * Follows the inbox's event stream; once it is connected (the server subscribes before it says
   * so), resolves with `seen`, settled by the first event that `match` accepts.
   */
  async function watchEvents(match: (event: { type: string }) => boolean): Promise<{ seen: Promise<void> }> {
    const controller = new AbortController();
    const res = await fetch(`${parley.url}/api/v1/events/stream`, { headers: { cookie: operator.cookie, accept: 'text/event-stream' }, signal: controller.signal });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    while (!buffer.includes(': connected')) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the event stream ended');
      buffer += value;
    }
    const seen = (async () => {
      try {
        for (;;) {
          let end: number;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const type = /^event: (.*)$/m.exec(block)?.[1] ?? '';
            const data = /^data: (.*)$/m.exec(block)?.[1] ?? '{}';
            if (match({ type, ...(JSON.parse(data) as object) })) return;
          }
          const { value, done } = await reader.read();
          if (done) throw new Error('the event stream ended');
          buffer += value;
        }
      } finally {
        controller.abort();
      }
    })();
    return { seen };
  }
});
