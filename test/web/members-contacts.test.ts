import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumMissing, DESKTOP, ensureWebBuild, launchChromium, newPage, PHONE, screenshot, signIn } from './browser.js';
import { startParley, type Parley } from './parley.js';

const skip = chromiumMissing();
if (skip) console.warn(skip);

const INVALID = 'This invitation link is not valid any more: it was used, revoked or has expired.';

/**
 * Members join by a link and the team keeps its contacts, in Chromium against a real `parley
 * serve`: an admin invites, a second browser signs up through the link and lands in the inbox, a
 * used link says so plainly; contacts are searched, edited (fields and metadata) and deleted.
 */
describe.skipIf(skip !== null)('members by invitation and the contacts page in Chromium', () => {
  let parley: Parley;
  let browser: Browser;
  const open: BrowserContext[] = [];
  let adminPage: Page;
  /** The invited member's page, signed in through the link (role agent). */
  let newcomer: Page;
  const invitee = { email: 'rosa@example.com', name: 'Rosa Parks', password: 'a password of her own' };

  async function context(viewport: { width: number; height: number }) {
    const made = await newPage(browser, parley.url, viewport);
    open.push(made.context);
    return made;
  }

  beforeAll(async () => {
    ensureWebBuild();
    parley = await startParley();
    browser = await launchChromium();
    const made = await context(DESKTOP);
    await made.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: parley.url });
    adminPage = made.page;
    await signIn(adminPage, parley.admin.email, parley.admin.password);
  }, 60_000);
  afterAll(async () => {
    for (const c of open) await c.close().catch(() => {});
    await browser?.close();
    await parley?.stop();
  });

  it('invites a member by a link they sign up with, landing in the inbox; the used link says so', async () => {
    await adminPage.goto('/admin/members');
    const form = adminPage.getByRole('form', { name: 'Invite member' });
    await form.getByLabel('Email').fill(invitee.email);
    await form.getByLabel('Name').fill(invitee.name);
    await form.getByRole('button', { name: 'Create invitation link' }).click();
    const linkBox = adminPage.getByRole('textbox', { name: 'Invitation link' });
    await expect.poll(() => linkBox.inputValue()).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    await adminPage.getByRole('button', { name: 'Copy link' }).click();
    await adminPage.getByRole('button', { name: 'Copied' }).waitFor();
    const link = await adminPage.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(await linkBox.inputValue());
    await adminPage.getByRole('list', { name: 'Pending invitations' }).getByText(invitee.email).waitFor();
    await screenshot(adminPage, 'members-invite-link');

    // A second browser, signed in as nobody, opens the link.
    const second = await context(DESKTOP);
    newcomer = second.page;
    await newcomer.goto(link);
    await newcomer.getByRole('heading', { name: /^Join .+ on Parley$/ }).waitFor();
    await newcomer.getByText(invitee.email).waitFor();
    expect(await newcomer.getByLabel('Your name').inputValue()).toBe(invitee.name);
    await newcomer.getByLabel(/^Password/).fill(invitee.password);
    await newcomer.getByLabel('Confirm password').fill('not the same one');
    await newcomer.getByRole('button', { name: 'Join and sign in' }).click();
    await newcomer.getByText('The two passwords are not the same.').waitFor();
    await screenshot(newcomer, 'invitation-page');
    await newcomer.getByLabel('Confirm password').fill(invitee.password);
    // Once used, the link is not looked up again (it would be a 404 in the console).
    const refused: string[] = [];
    newcomer.on('response', (r) => {
      if (r.url().includes('/api/v1/invitations/') && r.status() >= 400) refused.push(`${r.status()} ${r.url()}`);
    });
    await newcomer.getByRole('button', { name: 'Join and sign in' }).click();
    await newcomer.waitForURL(/\/inbox/);
    await newcomer.getByRole('navigation', { name: 'Main' }).getByText(invitee.name).waitFor();
    await newcomer.getByText('Loading conversations…').waitFor({ state: 'detached' });
    await screenshot(newcomer, 'invitation-signed-in');
    expect(refused).toEqual([]);
    // The password they chose is theirs: it signs them in through the API too.
    await parley.signIn(invitee.email, invitee.password);

    // The link was used: a third browser (a phone) reads the plain message and a way to sign in.
    for (const viewport of [PHONE, DESKTOP]) {
      const third = await context(viewport);
      await third.page.goto(link);
      await third.page.getByText(INVALID).waitFor();
      await third.page.getByRole('link', { name: 'sign in' }).waitFor();
      await screenshot(third.page, 'invitation-used');
    }

    await adminPage.reload();
    await adminPage.getByRole('cell', { name: invitee.email }).waitFor();
    await adminPage.getByText('No invitation is waiting to be used.').waitFor();
    await screenshot(adminPage, 'members-after-invite');
  });

  it('finds a contact, edits their name and a metadata value, and an admin deletes them', async () => {
    const contact = await parley.call<{ data: { id: number } }>('POST', '/api/v1/contacts', {
      email: 'grace@navy.example',
      name: 'Grace Hopper',
      phone: '+1 555 0100',
      organization_name: 'US Navy',
      metadata: { plan: 'pro', seats: 5 },
    });
    const id = contact.data.id;
    for (const [email, name] of [['alan@example.com', 'Alan Turing'], ['ada@example.com', 'Ada Lovelace']]) {
      await parley.call('POST', '/api/v1/contacts', { email, name });
    }
    const conversation = await parley.call<{ data: { id: string } }>('POST', '/api/v1/conversations', { contact_id: id, title: 'Compiler question' });

    await adminPage.goto('/inbox');
    await adminPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contacts' }).click();
    await adminPage.getByRole('link', { name: /Ada Lovelace/ }).waitFor();
    await screenshot(adminPage, 'contacts-list');
    await adminPage.getByRole('searchbox', { name: 'Search contacts' }).fill('navy');
    await expect.poll(() => adminPage.getByRole('list', { name: 'Contacts' }).getByRole('link').count()).toBe(1);
    await adminPage.getByRole('link', { name: /Grace Hopper/ }).click();
    await adminPage.waitForURL(new RegExp(`/contacts/${id}$`));

    const form = adminPage.getByRole('form', { name: 'Contact details' });
    await form.getByLabel('Name', { exact: true }).fill('Rear Admiral Grace Hopper');
    await form.getByLabel('Value of plan').fill('enterprise');
    await form.getByRole('button', { name: 'Add a value' }).click();
    await form.getByLabel('Name of metadata value 3').fill('region');
    await form.getByLabel('Value of region').fill('EMEA');
    // Structured values stay JSON: a broken one is refused with a plain message.
    await form.getByLabel('Value of seats').fill('{five');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.getByText(/The value of “seats” is structured data and must stay valid JSON/).waitFor();
    await form.getByLabel('Value of seats').fill('8');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.getByText('Saved.').waitFor();
    await screenshot(adminPage, 'contact-saved');
    const stored = await parley.call<{ data: { name: string; metadata: Record<string, unknown> } }>('GET', `/api/v1/contacts/${id}`);
    expect(stored.data.name).toBe('Rear Admiral Grace Hopper');
    expect(stored.data.metadata).toEqual({ plan: 'enterprise', seats: 8, region: 'EMEA' });

    // Their conversations open in the inbox.
    await adminPage.getByRole('link', { name: /Compiler question/ }).click();
    await adminPage.waitForURL(new RegExp(`/inbox/${conversation.data.id}$`));

    // An agent sees the contact but no way to delete it.
    await newcomer.goto(`/contacts/${id}`);
    await newcomer.getByRole('form', { name: 'Contact details' }).waitFor();
    expect(await newcomer.getByRole('button', { name: 'Erase' }).count()).toBe(0);

    await adminPage.goto(`/contacts/${id}`);
    adminPage.once('dialog', (dialog) => void dialog.accept());
    await adminPage.getByRole('button', { name: 'Erase' }).click();
    await adminPage.waitForURL(/\/contacts$/);
    await parley.call('GET', `/api/v1/contacts/${id}`, undefined, 404);
  });

  it('keeps Remove and the role within reach on a phone', async () => {
    const { page } = await context(PHONE);
    await signIn(page, parley.admin.email, parley.admin.password);
    await page.goto('/admin/members');
    const remove = page.getByRole('button', { name: `Remove ${invitee.name}` });
    await remove.waitFor();
    const box = await remove.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    const role = page.getByLabel(`Role of ${invitee.name}`);
    const roleBox = await role.boundingBox();
    expect(roleBox!.x + roleBox!.width).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'members-table');

    // Inviting and revoking work on a phone too; the invitation page fits it.
    const form = page.getByRole('form', { name: 'Invite member' });
    await form.getByLabel('Email').fill('lin@example.com');
    await form.getByRole('button', { name: 'Create invitation link' }).click();
    const linkBox = page.getByRole('textbox', { name: 'Invitation link' });
    await expect.poll(() => linkBox.inputValue()).toMatch(/\/invite\//);
    await linkBox.scrollIntoViewIfNeeded();
    await screenshot(page, 'members-invite-link');
    const link = await linkBox.inputValue();
    const guest = await context(PHONE);
    await guest.page.goto(link);
    await guest.page.getByText('lin@example.com').waitFor();
    await screenshot(guest.page, 'invitation-page');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Revoke the invitation of lin@example.com' }).click();
    await page.getByText('No invitation is waiting to be used.').waitFor();
    await guest.page.reload();
    await guest.page.getByText(INVALID).waitFor();

    await page.goto('/contacts');
    await page.getByRole('link', { name: /Ada Lovelace/ }).waitFor();
    await screenshot(page, 'contacts-list');
    await page.getByRole('link', { name: /Ada Lovelace/ }).click();
    await page.getByRole('form', { name: 'Contact details' }).waitFor();
    await screenshot(page, 'contact-saved');
    await adminPage.goto('/admin/members');
    await adminPage.getByRole('button', { name: `Remove ${invitee.name}` }).waitFor();
    await screenshot(adminPage, 'members-table');
  });
});
