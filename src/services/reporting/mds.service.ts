import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { MDS_EPISODES_SQL } from '../../db/queries/reporting.query.ts';
import type { Actor } from '../../domain/access/roles.ts';
import {
  type EpisodeFacts,
  FIRST_APPOINTMENT_STATUSES,
  instrumentEnds,
  MDS_COLUMNS,
  type MeasureEndsColumns,
  mdsRow,
} from '../../domain/reporting/dataset.rules.ts';
import type { Period } from '../../domain/reporting/period.ts';
import type { ReportScope } from '../../domain/reporting/report-types.ts';
import { Invalid } from '../../domain/shared/errors.ts';
import { auditRead } from '../audit/audit.service.ts';
import { inTransaction, type ServiceContext } from '../shared/context.ts';
import { type PeriodBounds, periodBounds } from './period.ts';
import { type ResolvedScope, reportReach, resolveReportScope, uuidArray } from './scope.service.ts';

/** Episodes fetched per round trip while streaming the extract. */
const PAGE_SIZE = 2000;

type EpisodeRow = {
  id: string;
  person_id: string;
  organisation_slug: string;
  organisation_kind: string;
  provider_slug: string;
  provider_model: string;
  service: string;
  staff_group: string;
  age: number | null;
  sex: string | null;
  ethnic_category: string | null;
  disability: string | null;
  source: string;
  pathway: string | null;
  priority: string | null;
  referral_date: string;
  first_appointment_date: string | null;
  attended: number;
  missed: number;
  modes: string | null;
  fitness: string | null;
  adjustments: boolean | null;
  report_released_date: string | null;
  consultation_date: string | null;
  closure_date: string | null;
  closure_outcome: string | null;
} & MeasureEndsColumns;

function factsOf(row: EpisodeRow): EpisodeFacts {
  return {
    personId: row.person_id,
    organisationSlug: row.organisation_slug,
    organisationKind: row.organisation_kind,
    providerSlug: row.provider_slug,
    providerModel: row.provider_model,
    service: row.service,
    staffGroup: row.staff_group,
    ageAtReferral: row.age === null ? null : Number(row.age),
    sex: row.sex,
    ethnicCategory: row.ethnic_category,
    disability: row.disability,
    source: row.source,
    pathway: row.pathway,
    priority: row.priority,
    referralDate: row.referral_date,
    firstAppointmentDate: row.first_appointment_date,
    attended: Number(row.attended),
    didNotAttend: Number(row.missed),
    consultationModes: row.modes,
    fitness: row.fitness,
    adjustmentsRecommended: row.adjustments,
    reportReleasedDate: row.report_released_date,
    consultationDateBeforeReport: row.consultation_date,
    closureDate: row.closure_date,
    closureOutcome: row.closure_outcome,
    ...instrumentEnds(row),
  };
}

/**
 * The episodes of a scope as dataset rows, a page at a time (keyset paging on the
 * referral id, so a large extract never sits in memory and works on both engines).
 * The rows are read while the CSV streams, after mdsCsv has returned, so each page is
 * read in a short transaction of its own under the report's scope: no transaction (nor
 * connection) is held open while a slow client downloads.
 */
async function* episodeRows(
  ctx: ServiceContext,
  scope: ResolvedScope,
  period: PeriodBounds,
): AsyncGenerator<string[]> {
  let after = '00000000-0000-0000-0000-000000000000';
  const statuses = `{${FIRST_APPOINTMENT_STATUSES.join(',')}}`;
  const reach = reportReach(scope);
  for (;;) {
    const from = after;
    const rows = await inTransaction(ctx, reach, (tx) =>
      ctx.preparedIn(tx)<EpisodeRow>('ohwb_mds_episodes', MDS_EPISODES_SQL, [
        uuidArray(scope.organisationIds),
        period.start,
        period.end,
        from,
        PAGE_SIZE,
        statuses,
      ]),
    );
    for (const row of rows) {
      // Stable within the scope, different in every other scope: extracts of one scope can be
      // linked over time, extracts of two scopes cannot be linked with each other.
      yield mdsRow(ctx.cipher.pseudonym(`mds:${scope.slug}`, row.person_id), factsOf(row));
    }
    if (rows.length < PAGE_SIZE) return;
    after = (rows.at(-1) as EpisodeRow).id;
  }
}

/**
 * The minimum dataset extract of a scope for a period, as CSV: one row per episode
 * (a referral received in the period, with its case), pseudonymised — no names, no dates of
 * birth, no free text. Analysts only, for an organisation or system they reach; the country
 * as a whole is not extracted row by row. The extract is audited.
 */
export async function mdsCsv(
  ctx: ServiceContext,
  actor: Actor,
  input: { scope: string; from?: string; to?: string },
): Promise<{ scope: ReportScope; period: Period; filename: string; stream: Readable }> {
  const period = periodBounds(ctx, input);
  const scope = await resolveReportScope(ctx, actor, 'mds', input.scope);
  if (scope.id === null) {
    throw new Invalid('The dataset is extracted for an organisation or a system.', [
      { path: '/scope', message: 'Choose an organisation or a system.' },
    ]);
  }
  await auditRead(ctx, actor, {
    action: 'mds.extract',
    recordType: scope.kind,
    recordId: scope.id,
    organisationId: scope.kind === 'organisation' ? scope.id : null,
    role: 'analyst',
    reason: `minimum dataset ${period.from} to ${period.to}`,
  });
  const csv = stringify({ header: true, columns: [...MDS_COLUMNS] });
  // pipeline, not pipe: a database error part-way destroys the CSV stream (the download
  // fails visibly) instead of ending it early as if the extract were complete.
  const stream = pipeline(Readable.from(episodeRows(ctx, scope, period)), csv, () => {});
  const { id: _id, organisationIds: _ids, ...shown } = scope;
  return {
    scope: shown,
    period: { from: period.from, to: period.to },
    filename: `ohwb-mds-${scope.slug}-${period.from}-to-${period.to}.csv`,
    stream,
  };
}
