import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumMissing, DESKTOP, ensureWebBuild, launchChromium, newPage, PHONE, screenshot, signIn } from './browser.js';
import { startParley, type Parley } from './parley.js';

const skip = chromiumMissing();
if (skip) console.warn(skip);

const PASSWORD = 'a long enough password';

interface Watched {
  __notified: Array<{ title: string; body: string | undefined }>;
  __asked: number;
}

/**
 * Wraps the browser's Notification before the app loads: records every desktop notification and
 * every permission request, so the test sees what the member would.
 */
function watchNotifications(): void {
  const w = window as unknown as Watched & { Notification: typeof Notification };
  const Real = w.Notification;
  w.__notified = [];
  w.__asked = 0;
  function Watching(title: string, options?: NotificationOptions) {
    w.__notified.push({ title, body: options?.body });
    return new Real(title, options);
  }
  Watching.requestPermission = () => {
    w.__asked++;
    return Real.requestPermission();
  };
  Object.defineProperty(Watching, 'permission', { get: () => Real.permission });
  w.Notification = Watching as unknown as typeof Notification;
}

/** As when the member switches to another tab or window. */
const setHidden = (page: Page, hidden: boolean) =>
  page.evaluate((h) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);

/** Issue 16: the bell, the tab title and desktop notifications, between two members in two browsers. */
describe.skipIf(skip !== null)('notifications in Chromium', () => {
  let parley: Parley;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let maya: Page;
  let tom: Page;
  const missing: string[] = [];
  const conv: Record<string, string> = {};

  async function startConversation(name: string, title: string): Promise<string> {
    const contact = await parley.call<{ data: { id: number } }>('POST', '/api/v1/contacts', { name });
    const c = await parley.call<{ data: { id: string } }>('POST', '/api/v1/conversations', { contact_id: contact.data.id, title });
    return c.data.id;
  }
  const bellCount = (page: Page) => page.locator('.bell-count');
  const bellButton = (page: Page) => page.getByRole('button', { name: /^Notifications/ });
  const panel = (page: Page) => page.locator('#bell-panel');

  beforeAll(async () => {
    ensureWebBuild();
    parley = await startParley();
    browser = await launchChromium();
    const admin = await parley.signIn(parley.admin.email, parley.admin.password);
    for (const [name, email] of [
      ['Maya Chen', 'maya@example.com'],
      ['Tom Becker', 'tom@example.com'],
    ]) {
      await admin.call('POST', '/api/v1/members', { email, name, role: 'agent', password: PASSWORD }, 201);
    }
    conv.alice = await startConversation('Alice Martin', 'Where is my parcel?');
    conv.bob = await startConversation('Bob Stone', 'My invoice looks wrong');

    // Maya's browser lets the site notify (as after a "yes" to the browser's prompt); she is still asked by the inbox.
    const context = await browser.newContext({ baseURL: parley.url, viewport: DESKTOP, permissions: ['notifications'] });
    context.setDefaultTimeout(10_000);
    await context.addInitScript(watchNotifications);
    contexts.push(context);
    maya = await context.newPage();
    maya.on('response', (r) => r.status() === 404 && missing.push(r.url()));
    await signIn(maya, 'maya@example.com', PASSWORD);
    const other = await newPage(browser, parley.url, DESKTOP);
    contexts.push(other.context);
    tom = other.page;
    await signIn(tom, 'tom@example.com', PASSWORD);
  }, 60_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await parley?.stop();
  });

  it('counts an assignment by a colleague live in the bell and the tab title; opening it clears the count', async () => {
    await maya.locator('.conversation-row').first().waitFor();
    expect(await maya.title()).toBe('Parley');
    await expect(bellCount(maya).count()).resolves.toBe(0);
    await screenshot(maya, 'notifications-none');

    await tom.goto(`/inbox/${conv.alice}`);
    await tom.locator('.details').getByRole('button', { name: /^Assignee/ }).click();
    await tom.locator('.picker-list').getByRole('option', { name: /^Maya Chen/ }).click();
    await tom.locator('.conversation-head', { hasText: 'Assigned to Maya Chen' }).waitFor();

    await expect.poll(() => bellCount(maya).textContent()).toBe('1');
    await expect.poll(() => maya.title()).toBe('(1) Parley');
    // The tab's icon carries a dot while something is unread.
    expect(await maya.locator('link[rel="icon"]').getAttribute('href')).toMatch(/^data:image\/svg\+xml/);
    await screenshot(maya, 'notifications-unread');

    await bellButton(maya).click();
    const item = panel(maya).locator('.bell-item').first();
    await expect.poll(() => item.textContent()).toContain('Tom Becker assigned you a conversation');
    expect(await item.textContent()).toContain('Where is my parcel?');
    expect(await item.getAttribute('class')).toContain('bell-item-unread');
    await screenshot(maya, 'notifications-assigned');

    await item.getByRole('link').click();
    await maya.waitForURL(new RegExp(`/inbox/${conv.alice}$`));
    await expect.poll(() => bellCount(maya).count()).toBe(0);
    await expect.poll(() => maya.title()).toBe('Parley');
    expect(await maya.locator('link[rel="icon"]').getAttribute('href')).toBe('/favicon.svg');
  });

  it('asks for desktop notifications only on a click, then shows a mention while the tab is hidden', async () => {
    // Nothing asked on load.
    expect(await maya.evaluate(() => (window as unknown as Watched).__asked)).toBe(0);
    await bellButton(maya).click();
    await panel(maya).getByRole('button', { name: 'Enable desktop notifications' }).click();
    await panel(maya).getByText('Desktop notifications are on').waitFor();
    expect(await maya.evaluate(() => (window as unknown as Watched).__asked)).toBe(1);
    await maya.keyboard.press('Escape');
    await setHidden(maya, true);

    await tom.goto(`/inbox/${conv.bob}`);
    await tom.locator('.composer-tabs').getByText('Internal note').click();
    await tom.getByRole('textbox', { name: /Note text/ }).fill('@maya could you check the invoice total?');
    await tom.getByRole('button', { name: 'Add note' }).click();

    await expect.poll(() => maya.evaluate(() => (window as unknown as Watched).__notified)).toEqual([
      { title: 'Tom Becker mentioned you in a note', body: 'My invoice looks wrong — @maya could you check the invoice total?' },
    ]);
    await expect.poll(() => maya.title()).toBe('(1) Parley');

    await setHidden(maya, false);
    await bellButton(maya).click();
    const item = panel(maya).locator('.bell-item-unread');
    await expect.poll(() => item.textContent()).toContain('@maya could you check the invoice total?');
    await screenshot(maya, 'notifications-mention');
    await panel(maya).getByRole('button', { name: 'Mark all as read' }).click();
    await expect.poll(() => bellCount(maya).count()).toBe(0);
    await expect.poll(() => maya.title()).toBe('Parley');
    await maya.keyboard.press('Escape');
  });

  it('remembers the sound setting in this browser', async () => {
    await bellButton(maya).click();
    const sound = panel(maya).getByRole('checkbox', { name: 'Play a sound for new notifications' });
    expect(await sound.isChecked()).toBe(false);
    await sound.check();
    await maya.reload();
    await bellButton(maya).click();
    expect(await panel(maya).getByRole('checkbox', { name: 'Play a sound for new notifications' }).isChecked()).toBe(true);
    await maya.keyboard.press('Escape');
  });

  it('serves the favicon: no request of the inbox ends in a 404', async () => {
    for (const [url, type] of [
      ['/favicon.svg', 'image/svg+xml'],
      ['/favicon.ico', 'image/'],
    ]) {
      const res = await fetch(parley.url + url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toContain(type);
    }
    expect(missing).toEqual([]);
  });

  it('keeps the bell in the bar on a phone', async () => {
    const { context, page } = await newPage(browser, parley.url, PHONE);
    contexts.push(context);
    await signIn(page, 'maya@example.com', PASSWORD);
    const byTom = await parley.signIn('tom@example.com', PASSWORD);
    await byTom.call('POST', `/api/v1/conversations/${conv.bob}/assign`, { member_id: (await parley.signIn('maya@example.com', PASSWORD)).member.id });
    await expect.poll(() => bellCount(page).textContent()).toBe('1');
    await screenshot(page, 'notifications-unread');
    await bellButton(page).click();
    await panel(page).locator('.bell-item').first().waitFor();
    const box = await panel(page).boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'notifications-panel');
    await page.keyboard.press('Escape');
    await screenshot(page, 'notifications-bar');
  });
});
