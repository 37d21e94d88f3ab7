import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { ensureWidgetBuild } from '../widget/build.js';
import { chromiumMissing, launchChromium, screenshot } from './browser.js';
import { startParley, type Parley } from './parley.js';

interface Message {
  id: number;
  role: string;
  content: string;
  attachments: Array<{ id: string; filename: string; content_type: string }>;
}

const skip = chromiumMissing();
const eventually = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000 });
if (skip) console.warn(skip);

/** A 1×1 red PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/**
 * A visitor attaches files in the chat widget on a business's site: a picture shows in place
 * (fetched with the visitor's token), a PDF is a link that downloads, and a file over the limit
 * is refused in plain words.
 */
describe.skipIf(skip !== null)('files in the chat widget, in Chromium', () => {
  let parley: Parley;
  let browser: Browser;
  let context: BrowserContext;
  let host: http.Server;
  let page: Page;
  let chat: FrameLocator;

  beforeAll(async () => {
    ensureWidgetBuild();
    parley = await startParley({ PARLEY_MAX_ATTACHMENT_MB: '0.1' });
    const channel = (await parley.call<{ data: { public_key: string } }>('POST', '/api/v1/channels', { type: 'web_widget', name: 'Shop', config: {} })).data;
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>Shop</title></head><body><h1>Shop</h1>
<script>window.Parley=window.Parley||function(){(Parley.q=Parley.q||[]).push(arguments)};</script><script async src="${parley.url}/widget.js" data-key="${channel.public_key}"></script></body></html>`;
    host = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    await page.goto(`http://127.0.0.1:${(host.address() as AddressInfo).port}/`);
    chat = page.frameLocator('iframe[title="Chat"]');
    await page.getByRole('button', { name: 'Open chat', exact: true }).click();
    await chat.getByRole('textbox', { name: 'Message' }).waitFor();
  }, 90_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    host?.closeAllConnections();
    await new Promise((resolve) => host?.close(resolve));
    await parley?.stop();
  });

  it('sends a picture and a PDF with the paperclip: the picture shows in place, the PDF downloads', async () => {
    await chat.locator('input[type="file"]').setInputFiles([
      { name: 'tent.png', mimeType: 'image/png', buffer: PNG },
      { name: 'receipt.pdf', mimeType: 'application/pdf', buffer: PDF },
    ]);
    await chat.locator('.pending li', { hasText: 'receipt.pdf' }).waitFor();
    await chat.getByRole('textbox', { name: 'Message' }).fill('The tent arrived torn');
    await screenshot(page, 'widget-attachments-pending');
    await chat.getByRole('button', { name: 'Send' }).click();
    const picture = chat.locator('.bubble-me .picture img');
    await picture.waitFor();
    await eventually(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
    expect(await picture.getAttribute('src')).toMatch(/^blob:/);
    await expect.poll(() => chat.locator('.pending li').count()).toBe(0);
    await screenshot(page, 'widget-attachments');

    const [download] = await Promise.all([page.waitForEvent('download'), chat.locator('.bubble-me .file', { hasText: 'receipt.pdf' }).click()]);
    expect(download.suggestedFilename()).toBe('receipt.pdf');

    const conversations = (await parley.call<{ data: Array<{ id: string }> }>('GET', '/api/v1/conversations?limit=5')).data;
    const messages = (await parley.call<{ data: Message[] }>('GET', `/api/v1/conversations/${conversations[0].id}/messages`)).data;
    const mine = messages.find((m) => m.role === 'user')!;
    expect(mine.content).toBe('The tent arrived torn');
    expect(mine.attachments.map((a) => [a.filename, a.content_type])).toEqual([
      ['tent.png', 'image/png'],
      ['receipt.pdf', 'application/pdf'],
    ]);
  });

  it('says plainly when a file is too large, and sends nothing', async () => {
    await chat.locator('input[type="file"]').setInputFiles([{ name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(200 * 1024, 7) }]);
    await chat.getByRole('alert').filter({ hasText: 'This file is too large to send.' }).waitFor();
    expect(await chat.locator('.pending li').count()).toBe(0);
  });
});
