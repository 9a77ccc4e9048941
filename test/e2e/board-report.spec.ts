import { describe, expect, it } from 'vitest';
import { checkAccessibility, demoUser, signIn, useDemoBrowser } from './browser.ts';

const demo = useDemoBrowser();

describe('the board report and benefits realisation', () => {
  it("the ICB's analyst reads the system's board report, then its aims, and adds one", async () => {
    const { page, context } = await signIn(demo.browser, demo.baseUrl, demoUser('analyst', 'northmoor-icb'));
    await page.goto('/reporting/board');
    // The system comes first in the picker, so the page opens on the system's report.
    await expect
      .poll(() => page.locator('h2.nhsuk-heading-l').textContent())
      .toContain('Northmoor Integrated Care System');
    await expect.poll(() => page.getByRole('heading', { name: 'What changed' }).count()).toBe(1);
    expect(
      await page
        .getByRole('img', { name: 'Staff who used a service per 1,000 staff, by staff group' })
        .count(),
    ).toBe(1);
    expect(await page.getByRole('heading', { name: 'The organisations of the system' }).count()).toBe(1);
    expect(await page.locator('main').textContent()).toContain(
      'Cut the wait for a first appointment to 10 days',
    );
    await checkAccessibility(page, 'board-report');

    // The PDF and CSV downloads answer with the files.
    const pdfHref = await page.getByRole('link', { name: /Download PDF/ }).getAttribute('href');
    const pdf = await page.request.get(pdfHref ?? '');
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // A wrong date shows the error summary on the picker.
    await page.getByLabel('Day').first().fill('31');
    await page.getByLabel('Month').first().fill('2');
    await page.getByLabel('Year').first().fill('2026');
    await page.getByRole('button', { name: 'Show report' }).click();
    await expect
      .poll(() => page.locator('.nhsuk-error-summary').textContent())
      .toContain('Enter a real start date');
    await checkAccessibility(page, 'board-report-errors');

    await page.goto('/reporting/board?scope=northmoor');
    await page.getByRole('link', { name: 'See and add benefits-realisation aims' }).click();
    await page.waitForURL(/\/reporting\/benefits\?scope=northmoor/);
    expect(await page.locator('main').textContent()).toContain('Raise self-referral to 40%');
    await checkAccessibility(page, 'benefits');

    await page.getByLabel('Name of the aim').fill('Nine in ten people at work when their care ends');
    await page.getByRole('button', { name: 'Add aim' }).click();
    await expect
      .poll(() => page.locator('.nhsuk-error-summary').textContent())
      .toContain('Choose the measure');
    await checkAccessibility(page, 'benefits-errors');

    await page.getByLabel('Measure', { exact: true }).selectOption('atWorkAtClosurePercent');
    await page.getByLabel('Up (for example, more self-referrals)').check();
    await page.getByLabel('Baseline value').fill('80');
    const fill = async (legend: string, day: string, month: string, year: string) => {
      const group = page.getByRole('group', { name: legend });
      await group.getByLabel('Day').fill(day);
      await group.getByLabel('Month').fill(month);
      await group.getByLabel('Year').fill(year);
    };
    await fill('Baseline period starts', '1', '1', '2026');
    await fill('Baseline period ends', '31', '3', '2026');
    await page.getByLabel('Target value').fill('90');
    await fill('Reach the target by', '31', '3', '2028');
    await page.getByRole('button', { name: 'Add aim' }).click();
    await expect
      .poll(() => page.locator('.nhsuk-notification-banner').textContent())
      .toContain('Aim added: Nine in ten people at work when their care ends');
    await checkAccessibility(page, 'benefits-added');
    await context.close();
  });
});
