import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumMissing, DESKTOP, ensureWebBuild, launchChromium, newPage, PHONE, screenshot, signIn } from './browser.js';
import { startParley, type MemberSession, type Parley } from './parley.js';

interface Conversation {
  id: string;
  mode: 'ai' | 'manual';
  assignee_id: string | null;
  team_id: string | null;
}
interface Member {
  id: string;
  name: string;
}
interface Team {
  id: string;
  name: string;
  member_ids: string[];
  auto_assign: boolean;
  max_open_per_member: number;
}
type Availability = 'online' | 'away' | 'offline';

const skip = chromiumMissing();
if (skip) console.warn(skip);

const PASSWORD = 'a long enough password';

/**
 * Teams in Chromium against a real `parley serve`: an admin sets one up, members' open inboxes
 * make them available, the team hands its conversations to whoever is online, live, and a member
 * who steps away stops receiving them.
 */
describe.skipIf(skip !== null)('teams, assignment and availability in Chromium', () => {
  let parley: Parley;
  let admin: MemberSession;
  let browser: Browser;
  const people: Record<'maya' | 'tom' | 'priya', Member & { email: string }> = {} as never;
  const open: BrowserContext[] = [];
  let support: Team;
  let adminPage: Page;
  let maya: Page;

  async function operator(email: string, password = PASSWORD, viewport: { width: number; height: number } = DESKTOP, before?: (c: BrowserContext) => Promise<void>) {
    const { context, page } = await newPage(browser, parley.url, viewport);
    open.push(context);
    await before?.(context);
    await signIn(page, email, password);
    return page;
  }
  async function startConversation(email: string, name: string, text: string): Promise<string> {
    const contact = await parley.call<{ data: { id: number } }>('POST', '/api/v1/contacts', { email, name });
    const c = await parley.call<{ data: Conversation }>('POST', '/api/v1/conversations', { contact_id: contact.data.id, title: text });
    await parley.call('POST', `/api/v1/conversations/${c.data.id}/messages`, { content: text });
    return c.data.id;
  }
  /** What an integration does to pass a conversation to the team: a person answers from now on, the team's. */
  async function handToSupport(email: string, name: string, text: string): Promise<string> {
    const id = await startConversation(email, name, text);
    await parley.call('POST', `/api/v1/conversations/${id}/mode`, { mode: 'manual' });
    await parley.call('POST', `/api/v1/conversations/${id}/assign`, { team_id: support.id });
    return id;
  }
  const conversationOf = async (id: string) => (await parley.call<{ data: Conversation }>('GET', `/api/v1/conversations/${id}`)).data;
  const availabilityOf = async (who: Member) =>
    (await parley.call<{ data: Array<Member & { availability: Availability }> }>('GET', '/api/v1/members/directory?limit=100')).data.find((m) => m.id === who.id)
      ?.availability;
  const row = (page: Page, contact: string) => page.locator('.conversation-row', { hasText: contact });
  const chooseAvailability = async (page: Page, label: 'Online' | 'Away' | 'Offline') => {
    await page.locator('.user-button').click();
    await page.locator('.availability-choice').getByRole('radio', { name: new RegExp(`^${label}`) }).check();
  };

  beforeAll(async () => {
    ensureWebBuild();
    parley = await startParley();
    browser = await launchChromium();
    admin = await parley.signIn(parley.admin.email, parley.admin.password);
    const list = [
      ['maya', 'Maya Chen', 'maya@example.com'],
      ['tom', 'Tom Becker', 'tom@example.com'],
      ['priya', 'Priya Raman', 'priya@example.com'],
    ] as const;
    for (const [key, name, email] of list) {
      const created = await admin.call<{ data: Member }>('POST', '/api/v1/members', { email, name, role: 'agent', password: PASSWORD }, 201);
      people[key] = { ...created.data, email };
    }
  }, 90_000);
  afterAll(async () => {
    for (const context of open) await context.close();
    await browser?.close();
    await parley?.stop();
  });

  it('lets an admin create a team with two members that assigns by itself, with errors at their fields', async () => {
    adminPage = await operator(parley.admin.email, parley.admin.password);
    await adminPage.goto('/admin/teams');
    await adminPage.getByText('No teams yet').waitFor();
    await adminPage.getByRole('button', { name: '+ New team' }).click();
    const form = adminPage.getByRole('form', { name: 'New team' });
    await form.getByLabel('Team name').fill('Support');
    await form.getByLabel('Maya Chen').check();
    await form.getByLabel('Tom Becker').check();
    expect(await form.getByRole('switch', { name: /Assign automatically/ }).isChecked()).toBe(true);
    await form.getByLabel('Most open conversations per member').fill('3');
    await screenshot(adminPage, 'teams-new');
    await form.getByRole('button', { name: 'Create team' }).click();
    const card = adminPage.getByRole('listitem', { name: 'Support' });
    await card.getByText('2 members · 0 online').waitFor();
    await card.getByText('To whoever is online with the fewest open conversations · at most 3 each').waitFor();
    const teams = (await parley.call<{ data: Team[] }>('GET', '/api/v1/teams')).data;
    expect(teams).toHaveLength(1);
    support = teams[0];
    expect(support).toMatchObject({ name: 'Support', auto_assign: true, max_open_per_member: 3 });
    expect([...support.member_ids].sort()).toEqual([people.maya.id, people.tom.id].sort());

    // The same name again: 409, said at the name.
    await adminPage.getByRole('button', { name: '+ New team' }).click();
    await form.getByLabel('Team name').fill('Support');
    await form.getByRole('button', { name: 'Create team' }).click();
    await form.locator('.field-error').getByText('A team named "Support" already exists.').waitFor();
    expect(await form.getByLabel('Team name').getAttribute('aria-invalid')).toBe('true');
    await screenshot(adminPage, 'teams-name-taken');

    // A member removed while the form was open: 422, said at the members.
    await form.getByLabel('Team name').fill('Billing');
    expect(await form.getByLabel('Team name').getAttribute('aria-invalid')).toBeNull();
    await form.getByRole('button', { name: 'Cancel' }).click();
    const gone = await admin.call<{ data: Member }>('POST', '/api/v1/members', { email: 'sam@example.com', name: 'Sam Short', role: 'agent', password: PASSWORD }, 201);
    await adminPage.reload();
    await adminPage.getByRole('button', { name: '+ New team' }).click();
    await form.getByLabel('Team name').fill('Billing');
    await form.getByLabel('Priya Raman').check();
    await form.getByLabel('Sam Short').check();
    await admin.call('DELETE', `/api/v1/members/${gone.data.id}`, undefined, 204);
    await form.getByRole('button', { name: 'Create team' }).click();
    await form.locator('.field-error').getByText('One of the picked members is no longer in this workspace; the list is read again, pick again.').waitFor();
    // The list is read again: the former member is left to untick.
    await form.getByLabel('A former member').click();
    await form.getByLabel('A former member').waitFor({ state: 'detached' });
    await form.getByRole('switch', { name: /Assign automatically/ }).click();
    await form.getByRole('button', { name: 'Create team' }).click();
    const billing = adminPage.getByRole('listitem', { name: 'Billing' });
    await billing.getByText('Conversations wait in its queue until someone picks them up').waitFor();

    // Editing, then deleting with a confirmation.
    await adminPage.getByRole('button', { name: 'Edit Billing' }).click();
    const edit = adminPage.getByRole('form', { name: 'Edit Billing' });
    await edit.getByLabel('Team name').fill('Billing and refunds');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    const renamed = adminPage.getByRole('listitem', { name: 'Billing and refunds' });
    await renamed.getByText('1 member · 0 online').waitFor();
    await adminPage.getByRole('button', { name: 'Delete Billing and refunds' }).click();
    await renamed.getByRole('alertdialog').getByText('Delete Billing and refunds?').waitFor();
    await screenshot(adminPage, 'teams-delete');
    await renamed.getByRole('button', { name: 'Delete team' }).click();
    await renamed.waitFor({ state: 'detached' });
    expect((await parley.call<{ data: Team[] }>('GET', '/api/v1/teams')).data.map((t) => t.name)).toEqual(['Support']);
  }, 60_000);

  it('makes a member online while their inbox is open, and shows it beside their name', async () => {
    expect(await availabilityOf(people.maya)).toBe('offline');
    maya = await operator(people.maya.email);
    await expect.poll(() => availabilityOf(people.maya), { timeout: 10_000 }).toBe('online');
    expect(await availabilityOf(people.tom)).toBe('offline');
    await maya.locator('.user-button', { hasText: 'Online' }).waitFor();

    await adminPage.reload();
    const card = adminPage.getByRole('listitem', { name: 'Support' });
    await card.getByText('2 members · 1 online').waitFor();
    expect(await card.locator('.member-chip', { hasText: 'Maya Chen' }).getByRole('img').getAttribute('aria-label')).toBe('Online');
    expect(await card.locator('.member-chip', { hasText: 'Tom Becker' }).getByRole('img').getAttribute('aria-label')).toBe('Offline');
    await screenshot(adminPage, 'teams');
    await adminPage.goto('/admin/members');
    await adminPage.locator('tr', { hasText: 'Maya Chen' }).getByText('Online').waitFor();
  }, 30_000);

  it('hands a conversation given to the team to its online member, live in her "Mine" view', async () => {
    await maya.goto('/inbox');
    await maya.locator('.views').getByRole('link', { name: /^Mine/ }).click();
    await maya.getByText('Nothing assigned to you').waitFor();
    expect(maya.url()).toContain('view=mine');
    // The inbox she just opened says she is online (on a loaded machine, a moment later).
    await expect.poll(() => availabilityOf(people.maya), { timeout: 10_000 }).toBe('online');

    const id = await handToSupport('alice@example.com', 'Alice Martin', 'Where is my parcel?');
    expect(await conversationOf(id)).toMatchObject({ assignee_id: people.maya.id, team_id: support.id });
    const notice = maya.locator('.assigned-notice');
    await notice.getByText('Assigned to you by Support team').waitFor();
    await notice.getByText('Alice Martin · Where is my parcel?').waitFor();
    await maya.waitForTimeout(300); // the notice slides in
    await row(maya, 'Alice Martin').waitFor();
    await row(maya, 'Alice Martin').locator('.badge-team', { hasText: 'Support' }).waitFor();
    await screenshot(maya, 'teams-assigned-notice');

    await notice.getByRole('link', { name: 'Open' }).click();
    await maya.waitForURL(new RegExp(`/inbox/${id}`));
    const head = maya.locator('.conversation-head');
    await head.getByText('Assigned to you').waitFor();
    await head.locator('.badge-team', { hasText: 'Support' }).waitFor();

    // The picker groups the team first, with everyone's availability.
    await maya.locator('.details').getByRole('button', { name: /^Assignee/ }).click();
    const options = maya.locator('.picker-list').getByRole('option');
    expect(await options.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).toEqual([
      'Unassigned',
      'Maya Chen (me), online',
      'Tom Becker, offline',
      'Admin, online',
      'Priya Raman, offline',
    ]);
    expect(await maya.locator('.picker-group').allTextContents()).toEqual(['Support team', 'Everyone else']);
    await screenshot(maya, 'teams-picker');
    await maya.keyboard.press('Escape');
    await maya.locator('.picker-list').waitFor({ state: 'detached' });
    expect(await maya.locator('.details').getByLabel('Team').inputValue()).toBe(support.id);
  }, 30_000);

  it('stops handing conversations to a member who steps away, and gives her the queue when she is back', async () => {
    await maya.goto('/inbox?view=mine');
    await chooseAvailability(maya, 'Away');
    await maya.locator('.user-button', { hasText: 'Away' }).waitFor();
    await expect.poll(() => availabilityOf(people.maya), { timeout: 10_000 }).toBe('away');
    await screenshot(maya, 'teams-away-menu');
    await maya.keyboard.press('Escape');

    const id = await handToSupport('bob@example.com', 'Bob Stone', 'My invoice looks wrong');
    // Nobody of the team is online: it waits in the queue, the list says so.
    expect(await conversationOf(id)).toMatchObject({ assignee_id: null, team_id: support.id });
    await maya.locator('.views').getByRole('link', { name: /^Open/ }).click();
    await row(maya, 'Bob Stone').locator('.badge-team-queued').waitFor();
    await row(maya, 'Bob Stone').click();
    await maya.locator('.conversation-head .badge-team', { hasText: 'Support · in queue' }).waitFor();
    await maya.locator('.details').getByText('Waiting in the Support team’s queue: it goes to the next member who is online and has room.').waitFor();
    await screenshot(maya, 'teams-queued');

    // Her own choice sticks: moving, typing and reloading do not make her online.
    await maya.mouse.move(200, 300);
    await maya.keyboard.press('Shift');
    await maya.reload();
    await maya.locator('.user-button', { hasText: 'Away' }).waitFor();
    await new Promise((r) => setTimeout(r, 1000));
    expect(await availabilityOf(people.maya)).toBe('away');
    expect((await conversationOf(id)).assignee_id).toBeNull();

    await chooseAvailability(maya, 'Online');
    await expect.poll(async () => (await conversationOf(id)).assignee_id, { timeout: 10_000 }).toBe(people.maya.id);
    await maya.locator('.assigned-notice', { hasText: 'Bob Stone' }).getByText('Assigned to you by Support team').waitFor();
    expect(await availabilityOf(people.maya)).toBe('online');
  }, 30_000);

  it('counts a member idle for 15 minutes as away, and online again at their next move', async () => {
    const tom = await operator(people.tom.email, PASSWORD, DESKTOP, (context) => context.clock.install());
    await expect.poll(() => availabilityOf(people.tom), { timeout: 10_000 }).toBe('online');
    await tom.clock.fastForward('15:30');
    await expect.poll(() => availabilityOf(people.tom), { timeout: 10_000 }).toBe('away');
    await tom.locator('.user-button', { hasText: 'Away (inactive)' }).waitFor();
    await tom.mouse.move(300, 300);
    await tom.mouse.move(320, 340);
    await expect.poll(() => availabilityOf(people.tom), { timeout: 10_000 }).toBe('online');
    await tom.locator('.user-button', { hasText: 'Online' }).waitFor();
    // Signed off for the day: the team's next conversations are not for him.
    await chooseAvailability(tom, 'Offline');
    await expect.poll(() => availabilityOf(people.tom), { timeout: 10_000 }).toBe('offline');
  }, 30_000);

  it('says offline when a member logs out', async () => {
    const priya = await operator(people.priya.email);
    await expect.poll(() => availabilityOf(people.priya), { timeout: 10_000 }).toBe('online');
    await priya.locator('.user-button').click();
    await priya.getByRole('button', { name: 'Log out' }).click();
    await priya.waitForURL(/\/login/);
    expect(await availabilityOf(people.priya)).toBe('offline');
  }, 30_000);

  it('filters the list by team', async () => {
    await startConversation('chloe@example.com', 'Chloé Dubois', 'Can I change my delivery address?');
    await maya.goto('/inbox');
    await row(maya, 'Chloé Dubois').waitFor();
    await maya.locator('.filters summary').click();
    await maya.locator('.filters').getByLabel('Team').selectOption({ label: 'Support' });
    await row(maya, 'Chloé Dubois').waitFor({ state: 'detached' });
    await row(maya, 'Alice Martin').waitFor();
    await row(maya, 'Bob Stone').waitFor();
    expect(maya.url()).toContain(`team_id=${support.id}`);
    await screenshot(maya, 'teams-filter');
  }, 30_000);

  it('saves a channel’s and an agent’s default team, in the channel list, the widget editor and the agent’s page', async () => {
    const email = (await parley.call<{ data: { id: string } }>('POST', '/api/v1/channels', { name: 'Email desk', type: 'api' }, 201)).data;
    await adminPage.goto('/admin/channels');
    await adminPage.getByLabel('Default team of Email desk').selectOption({ label: 'Support' });
    await expect
      .poll(async () => (await parley.call<{ data: { default_team_id: string | null } }>('GET', `/api/v1/channels/${email.id}`)).data.default_team_id)
      .toBe(support.id);
    await screenshot(adminPage, 'teams-channels');

    const widget = (await parley.call<{ data: { id: string } }>('POST', '/api/v1/channels', { name: 'Shop chat', type: 'web_widget' }, 201)).data;
    await adminPage.goto(`/admin/channels/${widget.id}`);
    await adminPage.getByLabel('Default team').selectOption({ label: 'Support' });
    await adminPage.getByRole('button', { name: 'Save changes' }).click();
    await adminPage.getByText('All changes saved.').waitFor();
    const saved = await parley.call<{ data: { default_team_id: string | null } }>('GET', `/api/v1/channels/${widget.id}`);
    expect(saved.data.default_team_id).toBe(support.id);
    await adminPage.reload();
    await expect.poll(() => adminPage.getByLabel('Default team').inputValue()).toBe(support.id);
    await screenshot(adminPage, 'teams-widget-editor');

    const agent = (await parley.call<{ data: Array<{ id: string }> }>('GET', '/api/v1/agents')).data[0];
    await adminPage.goto(`/admin/agents/${agent.id}`);
    await adminPage.getByLabel(/Default team/).selectOption({ label: 'Support' });
    await adminPage.getByRole('button', { name: 'Save agent' }).click();
    await adminPage.getByText('Saved.').waitFor();
    const stored = await parley.call<{ data: { default_team_id: string | null } }>('GET', `/api/v1/agents/${agent.id}`);
    expect(stored.data.default_team_id).toBe(support.id);
  }, 30_000);

  it('reads well on a phone', async () => {
    const phone = await operator(people.maya.email, PASSWORD, PHONE);
    await phone.locator('.views').getByRole('link', { name: /^Mine/ }).click();
    await row(phone, 'Alice Martin').waitFor();
    await screenshot(phone, 'teams-mine');
    await phone.getByRole('button', { name: 'Menu' }).click();
    await phone.locator('.user-button').click();
    await phone.locator('.availability-choice').waitFor();
    await screenshot(phone, 'teams-menu');
    await phone.getByRole('button', { name: 'Menu' }).click();

    const id = await handToSupport('dan@example.com', 'Dan Okafor', 'Please open a ticket for my kettle');
    await phone.locator('.assigned-notice', { hasText: 'Dan Okafor' }).waitFor();
    await phone.waitForTimeout(300); // the notice slides in
    await screenshot(phone, 'teams-assigned-notice');
    await phone.locator('.assigned-notice', { hasText: 'Dan Okafor' }).getByRole('link', { name: 'Open' }).click();
    await phone.waitForURL(new RegExp(`/inbox/${id}`));
    await phone.getByRole('button', { name: 'Details' }).click();
    await phone.locator('.details').getByRole('button', { name: /^Assignee/ }).click();
    await phone.locator('.picker-list').waitFor();
    await screenshot(phone, 'teams-picker');

    const page = await operator(parley.admin.email, parley.admin.password, PHONE);
    await page.goto('/admin/teams');
    await page.getByRole('listitem', { name: 'Support' }).waitFor();
    await screenshot(page, 'teams');
    await page.getByRole('button', { name: 'Edit Support' }).click();
    await page.getByRole('form', { name: 'Edit Support' }).waitFor();
    await screenshot(page, 'teams-edit');
  }, 60_000);
});
