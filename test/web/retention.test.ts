import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumMissing, DESKTOP, ensureWebBuild, launchChromium, newPage, signIn } from './browser.js';
import { startParley, type Parley } from './parley.js';

const skip = chromiumMissing();

/** The retention periods on the workspace page. */
describe.skipIf(skip !== null)('data retention in the web inbox', () => {
  let parley: Parley;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuild();
    parley = await startParley();
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await parley?.stop();
  });

  const retention = async () =>
    (await parley.call<{ data: { retention: Record<string, number | null> } }>('GET', '/api/v1/settings/workspace')).data.retention;

  it('lets an admin set how many days each kind of data is kept, and clear a period to keep it forever', async () => {
    const { context, page } = await newPage(browser, parley.url, DESKTOP);
    try {
      await signIn(page, parley.admin.email, parley.admin.password);
      await page.goto('/admin/workspace');
      const form = page.getByRole('form', { name: 'Data retention' });
      await form.getByRole('heading', { name: 'Data retention' }).waitFor();
      // Forever everywhere but the audit log, kept a year.
      expect(await form.getByLabel(/^Ended conversations/).inputValue()).toBe('');
      expect(await form.getByLabel(/^Audit log/).inputValue()).toBe('365');

      await form.getByLabel(/^Ended conversations/).fill('400');
      await form.getByLabel(/^Events/).fill('30');
      await form.getByRole('button', { name: 'Save retention' }).click();
      await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      expect(await retention()).toEqual({
        ended_conversations_days: 400,
        events_days: 30,
        webhook_deliveries_days: null,
        automation_runs_days: null,
        audit_log_days: 365,
      });

      await form.getByLabel(/^Events/).fill('');
      await form.getByLabel(/^Audit log/).fill('90');
      await form.getByRole('button', { name: 'Save retention' }).click();
      await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      expect(await retention()).toMatchObject({ ended_conversations_days: 400, events_days: null, audit_log_days: 90 });
      await page.reload();
      await form.getByRole('heading', { name: 'Data retention' }).waitFor();
      expect(await form.getByLabel(/^Events/).inputValue()).toBe('');
      expect(await form.getByLabel(/^Ended conversations/).inputValue()).toBe('400');
    } finally {
      await context.close();
    }
  }, 60_000);
});
