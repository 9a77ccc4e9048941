import { describe, expect, it } from 'vitest';
import {
  type ColumnPositions,
  duplicateRowMessage,
  isRealDate,
  readStaffHeader,
  readStaffRow,
  rowMessage,
  STAFF_CSV_COLUMNS,
  type StaffColumn,
} from '../../src/domain/workforce/staff-record.rules.ts';

const TODAY = '2026-06-15';
const header = readStaffHeader([...STAFF_CSV_COLUMNS]);
if (!('positions' in header)) throw new Error('the documented header must be accepted');
const positions: ColumnPositions = header.positions;

const GOOD: Record<StaffColumn, string> = {
  employee_number: '10001',
  first_name: 'Priya',
  last_name: 'Okonkwo',
  date_of_birth: '1984-03-27',
  email: 'Priya.Okonkwo@Example.NHS.uk',
  staff_group: 'nursing and midwifery registered',
  job_title: 'Staff nurse',
  manager_employee_number: '10000',
  ethnic_category: 'h',
  sex: 'Female',
  disability: 'NO',
  start_date: '2010-09-01',
  end_date: '',
};

/** One row in header order, with some values changed. */
function row(changes: Partial<Record<StaffColumn, string>> = {}): string[] {
  const values = { ...GOOD, ...changes };
  return STAFF_CSV_COLUMNS.map((c) => values[c]);
}

function errorsOf(changes: Partial<Record<StaffColumn, string>>): string[] {
  const read = readStaffRow(row(changes), positions, STAFF_CSV_COLUMNS.length, TODAY);
  if (!('errors' in read)) throw new Error(`expected the row to be refused: ${JSON.stringify(changes)}`);
  return read.errors;
}

describe('readStaffHeader', () => {
  it('accepts the columns in any order and case, with spaces around them', () => {
    const shuffled = [...STAFF_CSV_COLUMNS].reverse().map((c) => ` ${c.toUpperCase()} `);
    const read = readStaffHeader(shuffled);
    expect('positions' in read && read.positions.employee_number).toBe(STAFF_CSV_COLUMNS.length - 1);
  });

  it.each([
    ['a missing column', STAFF_CSV_COLUMNS.filter((c) => c !== 'sex'), 'missing sex'],
    ['an unknown column', [...STAFF_CSV_COLUMNS, 'religion'], 'unknown religion'],
    ['a repeated column', [...STAFF_CSV_COLUMNS, 'email'], 'repeated email'],
    ['a data row instead of a header', row(), 'missing employee_number'],
  ])('refuses %s, saying which', (_label, columns, words) => {
    const read = readStaffHeader(columns);
    expect('message' in read && read.message).toContain(words);
  });
});

describe('readStaffRow', () => {
  it('reads a good row into a record, with names of groups and codes as OHWB writes them', () => {
    const read = readStaffRow(row(), positions, STAFF_CSV_COLUMNS.length, TODAY);
    expect(read).toEqual({
      record: {
        employeeNumber: '10001',
        givenName: 'Priya',
        familyName: 'Okonkwo',
        dateOfBirth: '1984-03-27',
        email: 'priya.okonkwo@example.nhs.uk',
        staffGroup: 'Nursing and Midwifery Registered',
        jobTitle: 'Staff nurse',
        managerEmployeeNumber: '10000',
        ethnicCategory: 'H',
        sex: 'female',
        disability: 'no',
        startDate: '2010-09-01',
        endDate: null,
      },
    });
  });

  it('keeps blank optional fields as unknown (null)', () => {
    const read = readStaffRow(
      row({
        date_of_birth: '',
        email: ' ',
        manager_employee_number: '',
        ethnic_category: '',
        sex: '',
        disability: '',
        start_date: '',
      }),
      positions,
      STAFF_CSV_COLUMNS.length,
      TODAY,
    );
    expect('record' in read && read.record).toMatchObject({
      dateOfBirth: null,
      email: null,
      managerEmployeeNumber: null,
      ethnicCategory: null,
      sex: null,
      disability: null,
      startDate: null,
    });
  });

  it('accepts every ethnic category code, a leaver, and a police staff group', () => {
    for (const code of ['A', 'S', 'Z', '99']) {
      expect(
        'record' in
          readStaffRow(
            row({ ethnic_category: code, staff_group: 'Police officer', end_date: '2026-01-31' }),
            positions,
            STAFF_CSV_COLUMNS.length,
            TODAY,
          ),
      ).toBe(true);
    }
  });

  it.each<[string, Partial<Record<StaffColumn, string>>, string]>([
    ['no employee number', { employee_number: '' }, 'employee_number is blank'],
    ['no first name', { first_name: '  ' }, 'first_name is blank'],
    ['no last name', { last_name: '' }, 'last_name is blank'],
    ['no staff group', { staff_group: '' }, 'staff_group is blank'],
    ['no job title', { job_title: '' }, 'job_title is blank'],
    ['an unknown staff group', { staff_group: 'Nurses' }, 'staff_group “Nurses” is not a staff group'],
    [
      'a date in another format',
      { date_of_birth: '27/03/1984' },
      'date_of_birth “27/03/1984” is not a real date',
    ],
    [
      'a date that does not exist',
      { start_date: '2023-02-29' },
      'start_date “2023-02-29” is not a real date',
    ],
    ['a month 13', { end_date: '2024-13-01' }, 'end_date “2024-13-01” is not a real date'],
    [
      'a birth date in the future',
      { date_of_birth: '2026-06-16' },
      'date_of_birth 2026-06-16 is in the future',
    ],
    [
      'someone under 16 at the start',
      { date_of_birth: '2000-06-02', start_date: '2016-06-01' },
      'younger than 16 on their start_date 2016-06-01',
    ],
    [
      'someone under 16 today, with no start date',
      { date_of_birth: '2010-06-16', start_date: '' },
      'younger than 16 today',
    ],
    [
      'an end before the start',
      { start_date: '2020-01-02', end_date: '2020-01-01' },
      'end_date 2020-01-01 is before start_date 2020-01-02',
    ],
    [
      'an unknown ethnic code',
      { ethnic_category: 'I' },
      'ethnic_category “I” is not an NHS ethnic category code',
    ],
    ['a sex abbreviation', { sex: 'F' }, 'sex “F” must be female, male, other or blank'],
    ['a disability abbreviation', { disability: 'Y' }, 'disability “Y” must be yes, no or blank'],
    ['an email without a domain', { email: 'priya@' }, 'email “priya@” is not an email address'],
    ['an email with a space', { email: 'priya okonkwo@example.org' }, 'is not an email address'],
    ['a person managing themself', { manager_employee_number: '10001' }, 'cannot manage themself'],
    ['a NUL character', { job_title: 'Nurse\u0000' }, 'job_title contains a NUL character'],
    ['a value far too long', { last_name: 'x'.repeat(101) }, 'last_name is longer than 100 characters'],
  ])('refuses %s', (_label, changes, reason) => {
    const errors = errorsOf(changes);
    expect(errors.join(' | ')).toContain(reason);
  });

  it('is 16 on the 16th birthday exactly', () => {
    expect(
      'record' in
        readStaffRow(
          row({ date_of_birth: '2000-06-01', start_date: '2016-06-01' }),
          positions,
          STAFF_CSV_COLUMNS.length,
          TODAY,
        ),
    ).toBe(true);
  });

  it('lists every reason for a row at once', () => {
    const errors = errorsOf({ first_name: '', sex: 'x', disability: 'maybe', email: 'no' });
    expect(errors).toHaveLength(4);
    expect(rowMessage(errors)).toBe(
      'first_name is blank; every row needs one; email “no” is not an email address; sex “x” must be female, male, other or blank; disability “maybe” must be yes, no or blank.',
    );
  });

  it('refuses a row with too few or too many values', () => {
    const short = readStaffRow(row().slice(0, 12), positions, STAFF_CSV_COLUMNS.length, TODAY);
    expect(short).toEqual({ errors: ['the row has 12 values but the header has 13 columns'] });
    const long = readStaffRow([...row(), 'extra'], positions, STAFF_CSV_COLUMNS.length, TODAY);
    expect('errors' in long && long.errors[0]).toContain('14 values');
  });
});

describe('isRealDate', () => {
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['1900-02-29', false],
    ['2000-02-29', true],
    ['2024-04-31', false],
    ['2024-00-10', false],
    ['2024-1-10', false],
    ['20240110', false],
    ['2024-12-31', true],
  ])('%s is %s', (text, real) => {
    expect(isRealDate(text)).toBe(real);
  });
});

describe('duplicateRowMessage', () => {
  it('names the first line of the person', () => {
    expect(rowMessage([duplicateRowMessage('10001', 4)])).toBe(
      'employee_number “10001” is also on line 4; only the first row of a person is imported.',
    );
  });
});
