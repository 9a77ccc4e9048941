import { describe, expect, it } from 'vitest';
import { fieldErrorsFromValidation, findNulCharacter, toProblem } from '../../src/api/shared/problem.ts';
import { Conflict, Forbidden, Invalid, NotFound, RuleRefused } from '../../src/domain/shared/errors.ts';

describe('findNulCharacter', () => {
  it.each([
    ['a clean object', { reason: 'Back pain', questions: ['Fit?'], consent: { given: true } }, null],
    ['a top-level string', 'a\u0000b', '/'],
    ['a top-level clean string', 'abc', null],
    ['a field', { reason: 'Back\u0000pain' }, '/reason'],
    ['an array item', { questions: ['ok', 'no\u0000'] }, '/questions/1'],
    ['a nested field', { consent: { given: true, recordedAt: '\u0000' } }, '/consent/recordedAt'],
    ['a NUL alone', { text: '\u0000' }, '/text'],
    ['the first of several', { a: 'fine', b: 'x\u0000', c: '\u0000' }, '/b'],
    ['a top-level array', ['ok', ['deep', 'de\u0000ep']], '/1/1'],
  ])('in %s → %s', (_label, value, expected) => {
    expect(findNulCharacter(value)).toBe(expected);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a number', 0],
    ['a boolean', false],
    ['an empty object', {}],
    ['an empty array', []],
    ['the text "\\u0000" written out', '\\u0000'],
  ])('finds nothing in %s', (_label, value) => {
    expect(findNulCharacter(value)).toBeNull();
  });

  it('walks JSON nested 100,000 deep (a request body can be) without overflowing the stack', () => {
    const depth = 100_000;
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < depth; i++) deep = [deep];
    expect(() => findNulCharacter(deep)).not.toThrow();
    expect(findNulCharacter(deep)).toBe('/0'.repeat(depth));
  });

  it('escapes "~" and "/" in keys as a JSON pointer does (RFC 6901)', () => {
    expect(findNulCharacter({ 'a/b': { 'c~d': '\u0000' } })).toBe('/a~1b/c~0d');
  });
});

describe('fieldErrorsFromValidation', () => {
  it('names a missing field and says it is required', () => {
    expect(
      fieldErrorsFromValidation([
        {
          instancePath: '',
          keyword: 'required',
          params: { missingProperty: 'reason' },
          message: "must have required property 'reason'",
        },
      ]),
    ).toEqual([{ path: '/reason', message: 'is required' }]);
  });

  it('names an unknown field', () => {
    expect(
      fieldErrorsFromValidation([
        {
          instancePath: '/consent',
          keyword: 'additionalProperties',
          params: { additionalProperty: 'signature' },
          message: 'must NOT have additional properties',
        },
      ]),
    ).toEqual([{ path: '/consent/signature', message: 'is not a field of this request' }]);
  });

  it('lists the allowed values of an enum', () => {
    expect(
      fieldErrorsFromValidation([
        {
          instancePath: '/priority',
          keyword: 'enum',
          params: { allowedValues: ['urgent', 'soon', 'routine'] },
          message: 'must be equal to one of the allowed values',
        },
      ]),
    ).toEqual([{ path: '/priority', message: 'must be one of: urgent, soon, routine' }]);
  });

  it('keeps Ajv’s message for other keywords, and has a fallback', () => {
    expect(
      fieldErrorsFromValidation([
        {
          instancePath: '/questions/2',
          keyword: 'maxLength',
          params: { limit: 1000 },
          message: 'must NOT have more than 1000 characters',
        },
        { instancePath: '/start', keyword: 'format' },
      ]),
    ).toEqual([
      { path: '/questions/2', message: 'must NOT have more than 1000 characters' },
      { path: '/start', message: 'is not valid' },
    ]);
  });

  it('prefixes query and path parameters, and uses "/" for the whole body', () => {
    expect(
      fieldErrorsFromValidation(
        [{ instancePath: '/from', keyword: 'format', message: 'must match format "date-time"' }],
        'querystring',
      ),
    ).toEqual([{ path: '/query/from', message: 'must match format "date-time"' }]);
    expect(
      fieldErrorsFromValidation(
        [{ instancePath: '', keyword: 'additionalProperties', params: { additionalProperty: 'x' } }],
        'querystring',
      ),
    ).toEqual([{ path: '/query/x', message: 'is not a field of this request' }]);
    expect(
      fieldErrorsFromValidation(
        [{ instancePath: '/id', keyword: 'maxLength', message: 'too long' }],
        'params',
      ),
    ).toEqual([{ path: '/params/id', message: 'too long' }]);
    expect(
      fieldErrorsFromValidation([{ instancePath: '', keyword: 'type', message: 'must be object' }], 'body'),
    ).toEqual([{ path: '/', message: 'must be object' }]);
  });

  it('returns one error per Ajv error, and none for none', () => {
    expect(fieldErrorsFromValidation([])).toEqual([]);
    const many = fieldErrorsFromValidation([
      { instancePath: '', keyword: 'required', params: { missingProperty: 'a' } },
      { instancePath: '', keyword: 'required', params: { missingProperty: 'b' } },
    ]);
    expect(many.map((e) => e.path)).toEqual(['/a', '/b']);
  });
});

describe('toProblem', () => {
  it.each([
    ['NotFound', new NotFound('No such case.'), 404, 'Not found'],
    ['Forbidden', new Forbidden('Not yours.'), 403, 'Forbidden'],
    ['Conflict', new Conflict('Slot taken.'), 409, 'Conflict'],
    ['RuleRefused', new RuleRefused('Consult first.'), 422, 'Refused by the rules'],
  ])('maps %s to %i', (_name, error, status, title) => {
    expect(toProblem(error)).toEqual({ type: 'about:blank', title, status, detail: error.message });
  });

  it('carries field errors of Invalid', () => {
    const problem = toProblem(new Invalid('Bad date', [{ path: '/from', message: 'Enter a date' }]));
    expect(problem).toMatchObject({ status: 400, errors: [{ path: '/from', message: 'Enter a date' }] });
  });

  it('turns a Fastify validation error into a 400 with paths', () => {
    const error = Object.assign(new Error('body/reason must be string'), {
      statusCode: 400,
      validation: [{ instancePath: '/reason', keyword: 'type', message: 'must be string' }],
      validationContext: 'body',
    });
    expect(toProblem(error)).toMatchObject({
      status: 400,
      title: 'Bad request',
      errors: [{ path: '/reason', message: 'must be string' }],
    });
  });

  it('keeps other client errors and hides the internals of server errors', () => {
    const tooMany = Object.assign(new Error('Rate limit exceeded'), { statusCode: 429 });
    expect(toProblem(tooMany)).toMatchObject({ status: 429, title: 'Too Many Requests' });
    const crash = toProblem(new TypeError('Cannot read properties of undefined (reading "secret")'));
    expect(crash.status).toBe(500);
    expect(crash.detail).not.toMatch(/secret|TypeError/);
  });
});
