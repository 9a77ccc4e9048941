import { describe, expect, it } from 'vitest';
import { STAFF_CSV_COLUMNS } from '../../src/domain/workforce/staff-record.rules.ts';
import { checkAccessibility, demoUser, signIn, useDemoBrowser } from './browser.ts';

const demo = useDemoBrowser();

describe('workforce administration pages', () => {
  it('a sysadmin adds an organisation, then imports its staff from a file', async () => {
    const { context, page: admin } = await signIn(
      demo.browser,
      demo.baseUrl,
      demoUser('sysadmin', 'northmoor-icb'),
    );
    await admin.getByRole('link', { name: 'Organisations' }).first().click();
    await expect.poll(() => admin.locator('h1').textContent()).toBe('Organisations');
    await checkAccessibility(admin, 'sysadmin-organisations');
    await admin.getByRole('button', { name: 'Add organisation' }).click();
    await expect.poll(() => admin.locator('.nhsuk-error-summary').textContent()).toContain('Enter the name');
    await checkAccessibility(admin, 'sysadmin-organisations-errors');
    await admin.getByLabel('Name', { exact: true }).fill('Moorside Hospice');
    await admin.getByLabel('Short name for addresses and files (slug)').fill('moorside-hospice');
    await admin.getByLabel('Other').check();
    await admin.getByRole('button', { name: 'Add organisation' }).click();
    await expect
      .poll(() => admin.locator('.nhsuk-notification-banner').textContent())
      .toContain('Moorside Hospice added');

    await admin.getByRole('link', { name: 'Staff import' }).first().click();
    await checkAccessibility(admin, 'sysadmin-staff-import');
    await admin.getByLabel('Organisation').selectOption('moorside-hospice');
    const file = [
      STAFF_CSV_COLUMNS.join(','),
      'H1,Rowan,Ash,1975-05-05,rowan.ash@example.org,Nursing and Midwifery Registered,Hospice nurse,H2,C,female,no,2012-01-09,',
      'H2,Morgan,Birch,1970-07-07,,Medical and Dental,Medical director,,,,,2005-03-01,',
      'H3,Kit,Cedar,07/07/1990,,Students,Student nurse,H2,,,,,',
    ].join('\n');
    await admin.locator('input[type=file]').setInputFiles({
      name: 'moorside.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(file),
    });
    await admin.getByRole('button', { name: 'Import staff' }).click();
    await expect.poll(() => admin.locator('h1').textContent()).toContain('Staff import: Moorside Hospice');
    const main = (await admin.locator('main').textContent()) ?? '';
    expect(main).toMatch(/New people\s*2/);
    expect(main).toContain('date_of_birth “07/07/1990” is not a real date');
    await checkAccessibility(admin, 'sysadmin-staff-import-result');
    await admin.getByRole('link', { name: 'What each column holds' }).click();
    await checkAccessibility(admin, 'staff-import-columns');
    await context.close();
  });

  it('an OH administrator sees the staff import for the organisations their service serves', async () => {
    const { context, page } = await signIn(
      demo.browser,
      demo.baseUrl,
      demoUser('oh-admin', 'northmoor-hospitals'),
    );
    await page.goto('/admin/staff-import');
    const options = await page.locator('#organisation option').allTextContents();
    expect(options).toContain('Elm Street Surgery');
    expect(options.join(' ')).not.toContain('Police');
    await checkAccessibility(page, 'oh-admin-staff-import');
    await context.close();
  });
});
