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

describe('a musculoskeletal self-referral', () => {
  it('red flags first; then the route goes with the referral and starts the MSK tasks at triage', async () => {
    const phone = { width: 390, height: 844 };
    const employee = await signIn(demo.browser, demo.baseUrl, user('employee'), phone);
    const answerAll = async (answer: 'Yes' | 'No', except?: string) => {
      for (const group of await employee.page.locator('fieldset').all()) {
        const legend = (await group.locator('legend').textContent()) ?? '';
        await group.getByLabel(except && legend.includes(except) ? 'Yes' : answer, { exact: true }).check();
      }
    };
    await employee.page.goto('/get-help');
    await employee.page.getByRole('link', { name: 'Answer a few questions about it instead' }).click();
    await checkAccessibility(employee.page, 'phone-msk-red-flags');
    await employee.page.getByRole('button', { name: 'Continue' }).click();
    await expect
      .poll(() => employee.page.locator('.nhsuk-error-summary').textContent())
      .toContain('Select yes if');
    await checkAccessibility(employee.page, 'phone-msk-red-flags-errors');
    // A red flag stops the self-referral and sends the person to A&E now.
    await answerAll('No', 'bladder');
    await employee.page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => employee.page.locator('h1').textContent()).toContain('Go to A&E now');
    await checkAccessibility(employee.page, 'phone-msk-emergency');

    await employee.page.goto('/get-help/back-and-joints');
    await answerAll('No');
    await employee.page.getByRole('button', { name: 'Continue' }).click();
    await checkAccessibility(employee.page, 'phone-msk-about');
    await employee.page.getByLabel('Back', { exact: true }).check();
    await employee.page.getByLabel(/How bad has your pain been/).fill('8');
    await employee.page.getByLabel('6 to 12 weeks').check();
    await employee.page.getByLabel('Yes, but with difficulty').check();
    await employee.page.getByRole('button', { name: 'Send to occupational health' }).click();
    await expect
      .poll(() => employee.page.locator('main').textContent())
      .toContain('fast-track physiotherapy');
    await checkAccessibility(employee.page, 'phone-msk-sent');
    await employee.context.close();

    const admin = await signIn(demo.browser, demo.baseUrl, user('oh-admin'));
    await admin.page.goto('/triage');
    await admin.page
      .locator('tr', { hasText: 'Jordan Reeves' })
      .first()
      .getByRole('link', { name: /Triage/ })
      .click();
    await expect
      .poll(() => admin.page.locator('main').textContent())
      .toContain('Musculoskeletal self-referral (digital triage)');
    await admin.page.getByLabel('Soon').check();
    await admin.page.getByLabel('Pathway').selectOption('musculoskeletal');
    await admin.page.getByLabel('Clinician').selectOption({ index: 1 });
    await admin.page.getByRole('button', { name: 'Triage and book' }).click();
    await admin.page.waitForURL(/\/cases\/[^/]+\/book/);
    await admin.page.goto(admin.page.url().replace(/\/book.*$/, ''));
    await expect
      .poll(() => admin.page.locator('main').textContent())
      .toContain('Fast-track physiotherapy assessment');
    await checkAccessibility(admin.page, 'admin-msk-case');
    await admin.context.close();
  });
});

describe('incidents, dental injuries and retirement', () => {
  it('a manager records an incident, an employee a dental injury, a clinician plans a retirement', async () => {
    const manager = await signIn(demo.browser, demo.baseUrl, user('manager'));
    await manager.page.getByRole('link', { name: 'Record a traumatic incident (TRiM)' }).click();
    await checkAccessibility(manager.page, 'manager-incident-form');
    await manager.page.getByRole('button', { name: 'Record incident' }).click();
    await expect
      .poll(() => manager.page.locator('.nhsuk-error-summary').textContent())
      .toContain('Choose the people involved');
    await checkAccessibility(manager.page, 'manager-incident-errors');
    await manager.page.getByLabel('Jordan Reeves').check();
    await manager.page.getByLabel('What happened').fill('Fatal road traffic collision; child casualty.');
    await manager.page.getByRole('button', { name: 'Record incident' }).click();
    await expect
      .poll(() => manager.page.locator('.nhsuk-notification-banner').textContent())
      .toContain('TRiM risk assessment is due');
    await manager.context.close();

    const employee = await signIn(demo.browser, demo.baseUrl, user('employee'), { width: 390, height: 844 });
    await employee.page.getByRole('link', { name: 'Report an injury to the teeth or mouth' }).click();
    await checkAccessibility(employee.page, 'phone-dental-form');
    await employee.page.locator('#avulsed').check();
    await employee.page.locator('#onDuty').check();
    await employee.page.getByRole('button', { name: 'Report injury' }).click();
    await expect
      .poll(() => employee.page.locator('main').textContent())
      .toContain('Replant the knocked-out adult tooth');
    await checkAccessibility(employee.page, 'phone-dental-case');
    await employee.context.close();

    const clinician = await signIn(demo.browser, demo.baseUrl, user('oh-clinician'));
    await clinician.page.goto('/tasks?view=week');
    await clinician.page
      .locator('tr', { hasText: 'TRiM risk assessment' })
      .first()
      .getByRole('link', { name: 'Jordan Reeves' })
      .click();
    await checkAccessibility(clinician.page, 'clinician-person');
    const soon = new Date(Date.now() + 100 * 86_400_000);
    await clinician.page
      .getByRole('group', { name: 'Planned retirement date' })
      .getByLabel('Day')
      .fill(String(soon.getUTCDate()));
    await clinician.page
      .getByRole('group', { name: 'Planned retirement date' })
      .getByLabel('Month')
      .fill(String(soon.getUTCMonth() + 1));
    await clinician.page
      .getByRole('group', { name: 'Planned retirement date' })
      .getByLabel('Year')
      .fill(String(soon.getUTCFullYear()));
    await clinician.page.getByRole('button', { name: 'Save retirement date' }).click();
    await expect
      .poll(() => clinician.page.locator('.nhsuk-notification-banner').textContent())
      .toContain('pathway has started');
    await expect
      .poll(() => clinician.page.locator('main').textContent())
      .toContain('Pre-retirement health and wellbeing review');
    // No consent: the summary is refused, with the reason against the checkbox.
    await clinician.page.getByRole('button', { name: 'Download the summary' }).click();
    await expect
      .poll(() => clinician.page.locator('.nhsuk-error-summary').textContent())
      .toContain('must agree');
    await checkAccessibility(clinician.page, 'clinician-person-errors');
    await clinician.page.getByLabel('They have agreed to this summary being sent to their GP').check();
    const today = new Date();
    await clinician.page
      .getByRole('group', { name: 'When did they agree?' })
      .getByLabel('Day')
      .fill(String(today.getUTCDate()));
    await clinician.page
      .getByRole('group', { name: 'When did they agree?' })
      .getByLabel('Month')
      .fill(String(today.getUTCMonth() + 1));
    await clinician.page
      .getByRole('group', { name: 'When did they agree?' })
      .getByLabel('Year')
      .fill(String(today.getUTCFullYear()));
    await clinician.page.getByLabel('GP practice (optional)').fill('Elm Street Surgery');
    const [download] = await Promise.all([
      clinician.page.waitForEvent('download'),
      clinician.page.getByRole('button', { name: 'Download the summary' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^continuity-summary-.*\.json$/);
    await clinician.page.goto('/messages');
    await checkAccessibility(clinician.page, 'clinician-messages');
    await clinician.context.close();
  });
});
