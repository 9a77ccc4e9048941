import { STATUS_CODES } from 'node:http';
import type { FastifyError } from 'fastify';
import { DomainError, type FieldError, Invalid, RuleRefused } from '../../domain/shared/errors.ts';

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
      ...(error instanceof Invalid || (error instanceof RuleRefused && error.errors.length > 0)
        ? { errors: error.errors }
        : {}),
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
  if (status === 400) {
    // The body could not be read at all (not JSON, a forbidden key such as __proto__): one error at the root.
    return {
      type: 'about:blank',
      title: 'Bad request',
      status,
      detail: fastifyError.message,
      errors: [{ path: '/', message: fastifyError.message }],
    };
  }
  if (status > 400 && status < 500) {
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

/** Escapes one JSON-pointer segment (RFC 6901: `~` is `~0`, `/` is `~1`). */
function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Finds the JSON-pointer path of the first string holding a NUL character
 * (PostgreSQL text cannot store it). Walks with its own stack, so no nesting depth
 * can overflow the call stack.
 */
export function findNulCharacter(value: unknown): string | null {
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [item, path] = stack.pop() as [unknown, string];
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return path || '/';
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push([item[i], `${path}/${i}`]);
    } else if (item && typeof item === 'object') {
      const entries = Object.entries(item);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i] as [string, unknown];
        if (key.includes('\u0000')) return `${path}/${pointerSegment(key)}`;
        stack.push([child, `${path}/${pointerSegment(key)}`]);
      }
    }
  }
  return null;
}
