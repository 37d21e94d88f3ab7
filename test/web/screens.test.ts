import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, DESKTOP, ensureWebBuild, launchChromium, newPage, PHONE, screenshot, signIn } from './browser.js';
import { startParley, type Parley } from './parley.js';

const skip = chromiumMissing();

/** Every main page at 1280×800 and on a 390-px phone, saved under test-results/screenshots/. */
describe.skipIf(skip !== null)('screenshots of the main pages', () => {
  let parley: Parley;
  let browser: Browser;
  let conversationId: string;
  let agentId: string;

  beforeAll(async () => {
    ensureWebBuild();
    parley = await startParley();
    browser = await launchChromium();
    agentId = (await parley.call<{ data: Array<{ id: string }> }>('GET', '/api/v1/agents')).data[0].id;
    const people = [
      ['jane@example.com', 'Jane Smith', 'How long do I have to send something back?'],
      ['omar@example.com', 'Omar Haddad', 'Do you ship to Canada?'],
      ['li@example.com', 'Li Wei', 'I was charged twice for my order'],
    ];
    for (const [email, name, text] of people) {
      const contact = await parley.call<{ data: { id: number } }>('POST', '/api/v1/contacts', { email, name, metadata: { plan: 'pro', country: 'FR' } });
      const conv = await parley.call<{ data: { id: string } }>('POST', '/api/v1/conversations', { contact_id: contact.data.id, title: text.slice(0, 30) });
      await parley.call('POST', `/api/v1/conversations/${conv.data.id}/messages`, { content: text });
      conversationId = conv.data.id;
    }
    await parley.call('POST', `/api/v1/conversations/${conversationId}/tags`, { tag: 'billing' });
    await parley.call('POST', `/api/v1/conversations/${conversationId}/messages`, { content: 'Internal: refund approved', role: 'note' });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await parley?.stop();
  });

  const visit = async (page: Page, url: string, name: string, ready: string) => {
    await page.goto(url);
    await page.locator(ready).first().waitFor();
    await page.waitForLoadState('networkidle').catch(() => {});
    await screenshot(page, name);
  };

  for (const viewport of [DESKTOP, PHONE]) {
    it(`saves the pages at ${viewport.width}×${viewport.height}`, async () => {
      const { context, page } = await newPage(browser, parley.url, viewport);
      try {
        await page.goto('/login');
        await screenshot(page, 'login');
        await signIn(page, parley.admin.email, parley.admin.password);
        await visit(page, '/inbox', 'inbox', '.conversation-row');
        await visit(page, `/inbox/${conversationId}`, 'conversation', '.msg-assistant');
        if (viewport.width < 1100) {
          await page.getByRole('button', { name: 'Details' }).click();
          await screenshot(page, 'conversation-details');
        }
        await visit(page, '/analytics', 'analytics', '.kpis');
        await visit(page, '/admin/agents', 'agents', '.card-list');
        await visit(page, `/admin/agents/${agentId}`, 'agent', '#keys-title');
        await visit(page, '/admin/members', 'members', 'table');
        await visit(page, '/admin/channels', 'channels', 'h1');
        await visit(page, '/admin/automations', 'automations', 'form.builder');
        await visit(page, '/admin/webhooks', 'webhooks', 'form');
        await visit(page, '/admin/workspace', 'workspace', '#states-title');
        await visit(page, '/account/password', 'password', 'h1');
        if (viewport.width < 800) {
          await page.getByRole('button', { name: 'Menu' }).click();
          await screenshot(page, 'menu');
        }
      } finally {
        await context.close();
      }
    }, 90_000);
  }
});
