import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, DESKTOP, ensureWebBuild, launchChromium, newPage, PHONE, screenshot, signIn } from './browser.js';
import { startParley, type Parley } from './parley.js';

interface Settings {
  business_hours: { enabled: boolean; timezone: string; days: Record<string, string[][]> } | null;
  reply_time: string;
  online: boolean;
  next_online_at: string | null;
}

const skip = chromiumMissing();
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The business hours editor on the workspace page, and the team status in the top bar. */
describe.skipIf(skip !== null)('business hours in the web inbox', () => {
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

  const settings = async () => (await parley.call<{ data: Settings }>('GET', '/api/v1/settings/workspace')).data;
  const badge = (page: Page) => page.locator('.topbar .team-status');

  /** The editor card alone, as test-results/screenshots/<name>-<width>.png. */
  async function shoot(page: Page, name: string): Promise<void> {
    const dir = path.resolve('test-results/screenshots');
    fs.mkdirSync(dir, { recursive: true });
    // The inbox scrolls inside its shell, so the page is made tall enough to show the whole card.
    const viewport = page.viewportSize() ?? DESKTOP;
    await page.setViewportSize({ width: viewport.width, height: 1600 });
    await page.locator('form.hours-form').screenshot({ path: path.join(dir, `${name}-${viewport.width}.png`) });
    await page.setViewportSize(viewport);
  }

  it('lets an admin set hours and a reply time; the top bar then says when the team is back', async () => {
    const { context, page } = await newPage(browser, parley.url, DESKTOP);
    try {
      await signIn(page, parley.admin.email, parley.admin.password);
      await expect.poll(() => badge(page).textContent()).toBe('Team online');
      await page.goto('/admin/workspace');
      const form = page.locator('form.hours-form');
      await form.getByRole('heading', { name: 'Business hours' }).waitFor();

      // Off by default: the ranges are a suggestion (Monday to Friday, 9 to 5) until switched on.
      const hoursSwitch = form.getByRole('switch', { name: /Set business hours/ });
      expect(await hoursSwitch.isChecked()).toBe(false);
      expect(await form.getByLabel('Monday: opens').isDisabled()).toBe(true);
      await hoursSwitch.check();
      await form.getByLabel('Time zone').fill('Europe/Berlin');

      // A lunch break on Monday, copied to the other weekdays.
      await form.getByLabel('Monday: closes').fill('12:30');
      await form.getByRole('button', { name: 'Add hours on Monday' }).click();
      await form.getByLabel('Monday, hours 2: opens').fill('13:30');
      await form.getByLabel('Monday, hours 2: closes').fill('17:00');
      await form.getByRole('button', { name: 'Copy Monday to Tue–Fri' }).click();
      await form.getByRole('button', { name: 'Add hours on Saturday' }).click();
      await form.getByLabel('Saturday: closes').fill('13:00');
      await form.getByLabel('Typical reply time').selectOption('minutes');

      // A range that closes before it opens is shown beside it and cannot be saved.
      await form.getByRole('button', { name: 'Add hours on Sunday' }).click();
      await form.getByLabel('Sunday: closes').fill('08:00');
      await form.getByText('Closes before it opens').waitFor();
      expect(await form.getByRole('button', { name: 'Save business hours' }).isDisabled()).toBe(true);
      await shoot(page, 'business-hours-invalid');
      await form.getByRole('button', { name: /^Remove Sunday/ }).click();

      await form.getByRole('button', { name: 'Save business hours' }).click();
      await form.getByText('Business hours saved.').waitFor();
      await shoot(page, 'business-hours');
      const saved = await settings();
      expect(saved.reply_time).toBe('minutes');
      expect(saved.business_hours).toEqual({
        enabled: true,
        timezone: 'Europe/Berlin',
        days: {
          mon: [['09:00', '12:30'], ['13:30', '17:00']],
          tue: [['09:00', '12:30'], ['13:30', '17:00']],
          wed: [['09:00', '12:30'], ['13:30', '17:00']],
          thu: [['09:00', '12:30'], ['13:30', '17:00']],
          fri: [['09:00', '12:30'], ['13:30', '17:00']],
          sat: [['09:00', '13:00']],
          sun: [],
        },
      });

      // Only one hour, three days from now (UTC): the team is away until then.
      await form.getByLabel('Time zone').fill('UTC');
      for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']) {
        while ((await form.getByRole('button', { name: new RegExp(`^Remove ${day}`) }).count()) > 0) {
          await form.getByRole('button', { name: new RegExp(`^Remove ${day}`) }).first().click();
        }
      }
      const then = new Date(Date.now() + 3 * 86_400_000);
      const day = DAY_NAMES[then.getUTCDay()];
      await form.getByRole('button', { name: `Add hours on ${day}` }).click();
      await form.getByLabel(`${day}: opens`).fill('10:00');
      await form.getByLabel(`${day}: closes`).fill('11:00');
      await form.getByRole('button', { name: 'Save business hours' }).click();
      await form.getByText('Business hours saved.').waitFor();
      const away = await settings();
      expect(away).toMatchObject({ online: false, next_online_at: `${then.toISOString().slice(0, 10)}T10:00:00.000Z` });
      await expect.poll(() => badge(page).textContent()).toMatch(/^Away · back /);
      await form.locator('.team-pill', { hasText: 'Away · back' }).waitFor();
      await screenshot(page, 'workspace-away');

      // Switched off, the team is online again and the hours are kept.
      await form.getByRole('switch', { name: /Set business hours/ }).uncheck();
      await form.getByRole('button', { name: 'Save business hours' }).click();
      await expect.poll(() => badge(page).textContent()).toBe('Team online');
      expect((await settings()).business_hours).toMatchObject({ enabled: false, timezone: 'UTC' });
    } finally {
      await context.close();
    }
  }, 90_000);

  it('shows the editor and the status on a phone', async () => {
    const { context, page } = await newPage(browser, parley.url, PHONE);
    try {
      await signIn(page, parley.admin.email, parley.admin.password);
      await page.goto('/admin/workspace');
      await page.locator('form.hours-form').getByRole('switch', { name: /Set business hours/ }).check();
      await shoot(page, 'business-hours');
      await page.getByRole('button', { name: 'Menu' }).click();
      await badge(page).waitFor();
      await screenshot(page, 'menu-team-status');
    } finally {
      await context.close();
    }
  }, 60_000);
});
