import { STATUS_CODES } from 'node:http';
import type { FastifyError } from 'fastify';
import { DomainError, type FieldError, Invalid } from '../../domain/shared/errors.ts';

/** An RFC 9457 problem details body. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
};

type AjvError = {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
  keyword?: string;
};

/** Turns Ajv's errors into one message per field, with JSON-pointer paths. */
export function fieldErrorsFromValidation(validation: AjvError[], context?: string): FieldError[] {
  const prefix = context === 'querystring' ? '/query' : context === 'params' ? '/params' : '';
  return validation.map((v) => {
    const missing = v.params?.missingProperty ?? v.params?.additionalProperty;
    const path = `${prefix}${v.instancePath ?? ''}${missing ? `/${String(missing)}` : ''}` || '/';
    let message = v.message ?? 'is not valid';
    if (v.keyword === 'required') message = 'is required';
    else if (v.keyword === 'additionalProperties') message = 'is not a field of this request';
    else if (v.keyword === 'enum' && Array.isArray(v.params?.allowedValues)) {
      message = `must be one of: ${(v.params.allowedValues as unknown[]).join(', ')}`;
    }
    return { path, message };
  });
}

/** Maps any error to a problem. Unknown errors become a 500 without internals. */
export function toProblem(error: unknown): Problem {
  if (error instanceof DomainError) {
    return {
      type: 'about:blank',
      title: error.title,
      status: error.status,
      detail: error.message,
      ...(error instanceof Invalid ? { errors: error.errors } : {}),
    };
  }
  const fastifyError = error as FastifyError & { validationContext?: string };
  if (fastifyError?.validation) {
    const errors = fieldErrorsFromValidation(
      fastifyError.validation as AjvError[],
      fastifyError.validationContext,
    );
    return {
      type: 'about:blank',
      title: 'Bad request',
      status: 400,
      detail: `The request is not valid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
      errors,
    };
  }
  const status = typeof fastifyError?.statusCode === 'number' ? fastifyError.statusCode : 500;
  if (status >= 400 && status < 500) {
    return {
      type: 'about:blank',
      title: STATUS_CODES[status] ?? 'Error',
      status,
      detail: fastifyError.message,
    };
  }
  return {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail:
      'Something went wrong on our side. The request was not completed; try again, and tell us if it keeps happening.',
  };
}

/** Finds the JSON-pointer path of the first string holding a NUL character (PostgreSQL text cannot store it). */
export function findNulCharacter(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '/' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNulCharacter(value[i], `${path}/${i}`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = findNulCharacter(item, `${path}/${key}`);
      if (found) return found;
    }
  }
  return null;
}
