import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumMissing, DESKTOP, ensureWebBuild, launchChromium, newPage, PHONE, screenshot, signIn } from './browser.js';
import { startParley, type MemberSession, type Parley } from './parley.js';

interface Conversation {
  id: string;
  status: 'active' | 'ended';
  assignee_id: string | null;
  snoozed_until: string | null;
}

const skip = chromiumMissing();
if (skip) console.warn(skip);

const PASSWORD = 'a long enough password';
const LONG_TAG = 'a-very-long-tag-that-says-far-more-than-it-should!';
const BULK = 52;

/**
 * The inbox list in Chromium against a real `parley serve`: views and their counts, saved views
 * shared with a colleague, dense rows read in one request, bulk actions, snooze and reopen from the
 * header, the keyboard, and the phone.
 */
describe.skipIf(skip !== null)('the inbox list: views, rows, bulk actions and keys', () => {
  let parley: Parley;
  let admin: MemberSession;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const open: BrowserContext[] = [];
  const ids: Record<string, string> = {};
  let tom: { id: string; email: string };

  async function startConversation(email: string, name: string, text: string, title?: string): Promise<string> {
    const contact = await parley.call<{ data: { id: number } }>('POST', '/api/v1/contacts', { email, name });
    const c = await parley.call<{ data: Conversation }>('POST', '/api/v1/conversations', { contact_id: contact.data.id, ...(title ? { title } : {}) });
    await parley.call('POST', `/api/v1/conversations/${c.data.id}/messages`, { content: text });
    return c.data.id;
  }
  const conversationOf = async (id: string) => (await parley.call<{ data: Conversation }>('GET', `/api/v1/conversations/${id}`)).data;
  const rows = (p: Page = page) => p.locator('.conversation-row');
  const row = (contact: string, p: Page = page) => p.locator('.conversation-row', { hasText: contact });
  const viewLink = (name: string, p: Page = page) => p.locator('.view-link').filter({ has: p.locator('.view-name').getByText(name, { exact: true }) });
  const countOf = async (name: string, p: Page = page) => Number(await viewLink(name, p).locator('.view-count').textContent());
  /** Whether an element lies wholly inside the list's scrolling box. */
  const insideList = async (p: Page, selector: string) =>
    p.evaluate((sel) => {
      const el = document.querySelector(sel);
      const box = document.querySelector('.list-body');
      if (!el || !box) return false;
      const r = el.getBoundingClientRect();
      const b = box.getBoundingClientRect();
      return r.top >= b.top - 1 && r.bottom <= b.bottom + 1;
    }, selector);

  beforeAll(async () => {
    ensureWebBuild();
    parley = await startParley();
    browser = await launchChromium();
    admin = await parley.signIn(parley.admin.email, parley.admin.password);
    const created = await admin.call<{ data: { id: string } }>('POST', '/api/v1/members', { email: 'tom@example.com', name: 'Tom Becker', role: 'agent', password: PASSWORD }, 201);
    tom = { id: created.data.id, email: 'tom@example.com' };

    ids.eddie = await startConversation('eddie@example.com', 'Eddie Ended', 'Thanks, all sorted', 'Sorted');
    await parley.call('POST', `/api/v1/conversations/${ids.eddie}/end`);
    for (let i = 1; i <= BULK; i += 1) {
      const n = String(i).padStart(2, '0');
      ids[`c${n}`] = await startConversation(`customer${n}@example.com`, `Customer ${n}`, `Question number ${n} about my order`, `Order ${n}`);
    }
    ids.alice = await startConversation('alice@example.com', 'Alice Martin', 'Where is my parcel? It was due on Monday and nothing came.', 'Late parcel');
    await parley.call('POST', `/api/v1/conversations/${ids.c05}/tags`, { tag: LONG_TAG });
    await parley.call('POST', `/api/v1/conversations/${ids.c06}/tags`, { tag: 'refund' });
    await parley.call('POST', `/api/v1/conversations/${ids.c06}/tags`, { tag: 'vip' });
    await parley.call('POST', `/api/v1/conversations/${ids.alice}/tags`, { tag: '#hash' });

    ({ context, page } = await newPage(browser, parley.url, DESKTOP));
    open.push(context);
  }, 180_000);
  afterAll(async () => {
    for (const c of open) await c.close();
    await browser?.close();
    await parley?.stop();
  });

  it('shows 12 and more dense rows at 1280×800, contacts and last messages in one request', async () => {
    const contactRequests: string[] = [];
    const listRequests: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/api/v1/contacts/')) contactRequests.push(path);
      if (path === '/api/v1/conversations') listRequests.push(r.url());
    });
    await signIn(page, parley.admin.email, parley.admin.password);
    await row('Alice Martin').waitFor();
    const visible = await rows().evaluateAll((els) => {
      const box = document.querySelector('.list-body')!.getBoundingClientRect();
      return els.filter((el) => {
        const r = el.getBoundingClientRect();
        return r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
      }).length;
    });
    expect(visible).toBeGreaterThanOrEqual(12);
    // The newest activity first; every row names its contact and says who wrote last.
    await expect.poll(() => rows().first().locator('.row-name').textContent()).toBe('Alice Martin');
    expect(await rows().first().locator('.row-title').textContent()).toBe('Late parcel');
    expect(await rows().first().locator('.row-last').textContent()).toMatch(/^AI: /);
    expect(await row('Customer 07').locator('.row-name').textContent()).toBe('Customer 07');
    expect(contactRequests).toEqual([]);
    expect(listRequests.every((u) => /include=contact(%2C|,)last_message/.test(u))).toBe(true);
    await screenshot(page, 'views-open');
  }, 30_000);

  it('truncates a long tag with a tooltip and shows "#hash" once', async () => {
    expect(await row('Alice Martin').locator('.badge-tag').textContent()).toBe('#hash');
    const long = row('Customer 05').locator('.badge-tag');
    expect(await long.textContent()).toBe(`#${LONG_TAG}`);
    expect(await long.getAttribute('title')).toBe(`#${LONG_TAG}`);
    // Cut: the badge shows less than the whole tag, inside the row and the panel.
    expect(await long.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    const fits = await row('Customer 05').evaluate((li) => {
      const tag = li.querySelector('.badge-tag')!.getBoundingClientRect();
      const box = li.getBoundingClientRect();
      const panel = document.querySelector('.inbox-list')!;
      return tag.right <= box.right && panel.scrollWidth <= panel.clientWidth;
    });
    expect(fits).toBe(true);
    // More tags than room: the first, then how many more, all of them in the tooltip.
    expect(await row('Customer 06').locator('.badge-tag').textContent()).toBe('#refund');
    expect(await row('Customer 06').locator('.badge-tag-more').textContent()).toBe('+1');
    expect(await row('Customer 06').locator('.badge-tag-more').getAttribute('title')).toBe('#vip');
    await row('Customer 05').click();
    const panelTag = page.locator('.details .badge-tag', { hasText: 'a-very-long' });
    expect(await panelTag.evaluate((el) => el.getBoundingClientRect().right <= document.querySelector('.details')!.getBoundingClientRect().right)).toBe(true);
    await page.locator('.msg-user').first().waitFor();
    await screenshot(page, 'views-long-tag');
    await page.goto('/inbox');
  });

  it('counts each view, and leaves ended conversations out of "Open"', async () => {
    await expect.poll(() => countOf('Open')).toBe(BULK + 1);
    expect(await countOf('Ended')).toBe(1);
    expect(await countOf('All')).toBe(BULK + 2);
    expect(await countOf('Unassigned')).toBe(BULK + 1);
    expect(await row('Eddie Ended').count()).toBe(0);
    await viewLink('Ended').click();
    await expect.poll(() => page.url()).toContain('view=ended');
    await expect.poll(() => rows().allTextContents()).toEqual([expect.stringContaining('Eddie Ended')]);
    // Ended: no mode badge, no unread count, no waiting time.
    expect(await row('Eddie Ended').locator('.badge-manual, .badge-unread, .badge-waiting').count()).toBe(0);
    await row('Eddie Ended').locator('.badge', { hasText: 'Ended' }).waitFor();
    await screenshot(page, 'views-ended');
  });

  it('reopens an ended conversation from its header', async () => {
    await row('Eddie Ended').click();
    await page.waitForURL(new RegExp(`/inbox/${ids.eddie}`));
    const head = page.locator('.conversation-head');
    await head.getByRole('button', { name: 'Reopen' }).waitFor();
    // Ended: nobody is answering it, whatever its mode was.
    expect(await head.locator('.badge-ai, .badge-manual').count()).toBe(0);
    await page.locator('.conversation-actions').getByRole('button', { name: 'Reopen' }).click();
    await page.locator('.conversation-actions').getByRole('button', { name: 'End' }).waitFor();
    await head.locator('.badge-ai, .badge-manual').first().waitFor();
    expect((await conversationOf(ids.eddie)).status).toBe('active');
    await expect.poll(() => countOf('Ended')).toBe(0);
    expect(await countOf('Open')).toBe(BULK + 2);
  });

  it('snoozes from the header, and wakes the conversation when the contact writes', async () => {
    await viewLink('Open').click();
    await row('Alice Martin').click();
    await page.waitForURL(new RegExp(`/inbox/${ids.alice}`));
    await page.locator('.conversation-head h1', { hasText: 'Alice Martin' }).waitFor();
    const actions = page.locator('.conversation-actions');
    await actions.getByRole('button', { name: 'Snooze' }).click();
    await screenshot(page, 'views-snooze-menu');
    await actions.getByRole('button', { name: 'Tomorrow 9:00' }).click();
    await actions.getByRole('button', { name: /Wake up/ }).waitFor();
    // The keyboard's focus stays in the header, on the button that took the menu's place.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toMatch(/^Wake up/);
    expect((await conversationOf(ids.alice)).snoozed_until).not.toBeNull();
    await expect.poll(() => countOf('Snoozed')).toBe(1);
    expect(await countOf('Open')).toBe(BULK + 1);
    await expect.poll(() => row('Alice Martin').count()).toBe(0);
    await viewLink('Snoozed').click();
    await row('Alice Martin').locator('.badge-snoozed').waitFor();
    await screenshot(page, 'views-snoozed');

    await parley.call('POST', `/api/v1/conversations/${ids.alice}/messages`, { content: 'Any news?' });
    await expect.poll(() => countOf('Snoozed'), { timeout: 10_000 }).toBe(0);
    expect((await conversationOf(ids.alice)).snoozed_until).toBeNull();
    await actions.getByRole('button', { name: 'Snooze' }).waitFor();
  }, 30_000);

  it('ends a conversation in place: it keeps its place in "All"', async () => {
    await page.goto('/inbox?view=all');
    await row('Customer 10').waitFor();
    const before = (await rows().locator('.row-name').allTextContents()).indexOf('Customer 10');
    await row('Customer 10').click();
    await page.locator('.conversation-head h1', { hasText: 'Customer 10' }).waitFor();
    page.once('dialog', (d) => void d.accept());
    await page.locator('.conversation-actions').getByRole('button', { name: 'End' }).click();
    await page.locator('.conversation-actions').getByRole('button', { name: 'Reopen' }).waitFor();
    await expect.poll(() => countOf('Ended')).toBe(1);
    expect((await rows().locator('.row-name').allTextContents()).indexOf('Customer 10')).toBe(before);
  });

  it('assigns 50 rows at once, selected with a click and a shift-click', async () => {
    await page.goto('/inbox');
    await rows().nth(49).waitFor();
    const names = await rows().locator('.row-name').allTextContents();
    await rows().nth(0).locator('.row-check').click();
    await rows().nth(49).locator('.row-check').click({ modifiers: ['Shift'] });
    const bar = page.getByRole('region', { name: 'Bulk actions' });
    await bar.getByText('50 selected').waitFor();
    await screenshot(page, 'views-bulk-selected');
    await bar.getByLabel('Assign to').selectOption({ label: 'Tom Becker' });
    await page.locator('.bulk-outcome', { hasText: '50 conversations changed.' }).waitFor({ timeout: 20_000 });
    const assigned = (await parley.call<{ data: Conversation[] }>('GET', `/api/v1/conversations?assignee_id=${tom.id}&limit=100`)).data;
    expect(assigned).toHaveLength(50);
    expect(names.slice(0, 50).length).toBe(50);
    await expect.poll(() => page.getByRole('region', { name: 'Bulk actions' }).count()).toBe(0);

    // One that cannot be changed does not stop the others, and says why.
    await page.goto('/inbox?view=all');
    await row('Customer 10').locator('.row-check').click();
    await row('Customer 11').locator('.row-check').click();
    await page.getByRole('region', { name: 'Bulk actions' }).getByRole('button', { name: 'Reopen' }).click();
    await page.locator('.bulk-outcome.failed', { hasText: /^1 of 2 could not be changed: Customer 11: / }).waitFor();
    expect((await conversationOf(ids.c10)).status).toBe('active');
    await screenshot(page, 'views-bulk-failed');
  }, 30_000);

  it('saves a shared view that a colleague sees with its count', async () => {
    await page.goto('/inbox?view=all&tag=%23hash');
    await expect.poll(() => rows().allTextContents()).toEqual([expect.stringContaining('Alice Martin')]);
    await page.getByRole('button', { name: 'Save view' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save this view' });
    await dialog.getByLabel('Name').fill('Hash tagged');
    await dialog.getByLabel('The whole team').check();
    await screenshot(page, 'views-save-dialog');
    await dialog.getByRole('button', { name: 'Save view' }).click();
    await viewLink('Hash tagged').waitFor();
    await expect.poll(() => countOf('Hash tagged')).toBe(1);

    const other = await newPage(browser, parley.url, DESKTOP);
    open.push(other.context);
    await signIn(other.page, tom.email, PASSWORD);
    await viewLink('Hash tagged', other.page).click();
    await expect.poll(() => rows(other.page).allTextContents()).toEqual([expect.stringContaining('Alice Martin')]);
    expect(await countOf('Hash tagged', other.page)).toBe(1);
    // Not his to rename or delete.
    expect(await other.page.getByRole('button', { name: /^Rename/ }).count()).toBe(0);
    await screenshot(other.page, 'views-shared');

    // Its owner renames it, then deletes it: gone for both.
    await page.getByRole('button', { name: 'Rename “Hash tagged”' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename the view' });
    await rename.getByLabel('Name').fill('Hashes');
    await rename.getByRole('button', { name: 'Rename' }).click();
    await viewLink('Hashes').waitFor();
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete' }).click();
    await viewLink('Hashes').waitFor({ state: 'detached' });
    await expect.poll(() => page.url()).not.toContain('view=');
    await other.page.reload();
    await other.page.getByText('This view is gone').waitFor();
    expect(await viewLink('Hashes', other.page).count()).toBe(0);
  }, 30_000);

  it('follows the keyboard: the map, j scrolling the list, Enter, x and Esc', async () => {
    await page.goto('/inbox');
    await rows().nth(20).waitFor();
    await page.keyboard.press('?');
    const map = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await map.getByText('Snooze the open conversation').waitFor();
    await screenshot(page, 'views-keyboard-map');
    await page.keyboard.press('Escape');
    await map.waitFor({ state: 'hidden' });

    for (let i = 0; i < 25; i += 1) await page.keyboard.press('j');
    const focused = page.locator('.conversation-row.focused');
    await expect.poll(() => focused.getAttribute('data-id')).toBe(await rows().nth(24).getAttribute('data-id'));
    await expect.poll(() => insideList(page, '.conversation-row.focused')).toBe(true);
    const target = await focused.getAttribute('data-id');
    await page.keyboard.press('x');
    await page.getByRole('region', { name: 'Bulk actions' }).getByText('1 selected').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('region', { name: 'Bulk actions' }).waitFor({ state: 'detached' });
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/inbox/${target}`));
    await screenshot(page, 'views-keyboard');
    await page.keyboard.press('k');
    await expect.poll(() => focused.getAttribute('data-id')).toBe(await rows().nth(23).getAttribute('data-id'));
    // After a click on a row, Enter still opens the row the keys moved to.
    const opened = await rows().nth(23).getAttribute('data-id');
    const clicked = await rows().nth(22).getAttribute('data-id');
    await rows().nth(22).locator('.row-link').click();
    await page.waitForURL(new RegExp(`/inbox/${clicked}`));
    const openedName = (await rows().nth(23).locator('.row-name').textContent())!;
    const clickedName = (await rows().nth(22).locator('.row-name').textContent())!;
    await page.locator('.conversation-head h1', { hasText: clickedName }).waitFor();
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/inbox/${opened}`));
    // The keys below act on the open conversation: wait until it is the one shown.
    await page.locator('.conversation-head h1', { hasText: openedName }).waitFor();

    // The open conversation's own keys: a opens its assignee picker, t takes over, e asks to end.
    await page.locator('.conversation-actions').getByRole('button', { name: 'Take over' }).waitFor();
    await page.keyboard.press('a');
    await page.locator('.details .picker-list').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.details .picker-list').waitFor({ state: 'detached' });
    await page.keyboard.press('t');
    await page.locator('.conversation-actions').getByRole('button', { name: 'Hand back to AI' }).waitFor();
    const asked = new Promise<string>((resolve) => page.once('dialog', (d) => void d.dismiss().then(() => resolve(d.message()))));
    await page.keyboard.press('e');
    expect(await asked).toMatch(/^End this conversation\?/);
    expect((await conversationOf(opened!)).status).toBe('active');

    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('inbox-search');
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.activeElement?.id)).not.toBe('inbox-search');
    await page.keyboard.press('s');
    await page.locator('.conversation-actions .snooze-menu').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.conversation-actions .snooze-menu').waitFor({ state: 'detached' });
  }, 30_000);

  it('bounds the search and says so plainly', async () => {
    await page.goto('/inbox');
    await page.getByLabel('Search conversations').fill('x'.repeat(250));
    expect((await page.getByLabel('Search conversations').inputValue()).length).toBe(200);
    await page.getByText(/Searches stop at 200 characters/).waitFor();
    await page.getByText('No conversation matches').waitFor();
    expect(await page.getByText('Something went wrong').count()).toBe(0);
  });

  it('keeps the views in reach on a phone, without keyboard hints', async () => {
    await parley.call('POST', `/api/v1/conversations/${ids.c11}/end`);
    const phone = await newPage(browser, parley.url, PHONE);
    open.push(phone.context);
    await signIn(phone.page, parley.admin.email, parley.admin.password);
    await rows(phone.page).first().waitFor();
    expect(await phone.page.locator('.kbd-hint').evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).length)).toBe(0);
    expect(await phone.page.getByLabel('Search conversations').getAttribute('placeholder')).toBe('Search conversations');
    await screenshot(phone.page, 'views-open');
    await viewLink('Ended', phone.page).click();
    await expect.poll(() => rows(phone.page).allTextContents()).toEqual([expect.stringContaining('Customer 11')]);
    await screenshot(phone.page, 'views-ended');
    await row('Customer 11', phone.page).click();
    await phone.page.locator('.conversation-actions').getByRole('button', { name: 'Reopen' }).waitFor();
    await screenshot(phone.page, 'views-conversation');

    // Bulk actions, saving a view and snoozing all fit the phone.
    await phone.page.getByRole('link', { name: /Conversations/ }).click();
    await viewLink('Open', phone.page).click();
    await rows(phone.page).nth(1).locator('.row-check').click();
    await rows(phone.page).nth(3).locator('.row-check').click({ modifiers: ['Shift'] });
    await phone.page.getByRole('region', { name: 'Bulk actions' }).getByText('3 selected').waitFor();
    await screenshot(phone.page, 'views-bulk-selected');
    await phone.page.getByRole('button', { name: 'Clear selection' }).click();
    await phone.page.getByRole('button', { name: 'Save view' }).click();
    await phone.page.getByRole('dialog', { name: 'Save this view' }).waitFor();
    await screenshot(phone.page, 'views-save-dialog');
    await phone.page.getByRole('dialog', { name: 'Save this view' }).getByRole('button', { name: 'Cancel' }).click();
    await row('Alice Martin', phone.page).click();
    await phone.page.locator('.conversation-actions').getByRole('button', { name: 'Snooze' }).click();
    await phone.page.locator('.snooze-menu').getByRole('button', { name: 'Next week' }).waitFor();
    await screenshot(phone.page, 'views-snooze-menu');
  }, 30_000);
});
