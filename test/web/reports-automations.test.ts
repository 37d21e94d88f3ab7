import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumMissing, DESKTOP, ensureWebBuild, launchChromium, newPage, PHONE, screenshot, signIn } from './browser.js';
import { startParley, type Parley } from './parley.js';

const skip = chromiumMissing();

/** Per-operator reports, automations by name, errors that clear, and the outage banner. */
describe.skipIf(skip !== null)('reports, automations and errors in the web inbox', () => {
  let parley: Parley;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  /** The page as it is, at 1280×800 and at 390×844, scrolled to `focus` when given. */
  async function shoot(name: string, focus?: string): Promise<void> {
    for (const size of [DESKTOP, PHONE]) {
      await page.setViewportSize(size);
      if (focus) await page.locator(focus).first().scrollIntoViewIfNeeded();
      await screenshot(page, name);
    }
    await page.setViewportSize(DESKTOP);
  }

  beforeAll(async () => {
    ensureWebBuild();
    parley = await startParley();
    browser = await launchChromium();
    const admin = await parley.signIn(parley.admin.email, parley.admin.password);
    const member = async (name: string) =>
      (
        await admin.call<{ data: { id: string } }>('POST', '/api/v1/members', {
          email: `${name.split(' ')[0].toLowerCase()}@example.com`,
          name,
          role: 'agent',
          password: 'a long enough password',
        })
      ).data.id;
    const ann = await member('Ann Operator');
    const bob = await member('Bob Operator');
    await member('Cid Operator');
    await parley.call('POST', '/api/v1/teams', { name: 'Support', member_ids: [ann, bob] });
    await parley.call('POST', '/api/v1/teams', { name: 'Nights', member_ids: [] });
    await admin.call('POST', '/api/v1/conversation_states', { name: 'Waiting on customer' });

    // Ann answers two conversations, Bob one; Bob's is ended.
    const annSession = await parley.signIn('ann@example.com', 'a long enough password');
    const bobSession = await parley.signIn('bob@example.com', 'a long enough password');
    for (const [who, email, end] of [
      [annSession, 'one@example.com', false],
      [annSession, 'two@example.com', false],
      [bobSession, 'three@example.com', true],
    ] as const) {
      const contact = await parley.call<{ data: { id: number } }>('POST', '/api/v1/contacts', { email });
      const conversation = await parley.call<{ data: { id: string } }>('POST', '/api/v1/conversations', { contact_id: contact.data.id });
      const id = conversation.data.id;
      await parley.call('POST', `/api/v1/conversations/${id}/messages`, { content: 'Hello, anyone there?', role: 'user' });
      await who.call('POST', `/api/v1/conversations/${id}/messages`, { content: 'Let me help', role: 'operator' });
      if (end) await parley.call('POST', `/api/v1/conversations/${id}/end`);
    }

    ({ context, page } = await newPage(browser, parley.url, DESKTOP));
    await signIn(page, parley.admin.email, parley.admin.password);
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await parley?.stop();
  });

  it('shows each operator and team with their figures, sortable', async () => {
    await page.goto('/analytics');
    const operators = page.getByRole('region', { name: 'By operator' });
    const row = (name: string) => operators.getByRole('row', { name: new RegExp(`^${name}`) });
    await row('Ann Operator').waitFor();
    const ann = await row('Ann Operator').getByRole('cell').allTextContents();
    expect(ann).toEqual(['2', expect.stringMatching(/^\d+ s$/), '—', '—']);
    expect(await row('Bob Operator').getByRole('cell').nth(0).textContent()).toBe('1');
    // Bob's conversation was ended: it has a resolution time.
    expect(await row('Bob Operator').getByRole('cell').nth(2).textContent()).toMatch(/^\d+ s$/);
    expect(await row('Cid Operator').getByRole('cell').allTextContents()).toEqual(['0', '—', '—', '—']);

    // Most handled first; a click on a header sorts by it, a second reverses.
    const names = () => operators.locator('tbody th').allTextContents();
    expect((await names()).slice(0, 2)).toEqual(['Ann Operator', 'Bob Operator']);
    await operators.getByRole('button', { name: 'Name' }).click();
    const sorted = await names();
    expect(sorted).toEqual([...sorted].sort((a, b) => a.localeCompare(b)));
    await operators.getByRole('button', { name: /^Name/ }).click();
    expect(await names()).toEqual([...sorted].reverse());

    const teams = page.getByRole('region', { name: 'By team' });
    expect(await teams.getByRole('row', { name: /^Support/ }).getByRole('cell').nth(0).textContent()).toBe('3');
    expect(await teams.getByRole('row', { name: /^Nights/ }).getByRole('cell').nth(0).textContent()).toBe('0');
    await shoot('reports-by-operator', 'section.operators');
  });

  it('says plainly what is wrong with a request, without a "Try again" that cannot work', async () => {
    await page.goto('/analytics?days=400');
    const error = page.getByRole('alert').filter({ hasText: 'This cannot be shown as asked' });
    await error.waitFor();
    expect(await error.textContent()).toContain('days must be at most 365');
    expect(await error.getByRole('button', { name: 'Try again' }).count()).toBe(0);
  });

  it('builds an automation by member and state names, with errors in plain words at their field', async () => {
    await page.goto('/admin/automations');
    const builder = page.locator('form.builder');
    await builder.getByLabel('Name').fill('Route VIPs');
    await builder.getByLabel('When this happens').selectOption('conversation.created');
    // The rows' selects: the kind of action, then its value, chosen by name.
    const row = (i: number) => builder.locator('.builder-row').nth(i);
    const value = (i: number) => builder.locator(`[name="action-${i}-value"]`);
    await row(0).locator('select').first().selectOption('assign');
    await value(0).selectOption({ label: 'Ann Operator' });
    await builder.getByRole('button', { name: 'Add action' }).click();
    await row(1).locator('select').first().selectOption('set_state');
    await value(1).selectOption({ label: 'Waiting on customer' });
    await builder.getByRole('button', { name: 'Add action' }).click();
    await row(2).locator('select').first().selectOption('set_priority');
    const third = row(2);
    await builder.getByRole('button', { name: 'Create automation' }).click();

    // The priority was left unchosen: the server says so beside it, in words.
    const problem = third.locator('.field-error');
    await expect.poll(() => problem.textContent()).toBe('Choose a priority: low, normal, high, urgent.');
    await shoot('automation-builder-error', '.builder .field-error');
    await value(2).selectOption('high');
    await problem.waitFor({ state: 'detached' });
    expect(await builder.locator('.form-error').count()).toBe(0);

    await builder.getByRole('button', { name: 'Create automation' }).click();
    const card = page.locator('.card-list .card', { hasText: 'Route VIPs' });
    await card.waitFor();
    expect(await card.locator('.rule').textContent()).toContain('Assign to “Ann Operator”, Set state “Waiting on customer”, Set priority “high”');
    await shoot('automation-by-name', '.card-list');
  });

  it('routes to a team picked by name, on a condition about the team', async () => {
    await page.goto('/admin/automations');
    const builder = page.locator('form.builder');
    await builder.getByLabel('Name').fill('Unrouted handoffs to Nights');
    await builder.getByLabel('When this happens').selectOption('conversation.handoff');
    await builder.getByRole('button', { name: 'Add condition' }).click();
    const condition = builder.locator('.builder-row').first();
    await condition.getByLabel('Field').fill('conversation.team_id');
    await condition.getByLabel('Operator').selectOption('equals');
    // The value is a team picked by name; its first choice is "No team".
    const teamValue = condition.getByLabel(/^Value/);
    await teamValue.locator('option', { hasText: 'Nights' }).waitFor({ state: 'attached' });
    const options = await teamValue.locator('option').allTextContents();
    expect([options[0], ...options.slice(1).sort()]).toEqual(['No team', 'Nights', 'Support']);
    const action = builder.locator('.builder-row').nth(1);
    await action.locator('select').first().selectOption('assign_team');
    await builder.getByRole('button', { name: 'Create automation' }).click();

    const problem = action.locator('.field-error');
    await expect.poll(() => problem.textContent()).toBe('Choose a team.');
    await shoot('automation-team-error', '.builder .field-error');
    await builder.locator('[name="action-0-value"]').selectOption({ label: 'Nights' });
    await problem.waitFor({ state: 'detached' });
    await builder.getByRole('button', { name: 'Create automation' }).click();
    const card = page.locator('.card-list .card', { hasText: 'Unrouted handoffs to Nights' });
    await card.waitFor();
    expect(await card.locator('.rule').textContent()).toContain('if conversation.team_id equals no team then Hand to team “Nights”');
    await shoot('automation-team-by-name', '.card-list');
  });

  it('takes a document field’s error away as that field is edited, and keeps the others', async () => {
    const agents = await parley.call<{ data: Array<{ id: string }> }>('GET', '/api/v1/agents');
    await page.goto(`/admin/agents/${agents.data[0].id}`);
    const form = page.getByRole('form', { name: 'Add a document' });
    await form.getByLabel('Title').fill('   ');
    await form.getByLabel(/^Text/).fill('Refunds take five days.');
    await form.getByLabel(/^Link to the original/).fill('ftp://files.example.com/refunds');
    await form.getByRole('button', { name: 'Add document' }).click();

    const titleError = form.locator('#document-title-error');
    const urlError = form.locator('#document-url-error');
    await expect.poll(() => titleError.textContent()).toBe('Cannot be blank.');
    expect(await urlError.textContent()).toBe('Must be a web address starting with http:// or https://.');
    expect(await form.locator('p.form-error').count()).toBe(1);
    await shoot('document-errors', '#document-title-error');

    // The title is fixed: its error and the form's summary go; the link's stays until it is edited.
    await form.getByLabel('Title').fill('Refunds');
    await titleError.waitFor({ state: 'detached' });
    expect(await form.locator('p.form-error').count()).toBe(0);
    expect(await urlError.textContent()).toBe('Must be a web address starting with http:// or https://.');
    await form.getByLabel(/^Link to the original/).fill('https://help.example.com/refunds');
    await urlError.waitFor({ state: 'detached' });
    await form.getByRole('button', { name: 'Add document' }).click();
    await page.getByRole('region', { name: 'Knowledge documents' }).getByText('Refunds', { exact: true }).waitFor();
  });

  it('takes the time zone error away as soon as the field is corrected', async () => {
    await page.goto('/admin/workspace');
    const form = page.getByRole('form', { name: 'Workspace settings' });
    const zone = form.getByLabel(/^Time zone/);
    await zone.fill('Mars/Olympus');
    await form.getByRole('button', { name: 'Save settings' }).click();
    const error = form.locator('#workspace-timezone-error');
    await expect.poll(() => error.textContent()).toBe('Must be an IANA time zone such as Europe/Paris.');
    await shoot('workspace-timezone-error', '#workspace-timezone-error');
    await zone.fill('Europe/Paris');
    await error.waitFor({ state: 'detached' });
    expect(await form.locator('.form-error').count()).toBe(0);
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByText('Saved.').waitFor();
  });

  it('shows a banner while Parley cannot be reached, and not for a blip', async () => {
    await page.goto('/inbox');
    await page.locator('.live-dot.open').waitFor();
    const banner = page.getByRole('alert').filter({ hasText: 'Parley cannot be reached. Retrying…' });

    // The live stream drops but the server answers its health check: only the dot says so.
    await page.route('**/api/v1/events/stream', (route) => route.abort('connectionrefused'));
    await page.reload();
    const healthy = await page.waitForResponse((r) => r.url().endsWith('/healthz'), { timeout: 15_000 });
    expect(healthy.ok()).toBe(true);
    expect(await banner.count()).toBe(0);

    // The server is gone: the stream and the health check both fail.
    await page.route('**/healthz', (route) => route.abort('connectionrefused'));
    await banner.waitFor({ timeout: 15_000 });
    expect(await page.locator('.live-dot').count()).toBe(1);
    await shoot('outage-banner');

    // Back: the banner goes, and the live dot turns green again.
    await page.unroute('**/healthz');
    await page.unroute('**/api/v1/events/stream');
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
    await page.locator('.live-dot.open').waitFor({ timeout: 15_000 });
  });
});
