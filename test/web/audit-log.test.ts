import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumMissing, DESKTOP, ensureWebBuild, launchChromium, newPage, PHONE, screenshot, signIn } from './browser.js';
import { startParley, type Parley } from './parley.js';

const skip = chromiumMissing();
if (skip) console.warn(skip);

/**
 * The audit log page in Chromium against a real `parley serve`: an admin sees who did what, from
 * where (a failed sign-in, changes by an API key), filters it, and loads older entries.
 */
describe.skipIf(skip !== null)('the audit log page in Chromium', () => {
  let parley: Parley;
  let browser: Browser;
  const open: BrowserContext[] = [];
  let page: Page;

  beforeAll(async () => {
    ensureWebBuild();
    parley = await startParley();
    browser = await launchChromium();
    // A failed sign-in, then more changes by the API key than one page shows.
    const failed = await fetch(`${parley.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: parley.admin.email, password: 'not my password at all' }),
    });
    expect(failed.status).toBe(401);
    for (let i = 0; i < 55; i++) await parley.call('POST', '/api/v1/teams', { name: `Team ${i}` }, 201);
    const made = await newPage(browser, parley.url, DESKTOP);
    open.push(made.context);
    page = made.page;
    await signIn(page, parley.admin.email, parley.admin.password);
  }, 90_000);
  afterAll(async () => {
    for (const c of open) await c.close().catch(() => {});
    await browser?.close();
    await parley?.stop();
  });

  const rows = () => page.getByRole('table', { name: 'Audit log entries' }).locator('tbody tr');

  it('shows when, who, what, which record and from where, newest first', async () => {
    await page.goto('/admin');
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await expect.poll(() => rows().count()).toBe(50);
    // Newest first: the admin's own sign-in in this browser.
    const first = rows().first();
    await expect.poll(() => first.innerText()).toContain('Signed in');
    expect(await first.innerText()).toContain(parley.admin.email);
    expect(await first.innerText()).toContain('127.0.0.1');
    expect(await rows().nth(1).innerText()).toMatch(/API key sk_[\w-]+…\s+Team created\s+team [0-9a-f-]{36}/);
    await screenshot(page, 'audit-log');
  });

  it('filters by what happened, and by who from a row', async () => {
    await page.getByLabel('What').selectOption('auth.sign_in_failed');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => rows().count()).toBe(1);
    const failed = await rows().first().innerText();
    expect(failed).toContain('Failed sign-in');
    expect(failed).toContain(parley.admin.email);
    expect(failed).toContain('127.0.0.1');
    expect(failed).not.toContain('not my password');
    await rows().first().getByText('Failed sign-in').click();
    await expect.poll(() => rows().first().innerText()).toContain('wrong_password');

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => rows().count()).toBe(50);
    await rows().nth(1).getByRole('button').click();
    await expect.poll(async () => (await rows().allInnerTexts()).every((t) => t.includes('API key'))).toBe(true);
  });

  it('loads older entries on request, and fits a phone', async () => {
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => rows().count()).toBe(50);
    await page.getByRole('button', { name: 'Load more' }).click();
    // 55 teams, the failed and the successful sign-in.
    await expect.poll(() => rows().count()).toBe(57);
    await expect.poll(() => page.getByRole('button', { name: 'Load more' }).count()).toBe(0);

    const phone = await newPage(browser, parley.url, PHONE);
    open.push(phone.context);
    await signIn(phone.page, parley.admin.email, parley.admin.password);
    await phone.page.goto('/admin/audit');
    await phone.page.getByRole('table', { name: 'Audit log entries' }).waitFor();
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await screenshot(phone.page, 'audit-log');
  });
});
