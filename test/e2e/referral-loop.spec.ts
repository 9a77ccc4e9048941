import { describe, expect, it } from 'vitest';
import { checkAccessibility, demoUser, sendReferral, signIn, useDemoBrowser } from './browser.ts';

const demo = useDemoBrowser();

const org = 'northmoor-police';
const user = (role: string) => demoUser(role, org);

describe('the referral-to-outcome loop through the pages', () => {
  it('manager refers → OH admin triages and books → clinician consults, records outcome and report → employee releases → manager reads', async () => {
    // The sign-in page, signed out.
    const anon = await demo.browser.newContext({ baseURL: demo.baseUrl });
    anon.setDefaultTimeout(15_000);
    const anonPage = await anon.newPage();
    await anonPage.goto('/');
    expect(new URL(anonPage.url()).pathname).toBe('/login');
    await checkAccessibility(anonPage, 'login');
    await anonPage.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => anonPage.locator('.nhsuk-error-summary').count()).toBe(1);
    await checkAccessibility(anonPage, 'login-errors');
    await anon.close();

    // Manager: home, team, refer (first without consent → error summary), then with consent.
    const manager = await signIn(demo.browser, demo.baseUrl, user('manager'));
    await checkAccessibility(manager.page, 'manager-home');
    await manager.page.getByRole('link', { name: 'My team' }).first().click();
    await checkAccessibility(manager.page, 'manager-team');
    const row = manager.page.locator('tr', { hasText: 'Jordan Reeves' });
    await row.getByRole('link', { name: /Refer/ }).click();
    await checkAccessibility(manager.page, 'manager-refer');
    await manager.page
      .getByLabel('Why are you referring them?')
      .fill('Struggling with night shifts since an assault on duty.');
    await manager.page.getByRole('button', { name: 'Send referral' }).click();
    await expect
      .poll(() => manager.page.locator('.nhsuk-error-summary').textContent())
      .toContain('Select whether they have agreed');
    await checkAccessibility(manager.page, 'manager-refer-errors');
    await sendReferral(
      manager.page,
      'Struggling with night shifts since an assault on duty.',
      'Is Jordan fit for night shifts?',
    );

    // OH admin: triage queue, triage, book.
    const admin = await signIn(demo.browser, demo.baseUrl, user('oh-admin'));
    await checkAccessibility(admin.page, 'admin-home');
    await admin.page.goto('/triage');
    await checkAccessibility(admin.page, 'admin-triage-queue');
    await admin.page
      .locator('tr', { hasText: 'Jordan Reeves' })
      .getByRole('link', { name: /Triage/ })
      .click();
    await checkAccessibility(admin.page, 'admin-triage');
    await admin.page.getByLabel('Urgent').check();
    await admin.page.getByLabel('Pathway').selectOption('mental-health');
    await admin.page.getByLabel('Clinician').selectOption({ label: 'Grace Adeyemi (OH clinician)' });
    await admin.page.getByRole('button', { name: 'Triage and book' }).click();
    await admin.page.waitForURL(/\/cases\/.+\/book/);
    await checkAccessibility(admin.page, 'admin-book');
    const caseUrl = admin.page.url().replace(/\/book.*$/, '');
    await admin.page.getByRole('button', { name: 'Book this appointment' }).click();
    await expect
      .poll(() => admin.page.locator('.nhsuk-error-summary').textContent())
      .toContain('Choose a time');
    await admin.page.locator('input[name="slot"]').first().check();
    await admin.page.getByRole('button', { name: 'Book this appointment' }).click();
    await expect
      .poll(() => admin.page.locator('.nhsuk-notification-banner').textContent())
      .toContain('Appointment booked');
    await checkAccessibility(admin.page, 'admin-case');
    await admin.page.goto('/diary');
    await checkAccessibility(admin.page, 'admin-diary');

    // Clinician: case, consultation, outcome, report.
    const clinician = await signIn(demo.browser, demo.baseUrl, user('oh-clinician'));
    await checkAccessibility(clinician.page, 'clinician-home');
    await clinician.page.goto(caseUrl);
    await checkAccessibility(clinician.page, 'clinician-case');
    await clinician.page.getByRole('link', { name: 'Record the fitness-for-work outcome' }).click();
    await clinician.page.getByLabel('Fit for work with adjustments').check();
    await clinician.page.getByRole('button', { name: 'Save outcome' }).click();
    await expect
      .poll(() => clinician.page.locator('.nhsuk-error-summary').textContent())
      .toContain('consultation');
    await checkAccessibility(clinician.page, 'clinician-outcome-refused');
    await clinician.page.goto(`${caseUrl}/consultation`);
    await checkAccessibility(clinician.page, 'clinician-consultation');
    await clinician.page
      .getByLabel('Consultation notes')
      .fill('Hypervigilance and broken sleep since the assault. PHQ-9 12.');
    await clinician.page.getByRole('button', { name: 'Save consultation' }).click();
    await clinician.page.getByRole('link', { name: 'Record the fitness-for-work outcome' }).click();
    await checkAccessibility(clinician.page, 'clinician-outcome');
    await clinician.page.getByLabel('Fit for work with adjustments').check();
    await clinician.page.getByLabel('Altered hours').check();
    await clinician.page.getByLabel('Adjustments in detail (optional)').fill('No night shifts for 6 weeks');
    await clinician.page.getByRole('button', { name: 'Save outcome' }).click();
    await expect
      .poll(() => clinician.page.locator('.nhsuk-notification-banner').textContent())
      .toContain('Outcome recorded');
    await clinician.page.getByRole('link', { name: 'Write the management report' }).click();
    await checkAccessibility(clinician.page, 'clinician-report');
    await clinician.page
      .getByLabel('Report')
      .fill('Jordan is fit for work with adjustments: day shifts only for six weeks.');
    await clinician.page.getByRole('button', { name: 'Send to the employee' }).click();
    await expect
      .poll(() => clinician.page.locator('.nhsuk-notification-banner').textContent())
      .toContain('Report written');

    // The manager sees the outcome but no notes and no report yet.
    await manager.page.goto(caseUrl);
    await checkAccessibility(manager.page, 'manager-case');
    const managerText = (await manager.page.locator('main').textContent()) ?? '';
    expect(managerText).toContain('Fit for work with adjustments');
    expect(managerText).toContain('No night shifts for 6 weeks');
    expect(managerText).not.toContain('Hypervigilance');
    expect(managerText).not.toContain('day shifts only for six weeks');

    // Employee: home shows the waiting report; read it and release it.
    const employee = await signIn(demo.browser, demo.baseUrl, user('employee'));
    await checkAccessibility(employee.page, 'employee-home');
    await employee.page.getByRole('link', { name: /Read the report/ }).click();
    await checkAccessibility(employee.page, 'employee-report');
    await employee.page.getByLabel('Release it to my manager').check();
    await employee.page.getByRole('button', { name: 'Confirm my decision' }).click();
    await expect
      .poll(() => employee.page.locator('.nhsuk-notification-banner').textContent())
      .toContain('released');
    await employee.page.goto('/get-help');
    await checkAccessibility(employee.page, 'employee-get-help');

    // The manager now reads the released report.
    await manager.page.goto(caseUrl);
    await manager.page.getByRole('link', { name: /Report of/ }).click();
    await checkAccessibility(manager.page, 'manager-report');
    expect(await manager.page.locator('main').textContent()).toContain('day shifts only for six weeks');

    // Physician: the audit trail of the case.
    const physician = await signIn(demo.browser, demo.baseUrl, user('oh-physician'));
    await physician.page.goto(`/audit?recordId=${caseUrl.split('/').pop()}`);
    await checkAccessibility(physician.page, 'physician-audit');
    expect(await physician.page.locator('table').textContent()).toContain('Recorded a consultation');

    for (const s of [manager, admin, clinician, employee, physician]) await s.context.close();
  });

  it('works without JavaScript: the employee refers themself', { timeout: 40_000 }, async () => {
    const context = await demo.browser.newContext({ baseURL: demo.baseUrl, javaScriptEnabled: false });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Email address').fill(`employee@northmoor-hospitals.demo.ohwb.test`);
    await page.getByLabel('Password', { exact: true }).fill('e2e-demo-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.goto('/get-help');
    await page.getByLabel('What would you like help with?').fill('Back pain from moving patients.');
    await page.getByLabel('Pain in my back, joints or muscles').check();
    await page.getByRole('button', { name: 'Send to occupational health' }).click();
    expect(await page.locator('.nhsuk-notification-banner').textContent()).toContain(
      'Your manager has not been told',
    );
    // axe needs JavaScript in the page; these pages are checked with JavaScript in the test above.
    await context.close();
  });
});
