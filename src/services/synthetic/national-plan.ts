import {
  AMBULANCE_STAFF,
  CLINIC_DAYS_A_YEAR,
  CLINIC_HOURS,
  CLINIC_UTILISATION,
  DECLINED_SHARE,
  ICB_STAFF_BASE,
  ICB_STAFF_PER_MILLION,
  NATIONAL_STAFF,
  PATHWAY_MIX,
  PHYSICIAN_EVERY,
  PRIMARY_CARE_SHARE,
  REFERRAL_RATE,
  SYSTEMS,
  type SystemSpec,
  type WorkforceProfile,
} from './national-data.ts';

/** An organisation to create, with its workforce. `index` keys its rows' pseudo-random draws. */
export type OrganisationPlan = {
  index: number;
  id: string;
  slug: string;
  name: string;
  kind: 'police-force' | 'nhs-trust' | 'primary-care' | 'icb' | 'other';
  profile: WorkforceProfile | null;
  staff: number;
};

/** An OH provider, hosted by one organisation, serving several, with its OH staff accounts. */
export type ProviderPlan = {
  id: string;
  slug: string;
  name: string;
  kind: 'in-house' | 'shared-service';
  host: OrganisationPlan;
  clients: Array<{ organisation: OrganisationPlan; deliveryModel: 'in-house' | 'outsourced' }>;
  /** The OH clinic where face-to-face appointments take place. */
  clinicSiteId: string;
  clinicians: number;
};

export type SystemPlan = {
  number: number;
  id: string;
  slug: string;
  name: string;
  spec: SystemSpec;
  organisations: OrganisationPlan[];
  providers: ProviderPlan[];
  icb: OrganisationPlan;
};

export type NationalPlan = {
  systems: SystemPlan[];
  national: { systemId: string; systemSlug: string; organisation: OrganisationPlan };
};

/**
 * The systems, organisations and OH providers of the synthetic country at a scale
 * (1 = 2,000,000 staff). Police forces keep their relative sizes; NHS trusts, primary
 * care and ICBs share the rest by system population. Every organisation has at least
 * one member of staff, so even a tiny scale has the full structure.
 */
export function planNationalWorld(input: {
  scale: number;
  prefix: string;
  newId: () => string;
}): NationalPlan {
  const { scale, prefix, newId } = input;
  const population = SYSTEMS.reduce((sum, s) => sum + s.population, 0);
  const police = SYSTEMS.reduce((sum, s) => sum + s.forces.reduce((f, force) => f + force.staff, 0), 0);
  const icbStaff = (s: SystemSpec) => ICB_STAFF_BASE + s.population * ICB_STAFF_PER_MILLION;
  const icbs = SYSTEMS.reduce((sum, s) => sum + icbStaff(s), 0);
  const ambulances = SYSTEMS.filter((s) => s.ambulance).length * AMBULANCE_STAFF;
  const primaryCare = NATIONAL_STAFF * PRIMARY_CARE_SHARE;
  const trusts = NATIONAL_STAFF - police - icbs - ambulances - primaryCare;
  const size = (n: number) => Math.max(1, Math.round(n * scale));

  let index = 0;
  const organisation = (
    plan: Omit<OrganisationPlan, 'index' | 'id' | 'staff' | 'slug'> & { slug: string; staff: number },
  ): OrganisationPlan => ({
    ...plan,
    index: ++index,
    id: newId(),
    slug: `${prefix}${plan.slug}`,
    staff: plan.profile ? size(plan.staff) : 0,
  });

  const systems = SYSTEMS.map((spec, i): SystemPlan => {
    const number = i + 1;
    const slug = `sys-${String(number).padStart(2, '0')}-${spec.code}`;
    const share = spec.population / population;
    const trustStaff = trusts * share;
    const organisations: OrganisationPlan[] = [];
    const acuteCount = spec.population >= 1.5 ? 2 : 1;
    const acutes: OrganisationPlan[] = [];
    for (let a = 1; a <= acuteCount; a++) {
      const acute = organisation({
        slug: `${slug}-acute-${a}`,
        name:
          acuteCount === 1
            ? `${spec.name} Hospitals NHS Foundation Trust`
            : `${a === 1 ? 'University Hospitals of' : 'Community Hospitals of'} ${spec.name} NHS Trust`,
        kind: 'nhs-trust',
        profile: 'acute',
        staff: (trustStaff * 0.7) / acuteCount,
      });
      acutes.push(acute);
      organisations.push(acute);
    }
    organisations.push(
      organisation({
        slug: `${slug}-community-mental-health`,
        name: `${spec.name} Community and Mental Health NHS Trust`,
        kind: 'nhs-trust',
        profile: 'community-mental-health',
        staff: trustStaff * 0.3,
      }),
    );
    if (spec.ambulance) {
      organisations.push(
        organisation({
          slug: `${slug}-ambulance`,
          name: `${spec.ambulance} NHS Trust`,
          kind: 'nhs-trust',
          profile: 'ambulance',
          staff: AMBULANCE_STAFF,
        }),
      );
    }
    for (let p = 1; p <= 3; p++) {
      organisations.push(
        organisation({
          slug: `${slug}-primary-care-${p}`,
          name: `${spec.name} GP Federation ${['North', 'Central', 'South'][p - 1]}`,
          kind: 'primary-care',
          profile: 'primary-care',
          staff: (primaryCare * share) / 3,
        }),
      );
    }
    const icb = organisation({
      slug: `${slug}-icb`,
      name: `NHS ${spec.name} Integrated Care Board`,
      kind: 'icb',
      profile: 'icb',
      staff: icbStaff(spec),
    });
    organisations.push(icb);
    const forces = spec.forces.map((force) =>
      organisation({
        slug: `${slug}-${force.slug}`,
        name: force.name,
        kind: 'police-force',
        profile: 'police',
        staff: force.staff,
      }),
    );
    organisations.push(...forces);

    const clinicians = (clients: OrganisationPlan[]) =>
      Math.max(1, Math.ceil(clients.reduce((sum, o) => sum + appointmentsAYear(o), 0) / SLOTS_FILLED_A_YEAR));
    const host = acutes[0] as OrganisationPlan;
    const nhsClients = organisations.filter((o) => o.kind !== 'police-force');
    const providers: ProviderPlan[] = [
      {
        id: newId(),
        slug: `${prefix}${slug}-oh-shared-service`,
        name: `${spec.name} Occupational Health Shared Service`,
        kind: 'shared-service',
        host,
        clients: nhsClients.map((o) => ({
          organisation: o,
          deliveryModel: o === host ? 'in-house' : 'outsourced',
        })),
        clinicSiteId: newId(),
        clinicians: clinicians(nhsClients),
      },
      ...forces.map(
        (force): ProviderPlan => ({
          id: newId(),
          slug: `${force.slug}-oh`,
          name: `${force.name} Occupational Health Unit`,
          kind: 'in-house',
          host: force,
          clients: [{ organisation: force, deliveryModel: 'in-house' }],
          clinicSiteId: newId(),
          clinicians: clinicians([force]),
        }),
      ),
    ];
    return {
      number,
      id: newId(),
      slug: `${prefix}${slug}`,
      name: spec.name,
      spec,
      organisations,
      providers,
      icb,
    };
  });

  const nationalSlug = `${prefix}national`;
  return {
    systems,
    national: {
      systemId: newId(),
      systemSlug: nationalSlug,
      organisation: organisation({
        slug: 'national-workforce-analysis',
        name: 'National Workforce Health Analysis',
        kind: 'other',
        profile: null,
        staff: 0,
      }),
    },
  };
}

const MEAN_APPOINTMENTS =
  PATHWAY_MIX.reduce((sum, p) => sum + (p.weight * (p.appointments[0] + p.appointments[1])) / 2, 0) /
  PATHWAY_MIX.reduce((sum, p) => sum + p.weight, 0);
const SLOTS_FILLED_A_YEAR = CLINIC_HOURS.length * CLINIC_DAYS_A_YEAR * CLINIC_UTILISATION;

/** The appointments an organisation's staff are expected to need in a year. */
function appointmentsAYear(organisation: OrganisationPlan): number {
  if (!organisation.profile) return 0;
  return organisation.staff * REFERRAL_RATE[organisation.profile] * (1 - DECLINED_SHARE) * MEAN_APPOINTMENTS;
}

/** The role of the n-th clinician (1-based) of a provider: one in PHYSICIAN_EVERY is a physician. */
export function clinicianRole(n: number): 'oh-clinician' | 'oh-physician' {
  return n % PHYSICIAN_EVERY === 0 ? 'oh-physician' : 'oh-clinician';
}
