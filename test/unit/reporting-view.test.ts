import { describe, expect, it } from 'vitest';
import {
  figure,
  onPickerFields,
  periodValues,
  readDimension,
  readReportRequest,
  reportHref,
  scopeLabel,
} from '../../src/web/reporting/reporting.view.ts';

describe('reading the report picker', () => {
  it('reads the date inputs, or dates from a link, and leaves absent dates to the default period', () => {
    const typed = readReportRequest({
      scope: ' northmoor ',
      'from[day]': '1',
      'from[month]': '4',
      'from[year]': '2025',
      'to[day]': '',
      'to[month]': '',
      'to[year]': '',
    });
    expect(typed).toMatchObject({ scope: 'northmoor', from: '2025-04-01', to: undefined, errors: [] });
    expect(readReportRequest({ from: '2025-04-01', to: '2026-03-31' })).toMatchObject({
      scope: undefined,
      from: '2025-04-01',
      to: '2026-03-31',
      values: { from: { day: '1', month: '4', year: '2025' }, to: { day: '31', month: '3', year: '2026' } },
    });
    expect(readReportRequest({})).toMatchObject({ from: undefined, to: undefined, errors: [] });
  });

  it('names the field of a date that is not real, and keeps what was typed', () => {
    const wrong = readReportRequest({
      'from[day]': '31',
      'from[month]': '2',
      'from[year]': '2025',
      to: 'soon',
    });
    expect(wrong.errors).toEqual([
      { path: '/from-day', message: 'Enter a real start date, for example 1 4 2025' },
      { path: '/to-day', message: 'Enter a real end date, for example 1 4 2025' },
    ]);
    expect(wrong.values.from).toEqual({ day: '31', month: '2', year: '2025' });
    expect(wrong.from).toBeUndefined();
  });

  it('puts the period rules’ errors on the first box of each date input', () => {
    expect(
      onPickerFields([
        { path: '/to', message: 'Enter an end date on or after the start date.' },
        { path: '/scope', message: 'Choose a system, not an organisation.' },
      ]),
    ).toEqual([
      { path: '/to-day', message: 'Enter an end date on or after the start date.' },
      { path: '/scope', message: 'Choose a system, not an organisation.' },
    ]);
  });

  it('reads the equity dimension, staff group by default, and refuses an unknown one', () => {
    expect(readDimension({})).toBe('staffGroup');
    expect(readDimension({ dimension: 'ethnicity' })).toBe('ethnicity');
    expect(readDimension({ dimension: 'religion' })).toBeNull();
  });
});

describe('showing figures', () => {
  it('formats counts, rates and statistics, and marks suppressed ones', () => {
    expect(figure(1250, 'count')).toEqual({ text: '1,250', suppressed: false, kind: 'count' });
    expect(figure(250, 'rate')).toMatchObject({ text: '250.0' });
    expect(figure(44.8, 'rate', '%')).toMatchObject({ text: '44.8%' });
    expect(figure(13, 'statistic', ' days')).toMatchObject({ text: '13 days' });
    expect(figure('*', 'count')).toEqual({ text: '*', suppressed: true, kind: 'count' });
  });

  it('names scopes in words and builds report addresses', () => {
    const scope = { slug: 'x', name: 'Northmoor Police', controlled: true } as const;
    expect(scopeLabel({ ...scope, kind: 'organisation', organisationKind: 'police-force' })).toBe(
      'Northmoor Police (police force)',
    );
    expect(scopeLabel({ ...scope, kind: 'organisation', organisationKind: 'nhs-trust' })).toBe(
      'Northmoor Police (NHS trust)',
    );
    expect(scopeLabel({ ...scope, kind: 'system', organisationKind: null })).toBe(
      'Northmoor Police (system)',
    );
    expect(
      reportHref('/reporting/equity', { scope: 'northmoor', dimension: 'sex', from: '2025-01-01' }),
    ).toBe('/reporting/equity?scope=northmoor&dimension=sex&from=2025-01-01');
    expect(periodValues({ from: '2025-04-01', to: '2026-03-31' })).toEqual({
      from: { day: '1', month: '4', year: '2025' },
      to: { day: '31', month: '3', year: '2026' },
    });
  });
});
