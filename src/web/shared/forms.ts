import { DomainError, type FieldError, Invalid, RuleRefused } from '../../domain/shared/errors.ts';
import { londonDate, londonInstant } from '../../domain/time/london.ts';

/** A form body as the browser sends it (urlencoded): strings, or arrays for repeated names. */
export type FormBody = Record<string, string | string[] | undefined>;

/** One string field, trimmed; '' when absent. */
export function field(body: FormBody, name: string): string {
  const v = body[name];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
}

/** A repeated field (checkboxes) as a list. */
export function fields(body: FormBody, name: string): string[] {
  const v = body[name];
  return (Array.isArray(v) ? v : v ? [v] : []).map((s) => s.trim()).filter(Boolean);
}

/** Lines of a textarea, blank lines dropped. */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** The three parts of an NHS.UK date input, named `<name>[day]`, `<name>[month]`, `<name>[year]`. */
export function dateParts(body: FormBody, name: string) {
  return {
    day: field(body, `${name}[day]`),
    month: field(body, `${name}[month]`),
    year: field(body, `${name}[year]`),
  };
}

/** A date from the NHS.UK date input's three fields as YYYY-MM-DD, or an error message for the field. */
export function dateField(body: FormBody, name: string): { value: string | null; error?: string } {
  const { day, month, year } = dateParts(body, name);
  if (!day && !month && !year) return { value: null };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
    return { value: null, error: 'Enter a real date, for example 27 3 2026' };
  }
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const check = new Date(`${iso}T12:00:00Z`);
  if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== iso) {
    return { value: null, error: 'Enter a real date, for example 27 3 2026' };
  }
  return { value: iso };
}

/** A time of day from `<name>[hour]` and `<name>[minute]` (24-hour clock), or an error message. */
export function timeField(
  body: FormBody,
  name: string,
): { hour: number; minute: number } | { error: string } {
  const hour = field(body, `${name}[hour]`);
  const minute = field(body, `${name}[minute]`) || '0';
  if (!/^\d{1,2}$/.test(hour) || !/^\d{1,2}$/.test(minute) || Number(hour) > 23 || Number(minute) > 59) {
    return { error: 'Enter a real time, for example 14 30 (24-hour clock)' };
  }
  return { hour: Number(hour), minute: Number(minute) };
}

/** The instant to record for something that happened on a London date: now if today, else midday. */
export function instantForDate(date: string, now: Date): Date {
  return date === londonDate(now) ? now : londonInstant(date, 12);
}

/** Collects field errors; throws Invalid when there are any. */
export class FormErrors {
  readonly list: FieldError[] = [];
  add(path: string, message: string): void {
    this.list.push({ path: `/${path}`, message });
  }
  throwIfAny(): void {
    if (this.list.length) throw new Invalid('Check the form', this.list);
  }
}

/**
 * Turns an error from a service into form errors placed on a field, or rethrows
 * errors that are not about the user's input (404, 403 and crashes go to the error page).
 */
export function formErrorsFrom(
  error: unknown,
  fieldForRules: string,
  fieldOf: Record<string, string> = {},
): FieldError[] {
  if (error instanceof Invalid) {
    return error.errors.length ? error.errors : [{ path: `/${fieldForRules}`, message: error.message }];
  }
  if (error instanceof DomainError && (error.status === 422 || error.status === 409)) {
    // A rule that names the API field at fault is shown against the matching form field.
    const named = error instanceof RuleRefused ? error.errors.find((e) => fieldOf[e.path]) : undefined;
    return [
      { path: `/${named ? fieldOf[named.path] : fieldForRules}`, message: named?.message || error.message },
    ];
  }
  throw error;
}
