/**
 * Typed errors that use cases throw. They carry a message a user can act on and
 * are mapped in one place to problem+json (API) or an error page / form summary (web).
 */
export type FieldError = { path: string; message: string };

/** Base of every error a use case may throw on purpose. */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
}

/** The record does not exist, or the caller may not know that it exists. */
export class NotFound extends DomainError {
  readonly status = 404;
  readonly title = 'Not found';
}

/** The caller is known but not allowed to do this. */
export class Forbidden extends DomainError {
  readonly status = 403;
  readonly title = 'Forbidden';
}

/** The request clashes with the current state of a record (e.g. a slot already taken). */
export class Conflict extends DomainError {
  readonly status = 409;
  readonly title = 'Conflict';
}

/**
 * A well-formed request that the rules refuse (e.g. an outcome before any consultation).
 * `errors` names the field at fault when there is one.
 */
export class RuleRefused extends DomainError {
  readonly status = 422;
  readonly title = 'Refused by the rules';
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

/** Bad input, with a message for each field at fault. */
export class Invalid extends DomainError {
  readonly status = 400;
  readonly title = 'Bad request';
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

/** No or bad credentials. */
export class Unauthenticated extends DomainError {
  readonly status = 401;
  readonly title = 'Unauthorized';
}
