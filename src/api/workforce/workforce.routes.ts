import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { STAFF_CSV_COLUMNS } from '../../domain/workforce/staff-record.rules.ts';
import { importStaff } from '../../services/workforce/staff-import.service.ts';
import type { ApiDeps } from '../api.plugin.ts';
import { actorOf } from '../shared/auth.hook.ts';
import { errorResponses, Strict } from '../shared/schemas.ts';

/**
 * A CSV body, still unread. The stream sits in a private field, so the API's hooks that
 * walk or hash a request body (the NUL check, Idempotency-Key) see an empty object and
 * never touch the stream: it is read once, by the import.
 */
export class CsvUpload {
  readonly #stream: Readable;
  constructor(stream: Readable) {
    this.#stream = stream;
  }
  get stream(): Readable {
    return this.#stream;
  }
}

const Note = Type.Object({ line: Type.Integer(), message: Type.String() });

/** "Unsupported Media Type": the import reads CSV only. */
function notCsv(): Error {
  return Object.assign(new Error('Send the staff file as CSV, with content-type: text/csv.'), {
    statusCode: 415,
  });
}

/** `POST /api/v1/imports/staff`: the workforce feed, streamed from the request into the database. */
export const workforceRoutes: FastifyPluginAsyncTypebox<ApiDeps> = async (app, { ctx }) => {
  // Only inside this plugin: hands the request stream on unread. A parser that takes the
  // raw stream is not held to the server's 1 MB bodyLimit (that applies to buffered
  // bodies), so a staff file of any size streams through without being held in memory.
  app.addContentTypeParser('text/csv', (_request, payload, done) => done(null, new CsvUpload(payload)));

  app.post(
    '/imports/staff',
    {
      schema: {
        tags: ['workforce'],
        summary:
          'Import an organisation’s staff from a CSV file (sysadmin, or OH admin of a provider serving it)',
        description: `One row per person, keyed by employee number. Header: ${STAFF_CSV_COLUMNS.join(',')}. A bad row is reported with its line (1 = header) and skipped; good rows land. Re-importing the same file changes nothing. See docs/workforce-import.md.`,
        querystring: Strict({ organisation: Type.String({ minLength: 1, maxLength: 100 }) }),
        body: {
          content: {
            // No type: the body reaches validation as an unread stream (CsvUpload), not a string.
            'text/csv': { schema: Type.Unsafe<unknown>({ description: 'The staff file, UTF-8 CSV' }) },
          },
        },
        response: {
          200: Type.Object({
            created: Type.Integer(),
            updated: Type.Integer(),
            left: Type.Integer({ description: 'people whose end date this import set' }),
            unchanged: Type.Integer(),
            rejected: Type.Array(Note, { description: 'bad rows, skipped (at most 10,000 listed)' }),
            rejectedCount: Type.Integer(),
            warnings: Type.Array(Note, { description: 'rows saved without their manager' }),
          }),
          ...errorResponses(400, 401, 403, 404, 415),
        },
      },
    },
    async (request, reply) => {
      const body: unknown = request.body;
      if (!(body instanceof CsvUpload)) throw notCsv();
      try {
        return await importStaff(ctx, actorOf(request), {
          organisation: request.query.organisation,
          csv: body.stream,
        });
      } catch (error) {
        // Refused before the whole file arrived (a bad header, 403, 404): close the connection
        // after the reply, as Fastify does for a body it cannot parse. A client still sending
        // the rest may stop, and the connection would otherwise wait for bytes that never come.
        if (!body.stream.readableEnded) reply.header('connection', 'close');
        throw error;
      }
    },
  );
};
