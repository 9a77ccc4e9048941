/**
 * The rules of one row of the workforce feed (API.md, "Workforce, reporting and the
 * minimum dataset"; docs/workforce-import.md): which columns a file has, and whether a
 * row is a staff record OHWB can keep. Pure: today's date comes in as an argument.
 */
import {
  ageOn,
  canonicalStaffGroup,
  DISABILITY_ANSWERS,
  ETHNIC_CATEGORY_CODES,
  SEXES,
  type Sex,
} from './categories.ts';

/** The columns of the staff file, in the order API.md gives them. */
export const STAFF_CSV_COLUMNS = [
  'employee_number',
  'first_name',
  'last_name',
  'date_of_birth',
  'email',
  'staff_group',
  'job_title',
  'manager_employee_number',
  'ethnic_category',
  'sex',
  'disability',
  'start_date',
  'end_date',
] as const;
export type StaffColumn = (typeof STAFF_CSV_COLUMNS)[number];

/** Where each column sits in a file's rows (files may order their columns freely). */
export type ColumnPositions = Record<StaffColumn, number>;

/** A staff record read from one row. Blank optional fields are null: unknown. */
export type StaffRecord = {
  employeeNumber: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  email: string | null;
  staffGroup: string;
  jobTitle: string;
  managerEmployeeNumber: string | null;
  ethnicCategory: string | null;
  sex: Sex | null;
  disability: (typeof DISABILITY_ANSWERS)[number] | null;
  startDate: string | null;
  endDate: string | null;
};

/** The longest value each column may hold: real values are far shorter, so longer ones are mistakes. */
export const MAX_LENGTHS: Record<StaffColumn, number> = {
  employee_number: 50,
  first_name: 100,
  last_name: 100,
  date_of_birth: 10,
  email: 254,
  staff_group: 100,
  job_title: 200,
  manager_employee_number: 50,
  ethnic_category: 2,
  sex: 10,
  disability: 10,
  start_date: 10,
  end_date: 10,
};

/** Staff are 16 or over (DOMAIN.md's age bands start at 16). */
export const MINIMUM_AGE = 16;

/**
 * Reads the header row: every column of STAFF_CSV_COLUMNS exactly once, in any order,
 * matched without regard to case or surrounding spaces, and nothing else. Returns where
 * each column is, or a message saying what is wrong with the header.
 */
export function readStaffHeader(
  header: readonly string[],
): { positions: ColumnPositions } | { message: string } {
  const names = header.map((h) => h.trim().toLowerCase());
  const known = new Set<string>(STAFF_CSV_COLUMNS);
  const unknown = names.filter((n) => !known.has(n));
  const missing = STAFF_CSV_COLUMNS.filter((c) => !names.includes(c));
  const repeated = STAFF_CSV_COLUMNS.filter((c) => names.indexOf(c) !== names.lastIndexOf(c));
  const problems: string[] = [];
  if (missing.length) problems.push(`missing ${missing.join(', ')}`);
  if (unknown.length) problems.push(`unknown ${unknown.map((n) => (n === '' ? '(blank)' : n)).join(', ')}`);
  if (repeated.length) problems.push(`repeated ${repeated.join(', ')}`);
  if (problems.length) {
    return {
      message: `The first line must be the header ${STAFF_CSV_COLUMNS.join(',')} (columns: ${problems.join('; ')}).`,
    };
  }
  const positions = Object.fromEntries(
    STAFF_CSV_COLUMNS.map((c) => [c, names.indexOf(c)]),
  ) as ColumnPositions;
  return { positions };
}

const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
// A deliberately loose shape: one @, something either side, a dot in the domain, no spaces.
// Whether a mailbox exists is for the mail server to say.
const EMAIL_SHAPE = /^[^@\s]+@[^@\s]+\.[^@\s.]+$/;

/** True when `text` is a real calendar date written YYYY-MM-DD (no 31 April, no 29 February 2023). */
export function isRealDate(text: string): boolean {
  const match = DATE_SHAPE.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
  return day <= days;
}

const quoted = (value: string) => `“${value.length > 40 ? `${value.slice(0, 40)}…` : value}”`;

/**
 * Reads one row into a staff record, or lists every reason it cannot be kept (plain
 * English, naming the column, so a whole file can be fixed in one round).
 *
 * @param fields the row's values as the CSV reader gave them
 * @param positions where each column is (from readStaffHeader)
 * @param columnCount how many columns the header has
 * @param today the date the import runs, YYYY-MM-DD (Europe/London)
 */
export function readStaffRow(
  fields: readonly string[],
  positions: ColumnPositions,
  columnCount: number,
  today: string,
): { record: StaffRecord } | { errors: string[] } {
  if (fields.length !== columnCount) {
    return {
      errors: [
        `the row has ${fields.length} ${fields.length === 1 ? 'value' : 'values'} but the header has ${columnCount} columns`,
      ],
    };
  }
  const errors: string[] = [];
  const value = (column: StaffColumn): string => {
    const text = (fields[positions[column]] ?? '').trim();
    if (text.includes('\u0000')) {
      errors.push(`${column} contains a NUL character`);
      return '';
    }
    if (text.length > MAX_LENGTHS[column]) {
      errors.push(`${column} is longer than ${MAX_LENGTHS[column]} characters`);
      return '';
    }
    return text;
  };
  const required = (column: StaffColumn): string => {
    const text = value(column);
    if (text === '' && !errors.some((e) => e.startsWith(`${column} `))) {
      errors.push(`${column} is blank; every row needs one`);
    }
    return text;
  };
  const date = (column: StaffColumn): string | null => {
    const text = value(column);
    if (text === '') return null;
    if (!isRealDate(text)) {
      errors.push(`${column} ${quoted(text)} is not a real date written YYYY-MM-DD, for example 1984-03-27`);
      return null;
    }
    return text;
  };

  const employeeNumber = required('employee_number');
  const givenName = required('first_name');
  const familyName = required('last_name');
  const dateOfBirth = date('date_of_birth');
  const emailText = value('email');
  const staffGroupText = required('staff_group');
  const jobTitle = required('job_title');
  const managerText = value('manager_employee_number');
  const ethnicText = value('ethnic_category');
  const sexText = value('sex').toLowerCase();
  const disabilityText = value('disability').toLowerCase();
  const startDate = date('start_date');
  const endDate = date('end_date');

  const staffGroup = staffGroupText === '' ? null : canonicalStaffGroup(staffGroupText);
  if (staffGroupText !== '' && staffGroup === null) {
    errors.push(
      `staff_group ${quoted(staffGroupText)} is not a staff group OHWB knows (for example “Nursing and Midwifery Registered” or “Police officer”; see the list of staff groups)`,
    );
  }
  const email = emailText === '' ? null : emailText.toLowerCase();
  if (email !== null && !EMAIL_SHAPE.test(email)) {
    errors.push(`email ${quoted(emailText)} is not an email address`);
  }
  const ethnicCategory = ethnicText === '' ? null : ethnicText.toUpperCase();
  if (ethnicCategory !== null && !ETHNIC_CATEGORY_CODES.includes(ethnicCategory)) {
    errors.push(
      `ethnic_category ${quoted(ethnicText)} is not an NHS ethnic category code (A to H, J to N, P, R, S, Z for not stated, 99 for not known) or blank`,
    );
  }
  const sex =
    sexText === '' ? null : (SEXES as readonly string[]).includes(sexText) ? (sexText as Sex) : null;
  if (sexText !== '' && sex === null) {
    errors.push(`sex ${quoted(value('sex'))} must be female, male, other or blank`);
  }
  const disability =
    disabilityText === ''
      ? null
      : (DISABILITY_ANSWERS as readonly string[]).includes(disabilityText)
        ? (disabilityText as StaffRecord['disability'])
        : null;
  if (disabilityText !== '' && disability === null) {
    errors.push(`disability ${quoted(value('disability'))} must be yes, no or blank`);
  }
  const managerEmployeeNumber = managerText === '' ? null : managerText;
  if (managerEmployeeNumber !== null && managerEmployeeNumber === employeeNumber) {
    errors.push(
      'manager_employee_number is the person’s own employee number; a person cannot manage themself',
    );
  }

  if (dateOfBirth !== null) {
    if (dateOfBirth > today) {
      errors.push(`date_of_birth ${dateOfBirth} is in the future`);
    } else {
      // Without a start date, the person is at work today, so they must be 16 today.
      const on = startDate ?? today;
      if (ageOn(dateOfBirth, on) < MINIMUM_AGE) {
        errors.push(
          startDate
            ? `date_of_birth ${dateOfBirth} makes the person younger than ${MINIMUM_AGE} on their start_date ${startDate}`
            : `date_of_birth ${dateOfBirth} makes the person younger than ${MINIMUM_AGE} today`,
        );
      }
    }
  }
  if (startDate !== null && endDate !== null && endDate < startDate) {
    errors.push(`end_date ${endDate} is before start_date ${startDate}`);
  }

  if (errors.length > 0 || staffGroup === null) return { errors };
  return {
    record: {
      employeeNumber,
      givenName,
      familyName,
      dateOfBirth,
      email,
      staffGroup,
      jobTitle,
      managerEmployeeNumber,
      ethnicCategory,
      sex,
      disability,
      startDate,
      endDate,
    },
  };
}

/** The reason for a row whose employee number already appeared earlier in the same file. */
export function duplicateRowMessage(employeeNumber: string, firstLine: number): string {
  return `employee_number ${quoted(employeeNumber)} is also on line ${firstLine}; only the first row of a person is imported`;
}

/**
 * Joins the reasons for one row into the message a person reads. Reasons start with the
 * column name as the header spells it (lowercase), so the message does too.
 */
export function rowMessage(errors: readonly string[]): string {
  return `${errors.join('; ')}.`;
}
