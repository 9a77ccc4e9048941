import { describe, expect, it } from 'vitest';
import { checkAccessibility, demoUser, signIn, useDemoBrowser } from './browser.ts';

const demo = useDemoBrowser();

/** The text of every data cell of the page's tables, without words meant for screen readers only. */
async function cellTexts(page: import('playwright-core').Page): Promise<string[]> {
  return page.locator('main td').evaluateAll((cells) =>
    cells.map((cell) => {
      const copy = cell.cloneNode(true) as HTMLElement;
      for (const hidden of copy.querySelectorAll('.nhsuk-u-visually-hidden, .nhsuk-table__heading'))
        hidden.remove();
      return (copy.textContent ?? '').trim();
    }),
  );
}

/** No table cell shows a count from 1 to 7 (disclosure control, DOMAIN.md). */
async function expectNoSmallCounts(page: import('playwright-core').Page): Promise<void> {
  const cells = await cellTexts(page);
  expect(cells.length).toBeGreaterThan(0);
  expect(cells.filter((c) => /^[1-7]$/.test(c))).toEqual([]);
}

describe('reporting pages', () => {
  it('the ICB analyst reports on the system: equity, KPIs, benchmarking and the dataset', async () => {
    const { page, context } = await signIn(demo.browser, demo.baseUrl, demoUser('analyst', 'northmoor-icb'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reporting' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Reporting');
    await checkAccessibility(page, 'reporting-home');

    // Equity of access for the whole system (chosen first), by staff group.
    await page.getByRole('link', { name: 'Who is and is not using services' }).click();
    expect(new URL(page.url()).searchParams.get('scope')).toBe('northmoor');
    await expect
      .poll(() => page.locator('caption').first().textContent())
      .toContain('Use of services by staff group');
    expect(await page.locator('main').textContent()).toContain('Northmoor Integrated Care System');
    const chart = page.getByRole('img', { name: 'Staff who used a service per 1,000 staff, by staff group' });
    await expect.poll(() => chart.count()).toBe(1);
    expect(await chart.textContent()).toContain('All staff: 184.7');
    await expectNoSmallCounts(page);
    await checkAccessibility(page, 'reporting-equity-staff-group');

    // Switch dimension: the scope and period stay.
    await page
      .getByRole('navigation', { name: 'Break down by' })
      .getByRole('link', { name: 'Ethnic group' })
      .click();
    await expect
      .poll(() => page.locator('caption').first().textContent())
      .toContain('Use of services by ethnic group');
    expect(new URL(page.url()).searchParams.get('scope')).toBe('northmoor');
    await expectNoSmallCounts(page);
    await checkAccessibility(page, 'reporting-equity-ethnicity');

    // A date that is not real: the page again, with the error summary.
    await page.getByRole('group', { name: 'From' }).getByLabel('Day').fill('31');
    await page.getByRole('group', { name: 'From' }).getByLabel('Month').fill('2');
    await page.getByRole('button', { name: 'Show report' }).click();
    await expect
      .poll(() => page.locator('.nhsuk-error-summary').textContent())
      .toContain('Enter a real start date');
    await checkAccessibility(page, 'reporting-equity-error');

    // KPIs for one organisation of the system, through the picker.
    await page.goto('/reporting/kpis');
    await page.getByLabel('Organisation or system').selectOption('northmoor-police');
    await page.getByRole('button', { name: 'Show report' }).click();
    await expect.poll(() => page.locator('main h2').first().textContent()).toContain('Northmoor Police');
    expect(await page.locator('main').textContent()).toContain(
      'Days from referral to first appointment — median',
    );
    await expectNoSmallCounts(page);
    await checkAccessibility(page, 'reporting-kpis');

    // Benchmarking: every organisation of the system, police force included.
    await page.goto('/reporting/benchmark');
    const table = page.locator('table.app-benchmark-table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(6);
    const policeRow = table.locator('tr', { hasText: 'Northmoor Police' });
    expect(await policeRow.textContent()).toContain('Police force');
    await expectNoSmallCounts(page);
    await checkAccessibility(page, 'reporting-benchmark');

    // The dataset page and its download.
    await page.goto('/reporting/dataset');
    expect(await page.locator('main').textContent()).toContain('pseudonym');
    await checkAccessibility(page, 'reporting-dataset');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the extract (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      /^ohwb-mds-northmoor-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/,
    );
    const response = await context.request.get('/reporting/dataset/download?scope=northmoor-police');
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('text/csv; charset=utf-8');
    const csv = await response.text();
    expect(csv.split('\n')[0]).toMatch(/^pseudonym,organisation,organisation_kind,/);
    expect(csv.split('\n').length).toBeGreaterThan(10);
    await context.close();
  });

  it('the police wellbeing lead sees their own organisation, on a phone too', async () => {
    const { page, context } = await signIn(
      demo.browser,
      demo.baseUrl,
      demoUser('wellbeing-lead', 'northmoor-police'),
    );
    await page.goto('/');
    await page.getByRole('link', { name: 'Reporting' }).first().click();
    await page.getByRole('link', { name: 'Who is and is not using services' }).click();
    expect(new URL(page.url()).searchParams.get('scope')).toBe('northmoor-police');
    expect(await page.locator('main h2').first().textContent()).toContain('Northmoor Police');
    await expectNoSmallCounts(page);
    await checkAccessibility(page, 'reporting-equity-police-lead');
    // Another organisation is not theirs to see.
    const other = await page.goto('/reporting/equity?scope=northmoor-hospitals');
    expect(other?.status()).toBe(404);
    // The extract is for analysts.
    expect((await page.goto('/reporting/dataset'))?.status()).toBe(403);
    await context.close();

    const phone = await signIn(demo.browser, demo.baseUrl, demoUser('wellbeing-lead', 'northmoor-police'), {
      width: 390,
      height: 844,
    });
    await phone.page.goto('/reporting/equity?dimension=ageBand');
    await expect
      .poll(() => phone.page.locator('caption').first().textContent())
      .toContain('Use of services by age band');
    await checkAccessibility(phone.page, 'phone-reporting-equity');
    await phone.context.close();
  });
});
