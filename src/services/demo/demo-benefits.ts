import { eq, inArray } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import type { Tx } from '../../db/database.ts';
import { benefitAims, organisations, systems, users } from '../../db/schema.ts';
import type { AimDirection } from '../../domain/reporting/benefits.rules.ts';
import type { TrackableMeasure } from '../../domain/reporting/report-types.ts';
import type { ServiceContext } from '../shared/context.ts';

/** A demo aim: who set it, for which scope, and its numbers (the baseline is the quarter a year ago). */
type DemoAim = {
  scope: { system: string } | { organisation: string };
  setBy: string;
  name: string;
  measure: TrackableMeasure;
  direction: AimDirection;
  baselineValue: number;
  targetValue: number;
};

/**
 * The aims of the demo world: the Northmoor system's programme (the ICB's analyst set them)
 * and one of the police force's own. Baselines are a little worse than the demo history so
 * the aims show progress, and the targets are a year ahead, so some quarters are on track
 * and some not — as a real programme looks.
 */
const DEMO_AIMS: readonly DemoAim[] = [
  {
    scope: { system: 'northmoor' },
    setBy: 'analyst@northmoor-icb.demo.ohwb.test',
    name: 'Cut the wait for a first appointment to 10 days',
    measure: 'medianDaysToFirstAppointment',
    direction: 'decrease',
    baselineValue: 14,
    targetValue: 10,
  },
  {
    scope: { system: 'northmoor' },
    setBy: 'analyst@northmoor-icb.demo.ohwb.test',
    name: 'Raise self-referral to 40%',
    measure: 'selfReferralPercent',
    direction: 'increase',
    baselineValue: 24,
    targetValue: 40,
  },
  {
    scope: { system: 'northmoor' },
    setBy: 'wellbeing-lead@northmoor-icb.demo.ohwb.test',
    name: 'Release 9 in 10 reports within 21 days',
    measure: 'reportsWithin21DaysPercent',
    direction: 'increase',
    baselineValue: 72,
    targetValue: 90,
  },
  {
    scope: { organisation: 'northmoor-police' },
    setBy: 'wellbeing-lead@northmoor-police.demo.ohwb.test',
    name: 'Halve missed appointments',
    measure: 'didNotAttendPercent',
    direction: 'decrease',
    baselineValue: 12,
    targetValue: 6,
  },
];

/**
 * Seeds the demo world's benefits-realisation aims, in the seeding transaction, once the
 * systems, organisations and demo users exist. Baselines are the calendar quarter that
 * started a year before the current one; targets fall at the end of the quarter a year on.
 */
export async function seedDemoBenefits(tx: Tx, ctx: ServiceContext, today: string): Promise<void> {
  const date = Temporal.PlainDate.from(today);
  const quarterStart = Temporal.PlainDate.from({
    year: date.year,
    month: date.month - ((date.month - 1) % 3),
    day: 1,
  });
  const baselineFrom = quarterStart.subtract({ years: 1 });
  const baselineTo = baselineFrom.add({ months: 3 }).subtract({ days: 1 });
  const targetDate = quarterStart.add({ years: 1 }).subtract({ days: 1 });

  const systemRows = await tx.select({ id: systems.id, slug: systems.slug }).from(systems);
  const organisationRows = await tx
    .select({ id: organisations.id, slug: organisations.slug, systemId: organisations.systemId })
    .from(organisations)
    .where(
      inArray(
        organisations.slug,
        DEMO_AIMS.flatMap((a) => ('organisation' in a.scope ? [a.scope.organisation] : [])),
      ),
    );
  const rows: Array<typeof benefitAims.$inferInsert> = [];
  for (const [index, aim] of DEMO_AIMS.entries()) {
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.email, aim.setBy));
    const organisation =
      'organisation' in aim.scope
        ? organisationRows.find((o) => 'organisation' in aim.scope && o.slug === aim.scope.organisation)
        : undefined;
    const systemId =
      'system' in aim.scope
        ? systemRows.find((s) => 'system' in aim.scope && s.slug === aim.scope.system)?.id
        : organisation?.systemId;
    if (!user || !systemId) throw new Error(`The demo world has no user or scope for the aim "${aim.name}".`);
    rows.push({
      id: ctx.newId(),
      systemId,
      organisationId: organisation?.id ?? null,
      createdByUserId: user.id,
      name: aim.name,
      measure: aim.measure,
      direction: aim.direction,
      baselineValue: aim.baselineValue,
      baselineFrom: baselineFrom.toString(),
      baselineTo: baselineTo.toString(),
      targetValue: aim.targetValue,
      targetDate: targetDate.toString(),
      // Set a year ago, a minute apart, so they list in this order.
      createdAt: new Date(ctx.now().getTime() - 365 * 86_400_000 + index * 60_000),
    });
  }
  await tx.insert(benefitAims).values(rows);
}
