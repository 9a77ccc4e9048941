import { describe, expect, it } from 'vitest';
import { checkAccessibility, demoUser, sendReferral, signIn, useDemoBrowser } from './browser.ts';

const demo = useDemoBrowser();

const user = (role: string, org = 'northmoor-hospitals') => demoUser(role, org);

describe('the rest of the pages', () => {
  it('public pages and the not-found page pass axe', async () => {
    const context = await demo.browser.newContext({ baseURL: demo.baseUrl });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    for (const [path, label] of [
      ['/accessibility', 'accessibility'],
      ['/privacy', 'privacy'],
    ] as const) {
      await page.goto(path);
      await checkAccessibility(page, label);
    }
    const { page: signedIn, context: ctx2 } = await signIn(demo.browser, demo.baseUrl, user('employee'));
    const response = await signedIn.goto('/cases/00000000-0000-0000-0000-000000000000');
    expect(response?.status()).toBe(404);
    await checkAccessibility(signedIn, 'not-found');
    await ctx2.close();
    await context.close();
  });

  it('a manager on a phone refers; OH declines it with a reason the manager then reads', async () => {
    const phone = { width: 390, height: 844 };
    const manager = await signIn(demo.browser, demo.baseUrl, user('manager'), phone);
    await manager.page.goto('/team');
    await checkAccessibility(manager.page, 'phone-manager-team');
    await manager.page
      .locator('tr', { hasText: 'Jordan Reeves' })
      .getByRole('link', { name: /Refer/ })
      .click();
    await checkAccessibility(manager.page, 'phone-manager-refer');
    await sendReferral(manager.page, 'Asking about parking permits.');

    const admin = await signIn(demo.browser, demo.baseUrl, user('oh-admin'));
    await admin.page.goto('/triage');
    await admin.page
      .locator('tr', { hasText: 'Jordan Reeves' })
      .first()
      .getByRole('link', { name: /Triage/ })
      .click();
    await admin.page.getByText('Decline this referral instead').click();
    await admin.page.getByRole('button', { name: 'Decline referral' }).click();
    await expect.poll(() => admin.page.locator('.nhsuk-error-summary').textContent()).toContain('Say why');
    await checkAccessibility(admin.page, 'admin-decline-errors');
    await admin.page
      .getByLabel('Why are you declining it?')
      .fill('Parking is handled by Estates: please contact the Estates helpdesk.');
    await admin.page.getByRole('button', { name: 'Decline referral' }).click();
    await expect
      .poll(() => admin.page.locator('.nhsuk-notification-banner').textContent())
      .toContain('declined');

    await manager.page.goto('/');
    await checkAccessibility(manager.page, 'phone-manager-home');
    expect(await manager.page.locator('main').textContent()).toContain('Estates helpdesk');
    await manager.context.close();
    await admin.context.close();
  });

  it('the employee cancels their appointment; a clinician closes a case', async () => {
    // A case with an appointment, made through the API as OH would.
    const admin = await signIn(demo.browser, demo.baseUrl, user('oh-admin'));
    const employee = await signIn(demo.browser, demo.baseUrl, user('employee'));
    await employee.page.goto('/get-help');
    await employee.page.getByLabel('What would you like help with?').fill('Wrist pain from typing.');
    await employee.page.getByRole('button', { name: 'Send to occupational health' }).click();
    await admin.page.goto('/triage');
    await admin.page
      .locator('tr', { hasText: 'Jordan Reeves' })
      .first()
      .getByRole('link', { name: /Triage/ })
      .click();
    await admin.page.getByLabel('Routine').check();
    await admin.page.getByLabel('Pathway').selectOption('musculoskeletal');
    await admin.page.getByLabel('Clinician').selectOption({ index: 1 });
    await admin.page.getByRole('button', { name: 'Triage and book' }).click();
    await admin.page.waitForURL(/\/book/);
    const caseUrl = admin.page.url().replace(/\/book.*$/, '');
    await admin.page.locator('input[name="slot"]').first().check();
    await admin.page.getByRole('button', { name: 'Book this appointment' }).click();

    await employee.page.goto(caseUrl);
    await checkAccessibility(employee.page, 'employee-case');
    await employee.page
      .getByRole('button', { name: /Cancel/ })
      .first()
      .click();
    await expect
      .poll(() => employee.page.locator('.nhsuk-notification-banner').textContent())
      .toContain('cancelled');
    await checkAccessibility(employee.page, 'employee-case-cancelled');

    const clinician = await signIn(demo.browser, demo.baseUrl, user('oh-clinician'));
    await clinician.page.goto(`${caseUrl}/consultation`);
    await clinician.page.getByLabel('Consultation notes').fill('Seen by phone. Ergonomic advice given.');
    await clinician.page.getByRole('button', { name: 'Save consultation' }).click();
    await clinician.page.goto(`${caseUrl}/outcome`);
    await clinician.page.getByLabel('Fit for work', { exact: true }).check();
    await clinician.page.getByRole('button', { name: 'Save outcome' }).click();
    await clinician.page.goto(`${caseUrl}/close`);
    await checkAccessibility(clinician.page, 'clinician-close');
    await clinician.page.getByRole('button', { name: 'Close case' }).click();
    await expect
      .poll(() => clinician.page.locator('.nhsuk-error-summary').textContent())
      .toContain('Choose how');
    await clinician.page.getByLabel('Remained at work').check();
    await clinician.page.getByRole('button', { name: 'Close case' }).click();
    await expect
      .poll(() => clinician.page.locator('.nhsuk-notification-banner').textContent())
      .toContain('Case closed');
    for (const s of [admin, employee, clinician]) await s.context.close();
  });
});
