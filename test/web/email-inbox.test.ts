import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { rawMail } from '../mail-fixtures.js';
import { closedPort, startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { chromiumMissing, DESKTOP, ensureWebBuild, launchChromium, newPage, PHONE, screenshot, signIn } from './browser.js';
import { startParley, type Parley } from './parley.js';

const skip = chromiumMissing();
if (skip) console.warn(skip);

const SMTP_PASSWORD = 'smtp-secret-7f3a';

/** CRC-32 as PNG chunks carry it. */
function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A real PNG (a warm gradient with a dark stripe), so the server detects it as an image and the browser draws it. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const stripe = Math.abs(y - height / 2) < height / 10;
      row.set(stripe ? [40, 40, 60] : [240, Math.round((x / width) * 180), Math.round((y / height) * 120)], 1 + x * 3);
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A small valid PDF (one empty page), detected from its bytes as application/pdf. */
function pdf(title: string): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n% ${title}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );
}

interface ChannelView {
  id: string;
  config: { address: string; agent_id: string | null; smtp: Record<string, unknown>; imap: unknown };
  status: { state: string | null; last_error: string | null };
  inbound_token?: string;
}

/**
 * Issue 17 in the inbox, against a real `parley serve` and a real SMTP server: an admin sets up an
 * email channel (passwords write-only, the inbound token once), a forwarded mail with a picture and
 * a PDF opens an email conversation, the operator answers with files and watches the reply go out,
 * a refused reply shows why, and the phone layout holds.
 */
describe.skipIf(skip !== null)('email conversations and attachments in Chromium', () => {
  let parley: Parley;
  let smtp: TestSmtpServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let channelId = '';
  let token = '';
  let conversationId = '';

  const inbound = (raw: Buffer, withToken = token) =>
    fetch(`${parley.url}/api/v1/channels/${channelId}/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', 'x-parley-inbound-token': withToken },
      body: new Uint8Array(raw),
    });
  const bubble = (text: string) => page.locator('.msg', { hasText: text });

  /** The whole channel page (the shell scrolls inside itself), as test-results/screenshots/<name>-full-<width>.png. */
  async function shootWhole(on: Page, name: string): Promise<void> {
    const dir = path.resolve('test-results/screenshots');
    fs.mkdirSync(dir, { recursive: true });
    const viewport = on.viewportSize() ?? DESKTOP;
    await on.setViewportSize({ width: viewport.width, height: 2000 });
    await on.locator('.em-page').screenshot({ path: path.join(dir, `${name}-full-${viewport.width}.png`) });
    await on.setViewportSize(viewport);
  }

  beforeAll(async () => {
    ensureWebBuild();
    smtp = await startSmtpServer();
    // A 1 MB upload limit to meet the refusal; retries 100 ms apart so a failure shows quickly.
    parley = await startParley({ PARLEY_MAX_ATTACHMENT_MB: '1', PARLEY_CHANNEL_RETRY_BASE_MS: '100' });
    browser = await launchChromium();
    ({ context, page } = await newPage(browser, parley.url, DESKTOP));
    page.on('pageerror', (e) => console.error('PAGE ERROR', e.message));
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: parley.url });
    await signIn(page, parley.admin.email, parley.admin.password);
  }, 90_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await parley?.stop();
    await smtp?.stop();
  });

  it('sets up an email channel whose passwords stay hidden and whose inbound token shows once', async () => {
    await page.goto('/admin/channels');
    await page.getByRole('link', { name: '+ New email channel' }).click();
    await page.getByRole('heading', { name: 'New email channel' }).waitFor();
    await page.getByLabel('Channel name').fill('Support mail');
    await page.getByLabel('Email address').fill('support at shop');
    await page.getByLabel('Host').fill('127.0.0.1');
    // Plain SMTP on the test server's port: TLS off.
    await page.getByLabel('TLS from the start').uncheck();
    expect(await page.getByLabel('Port').inputValue()).toBe('587');
    await page.getByLabel('Port').fill(String(smtp.port));
    await page.getByLabel('User').fill('parley');
    await page.getByLabel('Password').fill(SMTP_PASSWORD);
    await page.getByLabel('Answering agent').selectOption({ label: 'Demo Support Agent' });
    await page.getByRole('button', { name: 'Create email channel' }).click();

    // The refusal is said at the field, and goes as the field is fixed.
    const addressError = page.locator('#em-address-error');
    await addressError.waitFor();
    expect(await addressError.textContent()).toMatch(/must be an email address/i);
    expect(await page.getByLabel('Email address').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Email address').fill('support@shop.example');
    await expect.poll(() => addressError.count()).toBe(0);
    await page.getByRole('button', { name: 'Create email channel' }).click();

    await page.waitForURL(/\/admin\/channels\/[0-9a-f-]{36}$/);
    channelId = page.url().split('/').pop()!;
    const shown = page.getByLabel('Inbound token', { exact: true });
    await shown.waitFor();
    token = (await shown.textContent())!.trim();
    expect(token).toMatch(/^it_[\w-]{20,}$/);
    await page.getByRole('heading', { name: 'Receiving mail' }).waitFor();
    expect(await page.getByLabel('Inbound URL').textContent()).toBe(`${parley.url}/api/v1/channels/${channelId}/inbound`);
    await page.getByRole('button', { name: 'Copy token' }).click();
    await page.getByText('Copied to the clipboard').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

    // Write-only: the form is empty and says a password is set; nothing on the page or in the API shows it.
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    expect(await page.getByLabel('Password').getAttribute('placeholder')).toBe('Leave empty to keep the current password');
    await page.getByText('A password is set. Leave empty to keep the current password.').waitFor();
    expect(await page.content()).not.toContain(SMTP_PASSWORD);
    const view = (await parley.call<{ data: ChannelView }>('GET', `/api/v1/channels/${channelId}`)).data;
    expect(view.config.smtp).toEqual({ host: '127.0.0.1', port: smtp.port, secure: false, user: 'parley', password_set: true });
    expect(view.config.agent_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(view)).not.toContain(SMTP_PASSWORD);
    expect(view.inbound_token).toBeUndefined();
    await page.locator('.em-status').getByText('Not used yet').waitFor();
    await screenshot(page, 'email-channel-created');

    // Once: dismissed or reloaded, it is gone.
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await expect.poll(() => shown.count()).toBe(0);
    await page.reload();
    await page.getByRole('heading', { name: 'Support mail' }).waitFor();
    expect(await shown.count()).toBe(0);

    // A new token replaces the old one, which is refused from then on.
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Rotate token' }).click();
    await shown.waitFor();
    const rotated = (await shown.textContent())!.trim();
    expect(rotated).not.toBe(token);
    await page.getByText('New inbound token — copy it now').waitFor();
    const old = await inbound(await rawMail({ from: 'x@example.com', to: 'support@shop.example', subject: 'x', text: 'x' }), token);
    expect(old.status).toBe(404);
    token = rotated;

    // Changing the name keeps the stored password (the mail sent below logs in with it).
    await page.getByLabel('From name').fill('Acme Support');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('All changes saved.').waitFor();
    await page.getByRole('switch', { name: 'Read a mailbox' }).check();
    await page.getByLabel('Mailbox', { exact: true }).waitFor();
    await shootWhole(page, 'email-channel');
    await page.getByRole('switch', { name: 'Read a mailbox' }).uncheck();
    expect((await parley.call<{ data: ChannelView }>('GET', `/api/v1/channels/${channelId}`)).data.config.smtp.password_set).toBe(true);

    await page.goto('/admin/channels');
    const row = page.locator('.card-list li', { hasText: 'Support mail' });
    await row.getByText('support@shop.example').waitFor();
    await row.getByText('Not used yet').waitFor();
    await screenshot(page, 'email-channels-list');
  });

  it('shows a forwarded mail as an email conversation: subject, picture, PDF and the mail on demand', async () => {
    const raw = await rawMail({
      from: 'Alice Martin <alice@example.com>',
      to: 'support@shop.example',
      subject: 'Broken lamp in order 1042',
      messageId: '<lamp-1042@mail.example.com>',
      text: 'Hello,\n\nthe lamp arrived broken; a photo and the invoice are attached.\n\nAlice\n\nOn Mon, 30 Nov 2026 at 09:12, Acme Support <support@shop.example> wrote:\n> Your order 1042 has shipped.\n',
      attachments: [
        { filename: 'lamp.png', content: png(320, 200), contentType: 'image/png' },
        { filename: 'invoice-1042.pdf', content: pdf('invoice'), contentType: 'application/pdf' },
      ],
    });
    const res = await inbound(raw);
    const body = (await res.json()) as { data: { status: string; conversation_id: string } };
    expect(res.status, JSON.stringify(body)).toBe(202);
    expect(body.data.status).toBe('imported');
    conversationId = body.data.conversation_id;

    await page.goto(`/inbox/${conversationId}`);
    await page.locator('.conversation-title h1', { hasText: 'Alice Martin' }).waitFor();
    expect(await page.locator('.conversation-subject').textContent()).toBe('Broken lamp in order 1042');
    const channelLine = page.locator('.conversation-channel');
    expect(await channelLine.locator('.channel-kind').textContent()).toBe('Email');
    expect(await channelLine.locator('.channel-address').textContent()).toBe('alice@example.com');
    // The list row says it is email too.
    await page.locator(`.conversation-row[data-id="${conversationId}"] .badge-channel .mail-icon`).waitFor();

    // The quoted earlier reply is stripped from the message, kept in the mail.
    const mail = bubble('the lamp arrived broken');
    await mail.waitFor();
    expect(await mail.locator('.msg-body').textContent()).not.toContain('Your order 1042 has shipped');

    const thumb = mail.locator('.msg-thumb img');
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(320);
    expect(await thumb.getAttribute('alt')).toBe('lamp.png');
    const chip = mail.locator('.file-chip');
    expect(await chip.locator('.file-name').textContent()).toBe('invoice-1042.pdf');
    expect(await chip.locator('.file-size').textContent()).toMatch(/^\d+ B$/);

    // The picture opens full size in a new tab; the PDF downloads.
    const [tab] = await Promise.all([context.waitForEvent('page'), mail.locator('.msg-thumb').click()]);
    await tab.waitForLoadState();
    expect(tab.url()).toMatch(/\/api\/v1\/attachments\/[\w-]+$/);
    await tab.close();
    const [download] = await Promise.all([page.waitForEvent('download'), chip.click()]);
    expect(download.suggestedFilename()).toBe('invoice-1042.pdf');

    // The mail itself, on demand: headers and the original text with its quote.
    const toggle = mail.getByRole('button', { name: 'Show email' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    const panel = mail.getByRole('region', { name: 'Email headers and original text' });
    await panel.waitFor();
    expect(await mail.getByRole('button', { name: 'Hide email' }).getAttribute('aria-expanded')).toBe('true');
    const headers = await panel.locator('.email-header').allTextContents();
    expect(headers).toContain('SubjectBroken lamp in order 1042');
    expect(headers.some((h) => /^Message-ID<lamp-1042@mail\.example\.com>$/i.test(h))).toBe(true);
    expect(await panel.locator('.email-original pre').textContent()).toContain('> Your order 1042 has shipped.');
    await screenshot(page, 'email-conversation');
    await mail.getByRole('button', { name: 'Hide email' }).click();
    await expect.poll(() => panel.count()).toBe(0);

    // A conversation that did not come by email has no mail to show.
    const contact = await parley.call<{ data: { id: number } }>('POST', '/api/v1/contacts', { name: 'Chloe Web', email: 'chloe@example.com' });
    const chat = await parley.call<{ data: { id: string } }>('POST', '/api/v1/conversations', { contact_id: contact.data.id });
    await parley.call('POST', `/api/v1/conversations/${chat.data.id}/messages`, { content: 'Do you ship to Norway?' });
    await page.goto(`/inbox/${chat.data.id}`);
    await bubble('Do you ship to Norway?').waitFor();
    expect(await page.getByRole('button', { name: 'Show email' }).count()).toBe(0);
    expect(await page.locator('.conversation-channel').count()).toBe(0);
  });

  it('sends an operator reply with files by email and shows it going from Sending to Sent', async () => {
    const before = smtp.received.length;
    await page.goto(`/inbox/${conversationId}`);
    await page.locator('#composer-text').waitFor();

    // A file over the limit is refused by name; the others are kept.
    const input = page.getByTestId('composer-file-input');
    await input.setInputFiles([
      { name: 'size-chart.pdf', mimeType: 'application/pdf', buffer: pdf('size chart') },
      { name: 'scan.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(1_300_000, 7) },
    ]);
    const file = (name: string) => page.locator('.composer-file', { hasText: name });
    await file('size-chart.pdf').and(page.locator('[data-state="ready"]')).waitFor();
    await file('scan.bin').and(page.locator('[data-state="failed"]')).waitFor();
    expect(await file('scan.bin').locator('.composer-file-problem').textContent()).toBe('scan.bin is larger than 1 MB');

    // A file dropped on the composer is attached too.
    const drop = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['Measurements: 40 x 25 cm\n'], 'measurements.txt', { type: 'text/plain' }));
      return dt;
    });
    await page.dispatchEvent('form.composer', 'dragover', { dataTransfer: drop });
    await page.locator('.composer-drop').waitFor();
    await page.dispatchEvent('form.composer', 'drop', { dataTransfer: drop });
    await file('measurements.txt').and(page.locator('[data-state="ready"]')).waitFor();
    // One dropped beside the composer is neither attached nor opened by the browser in place of the inbox.
    const opened = await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['x'], 'stray.txt', { type: 'text/plain' }));
      const drop = new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true });
      document.querySelector('.messages')!.dispatchEvent(drop);
      return !drop.defaultPrevented;
    });
    expect(opened).toBe(false);
    expect(await file('stray.txt').count()).toBe(0);
    await page.locator('#composer-text').fill('Sorry about the lamp, Alice. A new one is on its way; the size chart is attached.');
    await screenshot(page, 'email-composer-files');
    await page.getByRole('button', { name: 'Remove scan.bin' }).click();
    await expect.poll(() => file('scan.bin').count()).toBe(0);

    await page.getByRole('button', { name: 'Send reply' }).click();
    const reply = bubble('A new one is on its way');
    await reply.waitFor();
    expect(await page.locator('.composer-file').count()).toBe(0);
    expect(await reply.locator('.file-chip .file-name').allTextContents()).toEqual(['size-chart.pdf', 'measurements.txt']);
    // Sent by the worker with no event to say so: the inbox reads the message again until it is.
    await reply.locator('[data-delivery="sent"]').waitFor({ timeout: 20_000 });
    expect(await reply.locator('.delivery').textContent()).toContain('Sent');

    const mails = await smtp.waitFor(before + 1);
    const sent = mails.slice(before).find((m) => m.parsed.subject === 'Re: Broken lamp in order 1042' && m.parsed.text?.includes('A new one is on its way'));
    expect(sent, mails.map((m) => m.parsed.subject).join(', ')).toBeDefined();
    expect(sent!.auth).toEqual({ username: 'parley', password: SMTP_PASSWORD });
    expect(sent!.to).toEqual(['alice@example.com']);
    expect(sent!.parsed.attachments.map((a) => a.filename).sort()).toEqual(['measurements.txt', 'size-chart.pdf']);

    // The mail as sent, on demand.
    await reply.getByRole('button', { name: 'Show email' }).click();
    await reply.locator('.email-header').first().waitFor();
    const headers = await reply.locator('.email-header').allTextContents();
    // In the thread: it refers to the customer's mail (and answers the latest mail of the thread).
    expect(headers.some((h) => h.startsWith('References') && h.includes('<lamp-1042@mail.example.com>')), headers.join('\n')).toBe(true);
    expect(headers.some((h) => h.startsWith('In-Reply-To<')), headers.join('\n')).toBe(true);
    expect(headers).toContain('SubjectRe: Broken lamp in order 1042');
    await screenshot(page, 'email-reply-sent');

    // A picture pasted into a note is a note by itself: seen by the team only, never mailed.
    await page.locator('.composer-tabs label', { hasText: 'Internal note' }).click();
    const notesBefore = await page.locator('.msg-note').count();
    const picture = png(120, 80).toString('base64');
    await page.locator('#composer-text').evaluate((el, b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'claim.png', { type: 'image/png' }));
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, picture);
    await file('claim.png').and(page.locator('[data-state="ready"]')).waitFor();
    expect(await file('claim.png').locator('img.composer-file-thumb').count()).toBe(1);
    expect(await page.locator('#composer-text').inputValue()).toBe('');
    const sentMails = smtp.received.length;
    await page.getByRole('button', { name: 'Add note' }).click();
    await expect.poll(() => page.locator('.msg-note').count()).toBe(notesBefore + 1);
    const note = page.locator('.msg-note').last();
    await expect.poll(() => note.locator('.msg-thumb img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(120);
    expect(await note.locator('.msg-body').count()).toBe(0);
    expect(await note.getByRole('button', { name: 'Show email' }).count()).toBe(0);
    expect(await note.locator('.delivery').count()).toBe(0);
    expect(smtp.received.length).toBe(sentMails);

    // The channel now shows that it works.
    await page.goto('/admin/channels');
    await page.locator('.card-list li', { hasText: 'Support mail' }).getByText('Connected').waitFor();
  });

  it('shows a reply the mail server refuses as failed, with the reason and the attempts', async () => {
    smtp.refuse.add('bob@example.com');
    const res = await inbound(await rawMail({ from: 'Bob Stone <bob@example.com>', to: 'support@shop.example', subject: 'Where is my refund?', text: 'Hi, any news on my refund?' }));
    const { data } = (await res.json()) as { data: { conversation_id: string } };
    await page.goto(`/inbox/${data.conversation_id}`);
    await bubble('any news on my refund').waitFor();
    await page.locator('#composer-text').fill('Your refund went out this morning.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    const reply = bubble('Your refund went out this morning');
    const failed = reply.locator('[data-delivery="failed"]');
    await failed.waitFor({ timeout: 20_000 });
    expect(await failed.textContent()).toMatch(/^Failed: .+\(\d+ attempts?\)$/);
    expect(await failed.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(185, 28, 28)');
    await screenshot(page, 'email-reply-failed');
  });

  it('shows a channel whose mail server is down as failing, with the last error and when', async () => {
    const down = await parley.call<{ data: ChannelView }>('POST', '/api/v1/channels', {
      name: 'Billing mail',
      type: 'email',
      config: { address: 'billing@shop.example', smtp: { host: '127.0.0.1', port: await closedPort(), secure: false } },
    }, 201);
    const res = await fetch(`${parley.url}/api/v1/channels/${down.data.id}/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', 'x-parley-inbound-token': down.data.inbound_token! },
      body: new Uint8Array(await rawMail({ from: 'Dana <dana@example.com>', to: 'billing@shop.example', subject: 'Invoice copy', text: 'Could you send me a copy of my invoice?' })),
    });
    expect(res.status).toBe(202);
    // The AI's answer cannot be sent: the channel says so once the first attempt fails.
    await expect.poll(async () => (await parley.call<{ data: ChannelView }>('GET', `/api/v1/channels/${down.data.id}`)).data.status.state, { timeout: 15_000 }).toBe('failing');
    await page.goto('/admin/channels');
    const row = page.locator('.card-list li', { hasText: 'Billing mail' });
    await row.locator('[data-state="failing"]').waitFor();
    expect(await row.locator('.channel-error').textContent()).toMatch(/^Last error \(.+\): .+/);
    await screenshot(page, 'email-channels-failing');
    await row.getByRole('link', { name: 'Billing mail', exact: true }).click();
    await page.locator('.em-status [data-state="failing"]').waitFor();
    await page.locator('.wa-title + .channel-error').waitFor();
    await screenshot(page, 'email-channel-failing');
  });

  it('keeps the email conversation and the channel page usable on a phone', async () => {
    const phone = await newPage(browser, parley.url, PHONE);
    try {
      const p = phone.page;
      await signIn(p, parley.admin.email, parley.admin.password);
      await p.goto(`/inbox/${conversationId}`);
      await p.locator('.conversation-subject', { hasText: 'Broken lamp in order 1042' }).waitFor();
      const mail = p.locator('.msg', { hasText: 'the lamp arrived broken' });
      await expect.poll(() => mail.locator('.msg-thumb img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320);
      const overflow = () => p.evaluate(() => [...document.querySelectorAll('.messages, .conversation-head, .composer')].some((el) => el.scrollWidth > el.clientWidth + 1));
      expect(await overflow()).toBe(false);
      await screenshot(p, 'email-conversation');
      await mail.getByRole('button', { name: 'Show email' }).click();
      await mail.locator('.email-panel').waitFor();
      expect(await overflow()).toBe(false);
      const box = (await mail.locator('.email-panel').boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      await screenshot(p, 'email-headers');

      await p.goto(`/admin/channels/${channelId}`);
      await p.getByRole('heading', { name: 'Sending (SMTP)' }).waitFor();
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await screenshot(p, 'email-channel');
      await shootWhole(p, 'email-channel');
    } finally {
      await phone.context.close();
    }
  });
});
