import { describe, expect, it } from 'vitest';
import { checkAccessibility, demoUser, signIn, useDemoBrowser } from './browser.ts';

const demo = useDemoBrowser();

const user = (role: string) => demoUser(role, 'northmoor-hospitals');

describe('pathway rule sets', () => {
  it('an OH physician publishes a new version of the BBV pathway after fixing the errors', async () => {
    const { page, context } = await signIn(demo.browser, demo.baseUrl, user('oh-physician'));

    await page.goto('/pathways');
    await checkAccessibility(page, 'pathways');
    const bbvRow = page.locator('tr', { hasText: 'Blood-borne virus exposure' });
    await expect.poll(() => bbvRow.textContent()).toContain('Shipped with OHWB');
    expect(await bbvRow.textContent()).toContain('Times from the moment of exposure');
    await bbvRow.getByRole('link', { name: 'Blood-borne virus exposure' }).click();

    await page.waitForURL('**/pathways/bbv-exposure');
    await checkAccessibility(page, 'pathway-bbv');
    const main = page.locator('main');
    expect(await main.textContent()).toContain('Closes 72 hours after the moment of exposure');
    expect(await main.textContent()).toContain('Opens 4 weeks after the moment of exposure');
    expect(await main.textContent()).toContain('BHIVA/BASHH UK PEP guideline 2021');
    await page.getByRole('button', { name: 'Publish a new version' }).click();

    await page.waitForURL('**/pathways/bbv-exposure/edit');
    await checkAccessibility(page, 'pathway-edit');
    expect(await main.textContent()).toContain('Cases already running keep the version they started on');
    const tests6w = page.getByRole('group', { name: 'Follow-up blood tests at 4 to 6 weeks' });
    const opens = tests6w.getByRole('group', { name: 'Opens' });
    expect(await opens.getByLabel('Amount').inputValue()).toBe('4');
    expect(await opens.getByLabel('Unit').inputValue()).toBe('weeks');

    // The 6-week tests opening at 8 weeks, after they are due, and no change note.
    await opens.getByLabel('Amount').fill('8');
    const hbvSource = page
      .getByRole('group', { name: /Hepatitis B prophylaxis/ })
      .getByLabel('Source', { exact: true });
    await hbvSource.fill('UKHSA Green Book ch. 18: HBIG preferably within 48 hours, no later than 7 days');
    await page.getByRole('button', { name: 'Publish version 2' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await expect.poll(() => summary.textContent()).toContain('must open before it is due');
    expect(await summary.textContent()).toContain('Enter what changed and why');
    await checkAccessibility(page, 'pathway-edit-errors');
    // Each error leads to its field, and what was typed is still there.
    expect(await summary.getByRole('link', { name: /must open before it is due/ }).getAttribute('href')).toBe(
      '#steps-3-opensAmount',
    );
    expect(await page.locator('#steps-3-opensAmount').inputValue()).toBe('8');
    expect(await hbvSource.inputValue()).toContain('no later than 7 days');
    expect(await hbvSource.inputValue()).not.toContain('verify');

    await page.locator('#steps-3-opensAmount').fill('4');
    await page
      .getByLabel('What changed and why')
      .fill(
        'HBIG timing checked against the current Green Book chapter 18: confirmed, no longer marked verify.',
      );
    await page.getByRole('button', { name: 'Publish version 2' }).click();

    await page.waitForURL('**/pathways/bbv-exposure');
    await expect
      .poll(() => page.locator('.nhsuk-notification-banner').textContent())
      .toContain('Version 2 published. Cases already running keep the version they started on.');
    await checkAccessibility(page, 'pathway-bbv-v2');
    const history = page.locator('table', { hasText: 'Every version, newest first' });
    const v2 = history.locator('tr', { hasText: 'Version 2' });
    expect(await v2.textContent()).toContain('Dr Arjun Mehta');
    expect(await v2.textContent()).toContain('confirmed, no longer marked verify');
    expect(await history.locator('tr', { hasText: 'Version 1' }).textContent()).toContain(
      'Shipped with OHWB',
    );
    expect(await main.textContent()).not.toContain('no later than 7 days (verify)');

    await page.goto('/pathways');
    expect(await page.locator('tr', { hasText: 'Blood-borne virus exposure' }).textContent()).toContain(
      'Version 2',
    );
    await context.close();
  });

  it('an OH physician sees the TRiM settings and cannot publish a version that changes nothing', async () => {
    const { page, context } = await signIn(demo.browser, demo.baseUrl, user('oh-physician'));
    await page.goto('/pathways/trim');
    expect(await page.locator('main').textContent()).toContain(
      'Traumatic incidents that prompt an offer of support',
    );
    await page.getByRole('button', { name: 'Publish a new version' }).click();
    await page.getByLabel('What changed and why').fill('Reviewed, no change.');
    await page.getByRole('button', { name: /Publish version/ }).click();
    await expect
      .poll(() => page.locator('.nhsuk-error-summary').textContent())
      .toContain('Nothing has changed');
    await page.getByLabel('Traumatic incidents that prompt an offer of support').fill('0');
    await page.getByRole('button', { name: /Publish version/ }).click();
    await expect
      .poll(() => page.locator('.nhsuk-error-summary').textContent())
      .toContain('whole number from 1 to 10,000');
    await checkAccessibility(page, 'pathway-edit-trim-errors');
    expect(await page.getByLabel('What changed and why').inputValue()).toBe('Reviewed, no change.');

    // Times before the anchor, and "the same day", read back as they were written.
    await page.goto('/pathways/retirement');
    expect(await page.locator('main').textContent()).toContain('Opens 6 months before the retirement date');
    await page.goto('/pathways/retirement/edit');
    await checkAccessibility(page, 'pathway-edit-retirement');
    expect(await page.locator('main').textContent()).toContain('A minus sign counts back');
    expect(await page.locator('#steps-0-opensAmount').inputValue()).toBe('-6');
    await page.goto('/pathways/self-harm-risk/edit');
    expect(await page.locator('#steps-0-dueAmount').inputValue()).toBe('0');
    expect(await page.locator('#steps-0-dueEndOfDay').isChecked()).toBe(true);
    await page.goto('/pathways/trauma-outreach');
    expect(await page.locator('main').textContent()).toContain('settings of the TRiM pathway');
    await context.close();
  });

  it('an OH administrator reads pathways but cannot publish; an employee cannot read them', async () => {
    const admin = await signIn(demo.browser, demo.baseUrl, user('oh-admin'), { width: 390, height: 844 });
    await admin.page.goto('/pathways/bbv-exposure');
    await checkAccessibility(admin.page, 'phone-admin-pathway-bbv');
    expect(await admin.page.locator('main').textContent()).toContain('Follow-up blood tests at 3 months');
    expect(await admin.page.getByRole('button', { name: 'Publish a new version' }).count()).toBe(0);
    const edit = await admin.page.goto('/pathways/bbv-exposure/edit');
    expect(edit?.status()).toBe(403);
    await checkAccessibility(admin.page, 'admin-pathway-edit-refused');
    await admin.context.close();

    const employee = await signIn(demo.browser, demo.baseUrl, user('employee'));
    const list = await employee.page.goto('/pathways');
    expect(list?.status()).toBe(403);
    await employee.context.close();
  });
});
