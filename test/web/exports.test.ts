import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumMissing, DESKTOP, ensureWebBuild, launchChromium, newPage, screenshot, signIn } from './browser.js';
import { startParley, type MemberSession, type Parley } from './parley.js';

const skip = chromiumMissing();
if (skip) console.warn(skip);

/** What a download saved, as text. */
async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
}

/**
 * A person's data and the workspace's exports in Chromium against a real `parley serve`: the
 * contact page saves the contact's data (notes only when an admin includes them) and erases the
 * contact after a confirmation that names what goes; the exports page starts an export, shows it
 * being written, and downloads the file.
 */
describe.skipIf(skip !== null)('exporting and erasing in Chromium', () => {
  let parley: Parley;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let admin: MemberSession;

  beforeAll(async () => {
    ensureWebBuild();
    parley = await startParley();
    browser = await launchChromium();
    ({ context, page } = await newPage(browser, parley.url, DESKTOP));
    await signIn(page, parley.admin.email, parley.admin.password);
    admin = await parley.signIn(parley.admin.email, parley.admin.password);
  }, 60_000);
  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close();
    await parley?.stop();
  });

  it('exports a contact’s data, with notes only when asked, and erases them after naming what goes', async () => {
    const contact = await parley.call<{ data: { id: number } }>('POST', '/api/v1/contacts', { email: 'erin@example.com', name: 'Erin Brockovich', phone: '+1 555 0100' });
    const id = contact.data.id;
    const conversation = await parley.call<{ data: { id: string } }>('POST', '/api/v1/conversations', { contact_id: id });
    await parley.call('POST', `/api/v1/conversations/${conversation.data.id}/messages`, { role: 'user', content: 'My water tastes strange' });
    await admin.call('POST', `/api/v1/conversations/${conversation.data.id}/messages`, { role: 'note', content: 'Escalate to legal' });

    await page.goto(`/contacts/${id}`);
    const exportLink = page.getByRole('link', { name: 'Export data' });
    await exportLink.waitFor();
    await screenshot(page, 'contact-export-erase');
    const plain = await downloaded(page, () => exportLink.click());
    expect(plain.name).toBe(`contact-${id}-export.json`);
    const doc = JSON.parse(plain.text) as { data: { contact: { email: string }; includes_notes: boolean; conversations: Array<{ messages: Array<{ content: string }> }> } };
    expect(doc.data.contact.email).toBe('erin@example.com');
    expect(doc.data.includes_notes).toBe(false);
    expect(doc.data.conversations[0].messages.map((m) => m.content)).toContain('My water tastes strange');
    expect(plain.text).not.toContain('Escalate to legal');

    await page.getByLabel('Include internal notes').check();
    const withNotes = await downloaded(page, () => exportLink.click());
    expect(withNotes.text).toContain('Escalate to legal');

    let warning = '';
    page.once('dialog', (dialog) => {
      warning = dialog.message();
      void dialog.accept();
    });
    await page.getByRole('button', { name: 'Erase' }).click();
    await page.waitForURL(/\/contacts$/);
    expect(warning).toContain('Erase Erin Brockovich?');
    expect(warning).toContain('1 conversation, with every message, internal note and file');
    expect(warning).toContain('every copy in the event log, webhook logs and search');
    await parley.call('GET', `/api/v1/contacts/${id}`, undefined, 404);
  });

  it('starts an export from the admin pages and downloads the file once it is written', async () => {
    const contact = await parley.call<{ data: { id: number } }>('POST', '/api/v1/contacts', { email: 'sam@example.com', name: 'Sam' });
    const conversation = await parley.call<{ data: { id: string } }>('POST', '/api/v1/conversations', { contact_id: contact.data.id });
    await parley.call('POST', `/api/v1/conversations/${conversation.data.id}/messages`, { role: 'user', content: '=SUM(A1:A9) please' });

    await page.goto('/admin');
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Exports' }).click();
    await page.waitForURL(/\/admin\/exports$/);
    await page.getByText('No exports yet').waitFor();
    const form = page.getByRole('form', { name: 'Start an export' });
    await form.getByLabel('Data').selectOption('messages');
    await form.getByLabel('Format').selectOption('csv');
    await form.getByLabel('Status').selectOption('active');
    await form.getByRole('button', { name: 'Start export' }).click();

    const table = page.getByRole('table', { name: 'Exports' });
    const download = table.getByRole('link', { name: 'Download' });
    await download.waitFor({ timeout: 15_000 });
    await expect.poll(() => table.getByText('Ready').count()).toBe(1);
    await screenshot(page, 'admin-exports');
    const file = await downloaded(page, () => download.click());
    expect(file.name).toMatch(/^parley-messages-\d{4}-\d{2}-\d{2}\.csv$/);
    const [header, ...rows] = file.text.trimEnd().split('\r\n');
    expect(header.startsWith('id,conversation_id,contact_id,created_at,role')).toBe(true);
    expect(rows.some((r) => r.includes("'=SUM(A1:A9) please"))).toBe(true);
    expect(rows.some((r) => r.includes('Escalate to legal'))).toBe(false);
  });
});
