import { type TSchema, type TUnsafe, Type } from '@sinclair/typebox';

/** A UUID path parameter. Malformed ids are a 404, as unknown ones are, so the pattern is loose. */
export const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });

/** Free text a person types: trimmed by the service, bounded here. */
export const Text = (maxLength: number, options: { minLength?: number; description?: string } = {}) =>
  Type.String({ minLength: options.minLength ?? 1, maxLength, description: options.description });

/** An RFC 3339 date-time. */
export const DateTime = (description?: string) => Type.String({ format: 'date-time', description });

/** A calendar date YYYY-MM-DD. */
export const CalendarDate = (description?: string) => Type.String({ format: 'date', description });

/** Object schemas refuse unknown fields, so a typo is an error, not a silent no-op. */
export const Strict = <T extends Record<string, TSchema>>(properties: T, description?: string) =>
  Type.Object(properties, { additionalProperties: false, description });

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);

/** Standard error responses for the OpenAPI document. */
export const errorResponses = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [c, Type.Ref('Problem')]));

/** One of a fixed list of strings, as a JSON Schema `enum` (one clear error message, not one per value). */
export const StringEnum = <T extends readonly string[]>(
  values: T,
  description?: string,
): TUnsafe<T[number]> => Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description });
