import { describe, expect, it } from 'vitest';
import { checkAccessibility, demoUser, signIn, useDemoBrowser } from './browser.ts';

const demo = useDemoBrowser();
const user = (role: string) => demoUser(role, 'northmoor-hospitals');

describe('a blood-borne virus exposure', () => {
  it('a manager reports it on a phone; the clinician follows it to the 6-week tests', async () => {
    const phone = { width: 390, height: 844 };
    const manager = await signIn(demo.browser, demo.baseUrl, user('manager'), phone);
    await manager.page.getByRole('link', { name: 'Report a needlestick, bite, splash or spit' }).click();
    await checkAccessibility(manager.page, 'phone-exposure-form');
    // Sent with nothing chosen: the error summary names what is missing, and nothing is reported.
    await manager.page.getByRole('button', { name: 'Report exposure' }).click();
    await expect
      .poll(() => manager.page.locator('.nhsuk-error-summary').textContent())
      .toContain('Choose who was exposed');
    await checkAccessibility(manager.page, 'phone-exposure-errors');
    await manager.page.getByLabel('Jordan Reeves').check();
    await manager.page.getByLabel('Needlestick or sharps injury').check();
    await manager.page.locator('#onDuty').check();
    await manager.page.locator('#sourceKnown-2').check();
    await manager.page.getByRole('button', { name: 'Report exposure' }).click();
    await expect.poll(() => manager.page.locator('h1').textContent()).toContain('Exposure reported');
    await checkAccessibility(manager.page, 'phone-exposure-sent');
    // The manager's view of the case: no clinical detail, no tasks.
    await manager.page.goto('/');
    await manager.context.close();

    const admin = await signIn(demo.browser, demo.baseUrl, user('oh-admin'));
    await admin.page.goto('/');
    await admin.page
      .getByRole('link', { name: /Allocate a clinician for Jordan Reeves/ })
      .first()
      .click();
    await checkAccessibility(admin.page, 'admin-exposure-case');
    await expect.poll(() => admin.page.locator('.app-clock').textContent()).toContain('HIV PEP window');
    await admin.page.getByLabel('Allocate a clinician').selectOption({ label: 'Grace Adeyemi' });
    await admin.page.getByRole('button', { name: 'Allocate' }).click();
    await expect
      .poll(() => admin.page.locator('.nhsuk-notification-banner').textContent())
      .toContain('Clinician allocated');
    await admin.context.close();

    const clinician = await signIn(demo.browser, demo.baseUrl, user('oh-clinician'));
    await clinician.page.getByRole('link', { name: 'Tasks', exact: true }).first().click();
    await checkAccessibility(clinician.page, 'clinician-tasks');
    await clinician.page
      .getByRole('link', { name: 'First aid, then a risk assessment of the exposure' })
      .first()
      .click();
    await checkAccessibility(clinician.page, 'clinician-task');
    await clinician.page.getByLabel('Outcome (optional)').fill('Low-risk needlestick; source known.');
    await clinician.page.getByRole('button', { name: 'Mark as done' }).click();
    await expect
      .poll(() => clinician.page.locator('.nhsuk-notification-banner').textContent())
      .toContain('Task completed');
    await clinician.page.getByRole('link', { name: 'Jordan Reeves' }).first().click();
    await checkAccessibility(clinician.page, 'clinician-exposure-case');
    const sixWeeks = clinician.page.locator('tr', { hasText: 'Follow-up blood tests at 4 to 6 weeks' });
    await expect.poll(() => sixWeeks.textContent()).toContain('Not yet open');
    await expect.poll(() => sixWeeks.textContent()).toContain('HCV antigen/PCR');
    await sixWeeks.getByRole('link').click();
    await checkAccessibility(clinician.page, 'clinician-6-week-tests');
    await expect
      .poll(() => clinician.page.locator('h1').textContent())
      .toContain('Follow-up blood tests at 4 to 6 weeks');
    // Done too early, the tests could miss an infection: the rule refuses and says when it opens.
    await clinician.page.getByRole('button', { name: 'Mark as done' }).click();
    await expect
      .poll(() => clinician.page.locator('.nhsuk-error-summary').textContent())
      .toContain('cannot be done before then');
    await checkAccessibility(clinician.page, 'clinician-6-week-tests-early');
    await clinician.context.close();
  });
});
