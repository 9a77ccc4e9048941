import fastifyMultipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isSystemAdministrator } from '../../domain/access/organisation.policy.ts';
import { type FieldError, Forbidden } from '../../domain/shared/errors.ts';
import {
  ETHNIC_CATEGORIES,
  NHS_STAFF_GROUPS,
  POLICE_STAFF_GROUPS,
} from '../../domain/workforce/categories.ts';
import { ORGANISATION_KIND_LABELS, ORGANISATION_KINDS } from '../../domain/workforce/organisation.rules.ts';
import { STAFF_CSV_COLUMNS } from '../../domain/workforce/staff-record.rules.ts';
import {
  createOrganisation,
  listAdministeredSystems,
} from '../../services/organisations/organisations.service.ts';
import {
  importStaff,
  listImportableOrganisations,
  type StaffImportResult,
} from '../../services/workforce/staff-import.service.ts';
import { type FormBody, field, formErrorsFrom } from '../shared/forms.ts';
import { redirectWithMessage, render } from '../shared/render.ts';
import { pageActor } from '../shared/session.ts';
import type { WebDeps } from '../web.plugin.ts';

/** Rejected rows shown in the result table; the rest are counted (the API lists up to 10,000). */
const REJECTED_SHOWN = 1_000;

/** The largest staff file the page accepts. It streams, so the limit guards the disk and the wire, not memory. */
const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;

/** The file part of an upload, taken off the request before the CSRF check (which needs the fields before it). */
const uploads = new WeakMap<FastifyRequest, MultipartFile>();

/**
 * Reads an upload's fields up to its file and leaves the file unread, so the CSRF check
 * can see `_csrf` in `request.body` and the file can stream into the import. The form
 * puts its fields before the file for this reason: multipart parts arrive in order.
 */
async function readFieldsBeforeFile(request: FastifyRequest): Promise<void> {
  // A form posted without a file (not multipart) was parsed already: the handler says what is missing.
  if (!request.isMultipart()) return;
  const fields: FormBody = {};
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      uploads.set(request, part);
      break;
    }
    fields[part.fieldname] = String(part.value);
  }
  request.body = fields;
}

/** Sends the rest of an unread upload to nothing, so a refused request can still be answered. */
function discardUpload(request: FastifyRequest): void {
  const file = uploads.get(request);
  if (file && !file.file.readableEnded) file.file.resume();
}

/** Rows of the "what each column holds" table, from the same lists the import checks against. */
function columnRows() {
  return [
    {
      column: 'employee_number',
      required: true,
      holds: 'The person’s number in your HR system. One row per number.',
    },
    { column: 'first_name', required: true, holds: 'Given name.' },
    { column: 'last_name', required: true, holds: 'Family name.' },
    {
      column: 'date_of_birth',
      required: false,
      holds: 'YYYY-MM-DD. Not in the future; 16 or over at the start date.',
    },
    { column: 'email', required: false, holds: 'Work email address.' },
    { column: 'staff_group', required: true, holds: 'One of the staff groups below (any capitals).' },
    { column: 'job_title', required: true, holds: 'Job title.' },
    {
      column: 'manager_employee_number',
      required: false,
      holds: 'The manager’s employee number, in this file or already held. They may come later in the file.',
    },
    { column: 'ethnic_category', required: false, holds: 'An NHS ethnic category code from the list below.' },
    { column: 'sex', required: false, holds: 'female, male or other.' },
    { column: 'disability', required: false, holds: 'yes or no.' },
    { column: 'start_date', required: false, holds: 'YYYY-MM-DD.' },
    { column: 'end_date', required: false, holds: 'YYYY-MM-DD, for a leaver. On or after the start date.' },
  ];
}

/**
 * Workforce administration: the organisations of a sysadmin's systems (and adding one),
 * and the staff import for sysadmins and OH administrators, which streams an uploaded CSV
 * into the same service as the API.
 */
export const workforcePages: FastifyPluginAsync<WebDeps> = async (app, { ctx }) => {
  // Only in this plugin: the upload form is the one multipart form of the service.
  await app.register(fastifyMultipart, {
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 1024, parts: 12 },
  });
  const csrf = { preHandler: app.csrfProtection };

  const renderOrganisations = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string>,
    errors?: FieldError[],
  ) => {
    const actor = pageActor(request);
    if (!isSystemAdministrator(actor)) {
      throw new Forbidden('Only a system administrator can manage organisations.');
    }
    const systems = await listAdministeredSystems(ctx, actor);
    return render(
      request,
      reply,
      'pages/admin-organisations.njk',
      {
        title: 'Organisations',
        width: 'full',
        systems: systems.map((s) => ({
          ...s,
          organisations: s.organisations.map((o) => ({
            ...o,
            kindLabel: ORGANISATION_KIND_LABELS[o.kind as keyof typeof ORGANISATION_KIND_LABELS] ?? o.kind,
          })),
        })),
        kinds: ORGANISATION_KINDS.map((k) => ({ value: k, text: ORGANISATION_KIND_LABELS[k] })),
        values: { system: systems.length === 1 ? (systems[0]?.slug ?? '') : '', ...values },
        ...(errors ? { errors } : {}),
      },
      errors ? 400 : 200,
    );
  };

  app.get('/admin/organisations', async (request, reply) => renderOrganisations(request, reply, {}));

  app.post('/admin/organisations', csrf, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody;
    const values = {
      name: field(body, 'name'),
      slug: field(body, 'slug'),
      kind: field(body, 'kind'),
      system: field(body, 'system'),
    };
    try {
      const created = await createOrganisation(ctx, pageActor(request), values);
      return redirectWithMessage(
        reply,
        '/admin/organisations',
        `${created.name} added. You can now import its staff.`,
      );
    } catch (error) {
      return renderOrganisations(
        request,
        reply,
        values,
        formErrorsFrom(error, 'slug', { '/system': 'system' }),
      );
    }
  });

  const renderImport = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: {
      values?: Record<string, string>;
      errors?: FieldError[];
      result?: StaffImportResult;
      truncated?: boolean;
    } = {},
  ) => {
    const choices = await listImportableOrganisations(ctx, pageActor(request));
    if (choices.length === 0) {
      throw new Forbidden('Only a system administrator or an OH administrator can import staff.');
    }
    const chosen = state.values?.organisation ?? '';
    return render(
      request,
      reply,
      'pages/staff-import.njk',
      {
        title: state.result ? 'Staff import: result' : 'Import staff',
        width: 'full',
        choices: choices.map((c) => ({ value: c.slug, text: c.name, selected: c.slug === chosen })),
        chosenName: choices.find((c) => c.slug === chosen)?.name ?? chosen,
        result: state.result
          ? { ...state.result, rejectedShown: state.result.rejected.slice(0, REJECTED_SHOWN) }
          : null,
        truncated: state.truncated ?? false,
        csvHeader: STAFF_CSV_COLUMNS.join(','),
        values: state.values ?? {},
        ...(state.errors ? { errors: state.errors } : {}),
      },
      state.errors ? 400 : 200,
    );
  };

  app.get('/admin/staff-import', async (request, reply) => renderImport(request, reply));

  app.get('/admin/staff-import/columns', async (request, reply) =>
    render(request, reply, 'pages/staff-import-columns.njk', {
      title: 'Staff file columns',
      width: 'full',
      backHref: '/admin/staff-import',
      csvHeader: STAFF_CSV_COLUMNS.join(','),
      columns: columnRows(),
      // Letters in order, then 99 (object keys would put the number first).
      ethnicCodes: Object.entries(ETHNIC_CATEGORIES)
        .map(([code, { label }]) => ({ code, label }))
        .sort(
          (a, b) => Number(/^\d/.test(a.code)) - Number(/^\d/.test(b.code)) || a.code.localeCompare(b.code),
        ),
      nhsGroups: NHS_STAFF_GROUPS,
      policeGroups: POLICE_STAFF_GROUPS,
    }),
  );

  app.post(
    '/admin/staff-import',
    {
      preValidation: async (request) => readFieldsBeforeFile(request),
      preHandler: app.csrfProtection,
      // A refused upload (an expired form, say) is answered before the file is read: drain it.
      onSend: async (request, _reply, payload) => {
        discardUpload(request);
        return payload;
      },
    },
    async (request, reply) => {
      const values = { organisation: field((request.body ?? {}) as FormBody, 'organisation') };
      const upload = uploads.get(request);
      const errors: FieldError[] = [];
      if (values.organisation === '')
        errors.push({ path: '/organisation', message: 'Choose an organisation' });
      if (!upload || upload.filename === '')
        errors.push({ path: '/file', message: 'Choose a CSV file to upload' });
      if (errors.length > 0 || !upload) return renderImport(request, reply, { values, errors });
      try {
        const result = await importStaff(ctx, pageActor(request), {
          organisation: values.organisation,
          csv: upload.file,
        });
        // Past the size limit the upload ends early: say so rather than pass it off as the whole file.
        return renderImport(request, reply, { values, result, truncated: upload.file.truncated });
      } catch (error) {
        // A refusal of the whole file (its header) is about the file field.
        const errors = formErrorsFrom(error, 'file').map((e) =>
          e.path === '/' ? { ...e, path: '/file' } : e,
        );
        return renderImport(request, reply, { values, errors });
      }
    },
  );
};
