import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumMissing, DESKTOP, ensureWebBuild, launchChromium, newPage, PHONE, screenshot, signIn } from './browser.js';
import { startParley, type MemberSession, type Parley } from './parley.js';

const skip = chromiumMissing();
if (skip) console.warn(skip);

const PASSWORD = 'a long enough password';

/**
 * Issue 16's "no lost work" and "presence and collision", with two members in two browsers
 * against a real `parley serve`: drafts that survive, a suggestion that asks, canned responses,
 * and seeing a colleague in the same conversation before answering twice.
 */
describe.skipIf(skip !== null)('the composer and the open conversation in Chromium', () => {
  let parley: Parley;
  let admin: MemberSession;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const people = { maya: { email: 'maya@example.com', name: 'Maya Chen' }, tom: { email: 'tom@example.com', name: 'Tom Becker' } };
  const conv: Record<'alice' | 'bob', string> = { alice: '', bob: '' };
  let maya: Page;
  let tom: Page;

  async function startConversation(email: string, name: string, text: string): Promise<string> {
    const contact = await parley.call<{ data: { id: number } }>('POST', '/api/v1/contacts', { email, name });
    const c = await parley.call<{ data: { id: string } }>('POST', '/api/v1/conversations', { contact_id: contact.data.id });
    await parley.call('POST', `/api/v1/conversations/${c.data.id}/messages`, { content: text });
    return c.data.id;
  }
  async function operator(email: string, viewport: { width: number; height: number } = DESKTOP): Promise<Page> {
    const { context, page } = await newPage(browser, parley.url, viewport);
    contexts.push(context);
    page.on('pageerror', (e) => console.error('PAGE ERROR', e.message));
    await signIn(page, email, PASSWORD);
    return page;
  }
  const composerText = (page: Page) => page.locator('#composer-text');
  const tab = (page: Page, name: 'Reply' | 'Internal note') => page.locator('.composer-tabs label', { hasText: name });
  const bubble = (page: Page, text: string) => page.locator('.msg', { hasText: text });
  const openFromList = async (page: Page, contact: string) => {
    await page.locator('.conversation-row', { hasText: contact }).first().click();
    await page.locator('.conversation-title h1', { hasText: contact }).waitFor();
  };
  async function shots(page: Page, name: string): Promise<void> {
    await screenshot(page, name);
  }

  beforeAll(async () => {
    ensureWebBuild();
    parley = await startParley();
    browser = await launchChromium();
    admin = await parley.signIn(parley.admin.email, parley.admin.password);
    for (const p of Object.values(people)) await admin.call('POST', '/api/v1/members', { ...p, role: 'agent', password: PASSWORD }, 201);
    conv.alice = await startConversation('alice@example.com', 'Alice Martin', 'Where is my parcel?');
    conv.bob = await startConversation('bob@example.com', 'Bob Stone', 'My invoice looks wrong');
    await admin.call('POST', '/api/v1/canned_responses', {
      shortcut: 'parcel',
      title: 'Parcel on its way',
      content: 'Hi {{contact.first_name}}, {{member.first_name}} here: your parcel left today (ref {{conversation.id}}). {{contact.nickname}}',
      scope: 'workspace',
    }, 201);
  }, 90_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await parley?.stop();
  });

  it('keeps a reply and a note per conversation across navigation and a reload', async () => {
    maya = await operator(people.maya.email);
    await maya.goto(`/inbox/${conv.alice}`);
    await composerText(maya).fill('Hi Alice, checking with the warehouse');
    await composerText(maya).blur();
    await maya.keyboard.press('n');
    await expect.poll(() => tab(maya, 'Internal note').getAttribute('class')).toContain('tab-on');
    await expect.poll(() => maya.evaluate(() => document.activeElement?.id)).toBe('composer-text');
    await maya.keyboard.type('Warehouse closes at 5');
    await openFromList(maya, 'Bob Stone');
    expect(await composerText(maya).inputValue()).toBe('');
    await openFromList(maya, 'Alice Martin');
    expect(await composerText(maya).inputValue()).toBe('Hi Alice, checking with the warehouse');
    await tab(maya, 'Internal note').click();
    expect(await composerText(maya).inputValue()).toBe('Warehouse closes at 5');
    await maya.reload();
    await composerText(maya).waitFor();
    expect(await composerText(maya).inputValue()).toBe('Hi Alice, checking with the warehouse');
    await maya.keyboard.press('n');
    expect(await composerText(maya).inputValue()).toBe('Warehouse closes at 5');
    await composerText(maya).blur();
    await maya.keyboard.press('r');
    await expect.poll(() => tab(maya, 'Reply').getAttribute('class')).toContain('tab-on');
    await shots(maya, 'composer-draft');
  });

  it('asks before a suggestion replaces typed text, and clears an error once the text changes', async () => {
    await maya.getByRole('button', { name: 'Suggest a reply' }).click();
    const offer = maya.getByRole('alertdialog', { name: 'Replace your draft with the suggested reply?' });
    await offer.waitFor();
    await shots(maya, 'composer-suggestion-offer');
    await offer.getByRole('button', { name: 'Keep my draft' }).click();
    expect(await composerText(maya).inputValue()).toBe('Hi Alice, checking with the warehouse');
    await maya.getByRole('button', { name: 'Suggest a reply' }).click();
    await offer.getByRole('button', { name: 'Replace my draft' }).click();
    expect(await composerText(maya).inputValue()).toBe('Hello from the fake model.');

    await composerText(maya).fill('x'.repeat(32_001));
    await maya.getByRole('button', { name: 'Send reply' }).click();
    const error = maya.locator('.composer .form-error');
    await error.waitFor();
    await composerText(maya).fill('');
    await error.waitFor({ state: 'detached' });
  });

  it('inserts a canned response with its variables filled, editable before sending', async () => {
    await composerText(maya).fill('');
    await composerText(maya).pressSequentially('/par');
    const picker = maya.getByRole('listbox', { name: 'Canned responses' });
    await picker.getByRole('option', { name: /parcel/ }).waitFor();
    await shots(maya, 'composer-canned-picker');
    await maya.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached' });
    await composerText(maya).fill('');
    await composerText(maya).pressSequentially('Thanks! /');
    await picker.waitFor();
    await maya.keyboard.press('ArrowDown');
    await maya.keyboard.press('ArrowUp');
    await maya.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });
    expect(await composerText(maya).inputValue()).toBe(`Thanks! Hi Alice, Maya here: your parcel left today (ref ${conv.alice}). {{contact.nickname}}`);
    await composerText(maya).fill((await composerText(maya).inputValue()).replace(' {{contact.nickname}}', ''));
    await maya.getByRole('button', { name: 'Send reply' }).click();
    await bubble(maya, 'Maya here: your parcel left today').waitFor();
    expect(await composerText(maya).inputValue()).toBe('');
    await maya.reload();
    await composerText(maya).waitFor();
    // Sent: the reply draft is gone, the note is still there.
    expect(await composerText(maya).inputValue()).toBe('');
    await tab(maya, 'Internal note').click();
    expect(await composerText(maya).inputValue()).toBe('Warehouse closes at 5');
    await tab(maya, 'Reply').click();
  });

  it('shows who else is viewing and replying, and asks before answering at the same time', async () => {
    tom = await operator(people.tom.email);
    // Tom's live stream connects late, as on a slow network: Maya's answer to his arrival must still reach him.
    await tom.route('**/api/v1/events/stream*', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    await tom.goto(`/inbox/${conv.alice}`);
    const presence = maya.locator('.presence-bar');
    await presence.getByText('Tom is viewing').waitFor();
    await tom.locator('.presence-bar').getByText('Maya is viewing').waitFor();
    expect(await maya.locator('.presence-bar').textContent()).not.toContain('Maya');

    await composerText(tom).pressSequentially('Hi Alice, Tom here');
    await presence.getByText('Tom is replying…').waitFor();
    await shots(maya, 'composer-presence');

    await composerText(maya).fill('Your parcel is in Lyon');
    const asked: string[] = [];
    maya.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await maya.getByRole('button', { name: 'Send reply' }).click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toContain('Tom is replying too. Send anyway?');
    expect(await bubble(maya, 'Your parcel is in Lyon').count()).toBe(0);
    expect(await composerText(maya).inputValue()).toBe('Your parcel is in Lyon');

    maya.once('dialog', (d) => {
      asked.push(d.message());
      void d.accept();
    });
    await maya.getByRole('button', { name: 'Send reply' }).click();
    await bubble(maya, 'Your parcel is in Lyon').waitFor();
    expect(asked).toHaveLength(2);

    // Tom leaves: Maya no longer sees him.
    await openFromList(tom, 'Bob Stone');
    await presence.getByText('Tom is viewing').waitFor({ state: 'detached' });

    // A colleague's reply that arrived after the draft was started is news too.
    await composerText(maya).fill('Checking the tracking now');
    const tomByApi = await parley.signIn(people.tom.email, PASSWORD);
    await tomByApi.call('POST', `/api/v1/conversations/${conv.alice}/messages`, { role: 'operator', content: 'Tracking says Lyon, Alice.' }, 201);
    await bubble(maya, 'Tracking says Lyon, Alice.').waitFor();
    maya.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await maya.getByRole('button', { name: 'Send reply' }).click();
    await expect.poll(() => asked.length).toBe(3);
    expect(asked[2]).toBe('Tom replied since you started writing. Send anyway?');
    expect(await composerText(maya).inputValue()).toBe('Checking the tracking now');
    await composerText(maya).fill('');
  });

  it('keeps the draft when the session has expired, says so, and sends after signing in again', async () => {
    await composerText(maya).fill('Alice, your refund is on its way');
    await maya.context().clearCookies();
    await maya.getByRole('button', { name: 'Send reply' }).click();
    const notice = maya.locator('.composer').getByRole('alert');
    await notice.getByText('Your session has expired. Sign in again — your draft is kept.').waitFor();
    expect(await composerText(maya).inputValue()).toBe('Alice, your refund is on its way');
    await shots(maya, 'composer-session-expired');

    await notice.getByRole('button', { name: 'Sign in again' }).click();
    await maya.waitForURL(/\/login/);
    await maya.getByText('Your session has expired. Sign in again to go back where you were').waitFor();
    await shots(maya, 'login-session-expired');
    await maya.getByLabel('Email').fill(people.maya.email);
    await maya.getByLabel('Password').fill(PASSWORD);
    await maya.getByRole('button', { name: 'Sign in' }).click();
    await maya.waitForURL(new RegExp(`/inbox/${conv.alice}$`));
    await expect.poll(() => composerText(maya).inputValue()).toBe('Alice, your refund is on its way');
    await maya.getByRole('button', { name: 'Send reply' }).click();
    await bubble(maya, 'Alice, your refund is on its way').waitFor();
    expect(await composerText(maya).inputValue()).toBe('');
  });

  it('manages canned responses on their page, and fits a phone', async () => {
    await maya.goto('/canned-responses');
    await maya.getByRole('heading', { name: 'Canned responses' }).waitFor();
    await maya.locator('.canned-card', { hasText: '/parcel' }).waitFor();
    // Workspace ones are the admins': an agent has no Edit on them, and cannot share.
    expect(await maya.locator('.canned-card', { hasText: '/parcel' }).getByRole('button', { name: 'Edit' }).count()).toBe(0);
    await maya.getByRole('button', { name: '+ New response' }).click();
    await maya.getByLabel('Shortcut').fill('Bad Name');
    await maya.getByLabel('Text').fill('Talk soon, {{member.first_name}}');
    expect(await maya.getByLabel('Everyone in the workspace').isDisabled()).toBe(true);
    await maya.getByRole('button', { name: 'Add response' }).click();
    await maya.getByText('Use 1 to 32 lower-case letters').waitFor();
    await maya.getByLabel('Shortcut').fill('bye');
    await maya.getByText('Use 1 to 32 lower-case letters').waitFor({ state: 'detached' });
    await maya.getByRole('button', { name: 'Add response' }).click();
    const card = maya.locator('.canned-card', { hasText: '/bye' });
    await card.waitFor();
    await shots(maya, 'canned-responses');
    await card.getByRole('button', { name: 'Edit' }).click();
    await maya.getByLabel('Title').fill('Sign-off');
    await maya.getByRole('button', { name: 'Save changes' }).click();
    await maya.locator('.canned-card', { hasText: 'Sign-off' }).waitFor();

    const phone = await operator(people.tom.email, PHONE);
    await phone.goto(`/inbox/${conv.bob}`);
    await composerText(phone).pressSequentially('/');
    await phone.getByRole('listbox', { name: 'Canned responses' }).getByRole('option', { name: /parcel/ }).waitFor();
    expect(await phone.getByRole('option', { name: /bye/ }).count()).toBe(0);
    await shots(phone, 'composer-canned-picker');
    await phone.keyboard.press('Escape');
    await maya.goto(`/inbox/${conv.bob}`);
    await phone.locator('.presence-bar').getByText('Maya is viewing').waitFor();
    await shots(phone, 'composer-presence');
    await phone.goto('/canned-responses');
    await phone.locator('.canned-card', { hasText: '/parcel' }).waitFor();
    await shots(phone, 'canned-responses');
    await phone.context().clearCookies();
    await phone.goto(`/inbox/${conv.bob}`);
    await phone.waitForURL(/\/login/);
    await shots(phone, 'login');
    await signIn(phone, people.tom.email, PASSWORD);
    await phone.goto(`/inbox/${conv.alice}`);
    await composerText(phone).fill('On a phone, the draft is kept as well');
    await phone.reload();
    await expect.poll(() => composerText(phone).inputValue()).toBe('On a phone, the draft is kept as well');
    await shots(phone, 'composer-draft');
  });
});
