import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumMissing, DESKTOP, ensureWebBuild, launchChromium, newPage, PHONE, screenshot, signIn } from './browser.js';
import { startParley, type Parley } from './parley.js';

interface Channel {
  id: string;
  name: string;
  type: string;
  public_key: string | null;
  embed_snippet: string | null;
  identity_secret?: string;
  config: Record<string, unknown>;
}

const skip = chromiumMissing();
if (skip) console.warn(skip);

/** An admin sets up the website chat widget: its settings, the live preview, the snippet and the identity secret. */
describe.skipIf(skip !== null)('the web_widget channel editor in Chromium', () => {
  let parley: Parley;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let channelId: string;
  let firstSecret: string;

  const channelOf = async (id: string) => (await parley.call<{ data: Channel }>('GET', `/api/v1/channels/${id}`)).data;
  const preview = () => page.locator('.wp-stage');
  const secretShown = () => page.getByLabel('Identity secret', { exact: true });

  /** The whole editor (the shell scrolls inside itself), as test-results/screenshots/<name>-<width>.png. */
  async function shootEditor(name: string, on: Page = page): Promise<void> {
    const dir = path.resolve('test-results/screenshots');
    fs.mkdirSync(dir, { recursive: true });
    const viewport = on.viewportSize() ?? DESKTOP;
    await on.setViewportSize({ width: viewport.width, height: 2400 });
    await on.locator('.wa-page').screenshot({ path: path.join(dir, `${name}-full-${viewport.width}.png`) });
    await on.setViewportSize(viewport);
  }

  beforeAll(async () => {
    ensureWebBuild();
    parley = await startParley();
    browser = await launchChromium();
    ({ context, page } = await newPage(browser, parley.url, DESKTOP));
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: parley.url });
    await signIn(page, parley.admin.email, parley.admin.password);
  }, 90_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await parley?.stop();
  });

  it('previews the settings as they are typed, before anything is saved', async () => {
    await page.goto('/admin/channels');
    await page.getByRole('link', { name: '+ New website widget' }).click();
    await page.waitForURL(/\/admin\/channels\/new/);
    await page.getByRole('heading', { name: 'New website widget' }).waitFor();

    // The defaults, as the widget would show them.
    await expect.poll(() => preview().locator('.wp-head h1').textContent()).toBe('Chat with us');
    expect(await preview().getAttribute('data-position')).toBe('right');
    await expect.poll(() => page.getByLabel('Answering agent').inputValue()).not.toBe('');

    await page.getByLabel('Channel name').fill('Shop chat');
    await page.getByLabel('Title', { exact: true }).fill('Talk to Acme');
    await expect.poll(() => preview().locator('.wp-head h1').textContent()).toBe('Talk to Acme');
    await page.getByLabel('Greeting').fill('Hello! Questions about an order?');
    await expect.poll(() => preview().locator('.wp-greeting').textContent()).toBe('Hello! Questions about an order?');

    const headColour = () => preview().locator('.wp-head').evaluate((el) => getComputedStyle(el).backgroundColor);
    const launcher = preview().locator('.wp-launcher');
    expect(await headColour()).toBe('rgb(79, 70, 229)');
    await page.getByLabel('Accent colour', { exact: true }).fill('#0f766e');
    await expect.poll(headColour).toBe('rgb(15, 118, 110)');
    expect(await launcher.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(15, 118, 110)');
    // The colour picker follows the typed colour, and the other way round.
    expect(await page.getByLabel('Accent colour picker').inputValue()).toBe('#0f766e');

    const stage = (await preview().boundingBox())!;
    const launcherX = async () => (await launcher.boundingBox())!.x - stage.x;
    expect(await launcherX()).toBeGreaterThan(stage.width / 2);
    await page.getByLabel('Bottom left').check();
    await expect.poll(() => preview().getAttribute('data-position')).toBe('left');
    expect(await launcherX()).toBeLessThan(stage.width / 2);

    // The widget's own words follow the language.
    await page.getByLabel('Language').selectOption('de');
    await expect.poll(() => preview().locator('.wp-brand p').textContent()).toBe('Wir sind online');
    expect(await preview().locator('.wp-textarea').textContent()).toBe('Nachricht schreiben…');
    await page.getByLabel('Language').selectOption('en');
    await expect.poll(() => preview().locator('.wp-textarea').textContent()).toBe('Write a message…');

    // A pre-chat form with the email first and two fields of the admin's.
    await page.getByRole('switch', { name: /Ask visitors to introduce themselves/ }).check();
    await page.getByLabel('Require an email address').check();
    await page.getByRole('button', { name: '+ Add field' }).click();
    await page.getByLabel('Field 1: Label').fill('Order number');
    expect(await page.getByLabel('Field 1: Key').inputValue()).toBe('order_number');
    await page.getByLabel('Field 1: Required').check();
    await page.getByRole('button', { name: '+ Add field' }).click();
    await page.getByLabel('Field 2: Label').fill('Topic');
    await page.getByLabel('Field 2: Type').selectOption('select');
    await page.getByLabel('Field 2: Choices').fill('Delivery\nReturns\nBilling');
    await expect.poll(() => preview().locator('.wp-card .wp-label').allTextContents()).toEqual(['Email *', 'Order number *', 'Topic']);
    // While the form is to be filled in, the widget shows no composer; the preview can show either.
    expect(await preview().locator('.wp-composer').count()).toBe(0);
    await page.getByRole('button', { name: 'Chat', exact: true }).click();
    await preview().locator('.wp-composer').waitFor();
    await page.getByRole('button', { name: 'Pre-chat form', exact: true }).click();

    // No more than five fields.
    for (let i = 3; i <= 5; i++) await page.getByRole('button', { name: '+ Add field' }).click();
    expect(await page.getByRole('button', { name: '+ Add field' }).isDisabled()).toBe(true);
    await page.getByText('That is the most a form can ask: 5 fields.').waitFor();
    for (let i = 5; i >= 3; i--) await page.getByRole('button', { name: new RegExp(`^Remove field ${i}`) }).click();
    expect(await page.locator('.wa-pf').count()).toBe(2);

    await page.getByLabel('Identity verification').selectOption('optional');
    await page.getByText('hex HMAC-SHA256 of the user id').waitFor();
    await page.getByRole('heading', { name: 'New website widget' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'widget-editor-new');
    await shootEditor('widget-editor-new');
  }, 60_000);

  it('creates the channel, shows its snippet to copy and its identity secret once', async () => {
    await page.getByRole('button', { name: 'Create widget' }).click();
    await page.waitForURL(/\/admin\/channels\/[0-9a-f-]{36}$/);
    channelId = page.url().split('/').pop()!;

    const stored = await channelOf(channelId);
    expect(stored).toMatchObject({ name: 'Shop chat', type: 'web_widget' });
    expect(stored.identity_secret).toBeUndefined();
    expect(stored.config).toMatchObject({
      title: 'Talk to Acme',
      greeting: 'Hello! Questions about an order?',
      accent_color: '#0f766e',
      position: 'left',
      locale: 'en',
      identity_verification: 'optional',
      allowed_origins: [],
      pre_chat: {
        enabled: true,
        require_email: true,
        fields: [
          { name: 'order_number', label: 'Order number', type: 'text', required: true },
          { name: 'topic', label: 'Topic', type: 'select', options: ['Delivery', 'Returns', 'Billing'], required: false },
        ],
      },
    });

    // The secret, once, with a warning.
    await page.getByText('Identity secret — copy it now: it will not be shown again.').waitFor();
    firstSecret = (await secretShown().textContent())!.trim();
    expect(firstSecret.length).toBeGreaterThanOrEqual(32);
    await page.getByRole('button', { name: 'Copy secret' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(firstSecret);

    // The snippet carries the public key; "Copy snippet" puts the exact snippet on the clipboard.
    const snippet = page.getByLabel('Embed snippet');
    expect(await snippet.textContent()).toContain(stored.public_key!);
    expect(stored.public_key).toMatch(/^pk_live_/);
    await page.getByText(stored.public_key!, { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Copy snippet' }).click();
    await page.locator('.wa-install').getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(stored.embed_snippet);
    await screenshot(page, 'widget-created');
    await shootEditor('widget-created');

    // The editor starts from what was stored, and the preview with it.
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('Talk to Acme');
    expect(await preview().getAttribute('data-position')).toBe('left');

    // Dismissed, or read again, the secret is gone for good.
    await page.getByRole('button', { name: 'I have saved it' }).click();
    expect(await secretShown().count()).toBe(0);
    await page.reload();
    await page.getByRole('heading', { name: 'Shop chat' }).waitFor();
    await page.getByLabel('Embed snippet').waitFor();
    expect(await secretShown().count()).toBe(0);
    expect(await page.getByText(firstSecret).count()).toBe(0);

    // The list links to the editor.
    await page.goto('/admin/channels');
    await page.getByText(stored.public_key!).waitFor();
    await screenshot(page, 'channels-with-widget');
    await page.getByRole('link', { name: 'Edit widget Shop chat' }).click();
    await page.waitForURL(new RegExp(`/admin/channels/${channelId}$`));
  }, 60_000);

  it('rotates the identity secret after a confirmation and shows the new one once', async () => {
    await page.getByRole('heading', { name: 'Shop chat' }).waitFor();
    // Cancelled, nothing happens.
    page.once('dialog', (d) => void d.dismiss());
    await page.getByRole('button', { name: 'Rotate identity secret' }).click();
    await page.waitForTimeout(200);
    expect(await secretShown().count()).toBe(0);

    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      void d.accept();
    });
    await page.getByRole('button', { name: 'Rotate identity secret' }).click();
    await page.getByText('New identity secret — copy it now: it will not be shown again.').waitFor();
    expect(asked).toContain('Hashes signed with the current secret stop working');
    const second = (await secretShown().textContent())!.trim();
    expect(second).not.toBe(firstSecret);
    expect(second.length).toBe(firstSecret.length);
    expect((await channelOf(channelId)).identity_secret).toBeUndefined();
    await screenshot(page, 'widget-secret-rotated');
    await page.getByRole('button', { name: 'I have saved it' }).click();
  }, 30_000);

  it('shows an invalid allowed origin beside its field, clears it on edit, and saves a valid list', async () => {
    await page.getByRole('button', { name: '+ Add origin' }).click();
    await page.getByLabel('Allowed origin 1').fill('https://shop.example');
    await page.getByRole('button', { name: '+ Add origin' }).click();
    await page.getByLabel('Allowed origin 2').fill('https://shop.example/checkout');
    await page.getByText('Unsaved changes').waitFor();
    await page.getByRole('button', { name: 'Save changes' }).click();

    const bad = page.getByLabel('Allowed origin 2');
    await page.getByText('Must be an origin such as https://shop.example (scheme, host, port; no path).').waitFor();
    expect(await bad.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Allowed origin 1').getAttribute('aria-invalid')).toBeNull();
    await page.getByText('Some settings need a fix').waitFor();
    await bad.scrollIntoViewIfNeeded();
    await screenshot(page, 'widget-origin-error');
    expect((await channelOf(channelId)).config.allowed_origins).toEqual([]);

    // Editing the field clears its error.
    await bad.fill('https://help.shop.example');
    expect(await bad.getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByText('Must be an origin such as').count()).toBe(0);

    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('All changes saved.').waitFor();
    expect((await channelOf(channelId)).config.allowed_origins).toEqual(['https://shop.example', 'https://help.shop.example']);

    // A removed row leaves the list; the others keep their values.
    await page.getByRole('button', { name: 'Remove origin 1 (https://shop.example)' }).click();
    expect(await page.getByLabel('Allowed origin 1').inputValue()).toBe('https://help.shop.example');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('All changes saved.').waitFor();
    expect((await channelOf(channelId)).config.allowed_origins).toEqual(['https://help.shop.example']);
  }, 30_000);

  it('fits a phone', async () => {
    const phone = await newPage(browser, parley.url, PHONE);
    try {
      await signIn(phone.page, parley.admin.email, parley.admin.password);
      await phone.page.goto(`/admin/channels/${channelId}`);
      await phone.page.getByLabel('Embed snippet').waitFor();
      await screenshot(phone.page, 'widget-editor');
      await shootEditor('widget-editor', phone.page);
      const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await phone.context.close();
    }
  }, 30_000);
});
