import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { INSTRUMENTS, type InstrumentCode } from '../../src/domain/measures/instrument.rules.ts';
import { signIn as openSession } from '../../src/services/auth/auth.service.ts';
import { recordMeasure } from '../../src/services/measures/measures.service.ts';
import { checkAccessibility, DEMO_PASSWORD, demoUser, signIn, useDemoBrowser } from './browser.ts';

const demo = useDemoBrowser();

const user = (role: string) => demoUser(role, 'northmoor-hospitals');
const phone = { width: 390, height: 844 };
const DAY = 86_400_000;

/** Answers a questionnaire by its questions' wording, as a person would; null leaves a question out. */
async function answer(page: Page, instrument: InstrumentCode, answers: Array<number | null>): Promise<void> {
  const definition = INSTRUMENTS[instrument];
  for (const [index, score] of answers.entries()) {
    if (score === null) continue;
    await page
      .getByRole('group', { name: `${index + 1}. ${definition.items[index]}` })
      .getByLabel(definition.answerLabels[score] as string, { exact: true })
      .check();
  }
}

const mainText = (page: Page) => page.locator('main').innerText();

describe('questionnaires (PHQ-9, GAD-7) and change over time', () => {
  it('an employee on a phone completes a PHQ-9 and a GAD-7, and is shown support when question 9 is positive', async () => {
    const { page, context } = await signIn(demo.browser, demo.baseUrl, user('employee'), phone);

    // The home page's "Complete a questionnaire" link: their own questionnaires.
    await page.goto('/questionnaires');
    expect(await page.locator('h1').innerText()).toBe('Your questionnaires');
    expect(await mainText(page)).toContain('You have not completed a questionnaire yet');
    await checkAccessibility(page, 'phone-employee-measures-empty');

    await page.getByRole('link', { name: 'Start a PHQ-9 (depression)' }).click();
    expect(await mainText(page)).toContain(INSTRUMENTS['PHQ-9'].stem);
    await checkAccessibility(page, 'phone-employee-phq9');

    // Question 4 left out: the error summary names it and links to its first radio; other answers stay.
    await answer(page, 'PHQ-9', [1, 1, 1, null, 1, 0, 1, 0, 0]);
    await page.getByRole('button', { name: 'Send answers' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    expect(await summary.innerText()).toContain('Answer question 4 (feeling tired or having little energy)');
    expect(await summary.getByRole('link').getAttribute('href')).toBe('#answers-3');
    expect(await page.locator('#answers-3').getAttribute('type')).toBe('radio');
    expect(await page.title()).toMatch(/^Error: /);
    const first = page.getByRole('group', { name: `1. ${INSTRUMENTS['PHQ-9'].items[0]}` });
    expect(await first.getByLabel('Several days', { exact: true }).isChecked()).toBe(true);
    await checkAccessibility(page, 'phone-employee-phq9-error');

    await answer(page, 'PHQ-9', [null, null, null, 2]);
    await page.getByRole('button', { name: 'Send answers' }).click();
    await page.waitForURL(/\/questionnaires\/[0-9a-f-]{36}/);
    expect(await page.locator('h1').innerText()).toBe('Your PHQ-9 result');
    expect(await mainText(page)).toContain('7 out of 27');
    expect(await mainText(page)).toContain('mild symptoms of depression');
    expect(await page.locator('.nhsuk-card--care--urgent').count()).toBe(0);
    await checkAccessibility(page, 'phone-employee-phq9-result');
    // The result has its own address: a refresh shows it again and saves nothing.
    await page.reload();
    expect(await page.locator('h1').innerText()).toBe('Your PHQ-9 result');

    await page.getByRole('link', { name: 'Answer the GAD-7 questionnaire about anxiety' }).click();
    await checkAccessibility(page, 'phone-employee-gad7');
    await answer(page, 'GAD-7', [2, 2, 1, 1, 0, 1, 1]);
    await page.getByRole('button', { name: 'Send answers' }).click();
    await page.waitForURL(/\/questionnaires\/[0-9a-f-]{36}/);
    expect(await page.locator('h1').innerText()).toBe('Your GAD-7 result');
    expect(await mainText(page)).toContain('8 out of 21');
    await checkAccessibility(page, 'phone-employee-gad7-result');

    // Question 9 above 0: urgent support first, whatever the total.
    await page.goto('/questionnaires/new?instrument=PHQ-9');
    await answer(page, 'PHQ-9', [0, 1, 0, 0, 0, 0, 0, 0, 1]);
    await page.getByRole('button', { name: 'Send answers' }).click();
    await page.waitForURL(/\/questionnaires\/[0-9a-f-]{36}/);
    const care = page.locator('.nhsuk-card--care--urgent');
    expect(await care.count()).toBe(1);
    const careText = await care.innerText();
    for (const text of ['999', 'A&E', 'NHS 111', 'mental health option', 'Samaritans', '116 123', 'today']) {
      expect(careText).toContain(text);
    }
    await checkAccessibility(page, 'phone-employee-phq9-urgent');

    await page.getByRole('link', { name: 'See all your questionnaires' }).click();
    expect(await page.locator('h1').innerText()).toBe('Your questionnaires');
    expect(await page.locator('#scores-title').textContent()).toContain('scores over time');
    expect(await page.locator('.app-score-chart table tbody tr').count()).toBe(3);
    // Talking Therapies outcomes and the trauma log are for clinicians.
    expect(await mainText(page)).not.toContain('Trauma exposure log');
    await checkAccessibility(page, 'phone-employee-measures');
    await context.close();
  });

  it('an OH clinician records a PHQ-9 from a case and reads the chart, outcomes and trauma log', async () => {
    // A case for the employee: they refer themself, OH triages it onto the mental health pathway.
    const employee = await signIn(demo.browser, demo.baseUrl, user('employee'));
    await employee.page.goto('/get-help');
    await employee.page.getByLabel('What would you like help with?').fill('Low mood and poor sleep.');
    await employee.page.getByRole('button', { name: 'Send to occupational health' }).click();
    const admin = await signIn(demo.browser, demo.baseUrl, user('oh-admin'));
    await admin.page.goto('/triage');
    await admin.page
      .locator('tr', { hasText: 'Jordan Reeves' })
      .first()
      .getByRole('link', { name: /Triage/ })
      .click();
    await admin.page.getByLabel('Routine').check();
    await admin.page.getByLabel('Pathway').selectOption('mental-health');
    await admin.page.getByLabel('Clinician').selectOption({ index: 1 });
    await admin.page.getByRole('button', { name: 'Triage and book' }).click();
    await admin.page.waitForURL(/\/book/);
    const caseId = /\/cases\/([0-9a-f-]{36})/.exec(admin.page.url())?.[1] as string;
    expect(caseId).toBeTruthy();

    // Earlier questionnaires of the episode, taken by the employee over the last ten weeks.
    const { actor } = await openSession(demo.server.ctx, {
      email: user('employee'),
      password: DEMO_PASSWORD,
      kind: 'api',
      hours: 1,
    });
    const personId = actor.personId as string;
    const now = demo.server.ctx.now().getTime();
    for (const [weeksAgo, phq9, gad7] of [
      [10, [2, 2, 2, 2, 2, 2, 1, 1, 0], [2, 2, 2, 2, 1, 2, 2]],
      [6, [1, 2, 2, 2, 1, 1, 1, 1, 0], [1, 2, 1, 2, 1, 2, 1]],
      [3, [1, 1, 1, 1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 0, 1, 1]],
    ] as const) {
      const takenAt = new Date(now - weeksAgo * 7 * DAY);
      await recordMeasure(demo.server.ctx, actor, {
        personId,
        instrument: 'PHQ-9',
        answers: [...phq9],
        takenAt,
        caseId,
      });
      await recordMeasure(demo.server.ctx, actor, {
        personId,
        instrument: 'GAD-7',
        answers: [...gad7],
        takenAt,
        caseId,
      });
    }

    // "Record a PHQ-9" from the case page.
    const clinician = await signIn(demo.browser, demo.baseUrl, user('oh-clinician'));
    const { page } = clinician;
    await page.goto(`/questionnaires/new?instrument=PHQ-9&personId=${personId}&caseId=${caseId}`);
    expect(await page.locator('.nhsuk-caption-l').innerText()).toBe('Jordan Reeves');
    expect(await page.locator('h1').innerText()).toBe('Record a PHQ-9');
    await checkAccessibility(page, 'clinician-phq9');
    await answer(page, 'PHQ-9', [1, 1, 1, 1, 1, 0, 0, 0, 2]);
    await page.getByRole('button', { name: 'Save answers' }).click();
    await page.waitForURL(/\/questionnaires\/[0-9a-f-]{36}/);
    expect(await page.locator('h1').innerText()).toBe('PHQ-9 result');
    expect(await mainText(page)).toContain('Same-day risk follow-up');
    expect(
      await page.getByRole('link', { name: 'Open the risk follow-up task' }).getAttribute('href'),
    ).toMatch(/^\/tasks\/[0-9a-f-]{36}$/);
    // The clinician is not shown the employee's support card.
    expect(await page.locator('.nhsuk-card--care--urgent').count()).toBe(0);
    await checkAccessibility(page, 'clinician-phq9-result');

    await page.getByRole('link', { name: 'See all their questionnaires and outcomes' }).click();
    expect(await page.locator('h1').innerText()).toBe('Questionnaires and outcomes');
    expect(await page.locator('svg[role="img"]').count()).toBe(1);
    expect(await page.locator('svg[role="img"] desc').textContent()).toContain(
      'The same scores are in the table below',
    );
    // Three from the first test, six earlier ones and the clinician's.
    expect(await page.locator('.app-score-chart table tbody tr').count()).toBe(10);
    expect(await page.locator('.app-score-chart table').innerText()).toContain('Question 9 answered above 0');
    const outcomes = await page.locator('table', { hasText: 'Reliable recovery' }).innerText();
    expect(outcomes).toContain('View case');
    expect(await mainText(page)).toContain('Trauma exposure log');
    expect(await mainText(page)).toContain('Proactive outreach');
    await checkAccessibility(page, 'clinician-measures');

    const onPhone = await signIn(demo.browser, demo.baseUrl, user('oh-clinician'), phone);
    await onPhone.page.goto(`/people/${personId}/measures?caseId=${caseId}`);
    await checkAccessibility(onPhone.page, 'phone-clinician-measures');

    // The employee sees the same scores on a desktop, without the clinician's notes.
    await employee.page.goto('/questionnaires');
    expect(await employee.page.locator('.app-score-chart table tbody tr').count()).toBe(10);
    expect(await employee.page.locator('.app-score-chart table').innerText()).not.toContain('Question 9');
    await checkAccessibility(employee.page, 'employee-measures');

    // Not for a manager: the service refuses and the error page says so.
    const manager = await signIn(demo.browser, demo.baseUrl, user('manager'));
    const refused = await manager.page.goto(`/people/${personId}/measures`);
    expect(refused?.status()).toBe(403);
    await checkAccessibility(manager.page, 'manager-measures-refused');

    for (const s of [employee, admin, clinician, onPhone, manager]) await s.context.close();
  });
});
