import { ETHNIC_CATEGORIES } from '../demo/demo-data.ts';
/**
 * The shape of the synthetic national workforce made by `ohwb generate`: 42 systems on
 * the footprints of England's integrated care systems, the 43 police forces of England
 * and Wales spread over them, and the distributions people and activity are drawn from.
 *
 * Everything here is data. Sizes are rough public orders of magnitude (ICS populations,
 * force headcounts, NHS ESR staff-group shares), not statistics: the people, their
 * characteristics and their occupational health records are made up.
 */

/** Staff at scale 1 (the "2,000,000 staff"). */
export const NATIONAL_STAFF = 2_000_000;

/** Shares of the national staff count by kind of employer (police forces are sized by FORCE headcounts). */
export const PRIMARY_CARE_SHARE = 0.07;
export const ICB_STAFF_BASE = 250;
export const ICB_STAFF_PER_MILLION = 180;
/** An ambulance trust's staff at scale 1 (the ten English ambulance trusts employ 4,000–8,000 each). */
export const AMBULANCE_STAFF = 5_500;

/** One police force: its name, a short slug and its whole workforce (officers, staff, PCSOs, specials). */
export type ForceSpec = { slug: string; name: string; staff: number };

/**
 * One system. `population` (millions) sizes its NHS and primary care workforce;
 * `diversity` scales the weight of every ethnic category other than White British
 * (London systems employ a far more diverse workforce than rural ones);
 * `ambulance` names the ambulance trust it hosts, if any.
 */
export type SystemSpec = {
  code: string;
  name: string;
  population: number;
  diversity: number;
  forces: ForceSpec[];
  ambulance?: string;
};

/** The 42 systems, on the footprints of England's integrated care systems, with the forces they host. */
export const SYSTEMS: SystemSpec[] = [
  {
    code: 'bsw',
    name: 'Bath and North East Somerset, Swindon and Wiltshire',
    population: 0.95,
    diversity: 0.6,
    forces: [{ slug: 'wiltshire-police', name: 'Wiltshire Police', staff: 2_100 }],
  },
  {
    code: 'blmk',
    name: 'Bedfordshire, Luton and Milton Keynes',
    population: 1.0,
    diversity: 1.6,
    forces: [{ slug: 'bedfordshire-police', name: 'Bedfordshire Police', staff: 2_400 }],
  },
  {
    code: 'birmingham-solihull',
    name: 'Birmingham and Solihull',
    population: 1.3,
    diversity: 2.2,
    forces: [{ slug: 'west-midlands-police', name: 'West Midlands Police', staff: 12_500 }],
  },
  {
    code: 'black-country',
    name: 'Black Country',
    population: 1.3,
    diversity: 1.6,
    forces: [],
    ambulance: 'West Midlands Ambulance Service',
  },
  {
    code: 'bnssg',
    name: 'Bristol, North Somerset and South Gloucestershire',
    population: 1.0,
    diversity: 1.0,
    forces: [
      { slug: 'avon-and-somerset-police', name: 'Avon and Somerset Police', staff: 5_800 },
      { slug: 'south-wales-police', name: 'South Wales Police', staff: 5_400 },
    ],
  },
  {
    code: 'bob',
    name: 'Buckinghamshire, Oxfordshire and Berkshire West',
    population: 1.8,
    diversity: 1.1,
    forces: [{ slug: 'thames-valley-police', name: 'Thames Valley Police', staff: 8_300 }],
    ambulance: 'South Central Ambulance Service',
  },
  {
    code: 'cambridgeshire-peterborough',
    name: 'Cambridgeshire and Peterborough',
    population: 0.9,
    diversity: 1.0,
    forces: [{ slug: 'cambridgeshire-police', name: 'Cambridgeshire Constabulary', staff: 2_900 }],
    ambulance: 'East of England Ambulance Service',
  },
  {
    code: 'cheshire-merseyside',
    name: 'Cheshire and Merseyside',
    population: 2.7,
    diversity: 0.6,
    forces: [
      { slug: 'cheshire-police', name: 'Cheshire Constabulary', staff: 3_900 },
      { slug: 'merseyside-police', name: 'Merseyside Police', staff: 6_600 },
    ],
  },
  {
    code: 'cornwall',
    name: 'Cornwall and the Isles of Scilly',
    population: 0.57,
    diversity: 0.3,
    forces: [],
  },
  {
    code: 'coventry-warwickshire',
    name: 'Coventry and Warwickshire',
    population: 1.0,
    diversity: 1.2,
    forces: [{ slug: 'warwickshire-police', name: 'Warwickshire Police', staff: 1_800 }],
  },
  {
    code: 'derby-derbyshire',
    name: 'Derby and Derbyshire',
    population: 1.05,
    diversity: 0.7,
    forces: [{ slug: 'derbyshire-police', name: 'Derbyshire Constabulary', staff: 3_500 }],
  },
  {
    code: 'devon',
    name: 'Devon',
    population: 1.2,
    diversity: 0.4,
    forces: [{ slug: 'devon-and-cornwall-police', name: 'Devon and Cornwall Police', staff: 5_600 }],
    ambulance: 'South Western Ambulance Service',
  },
  {
    code: 'dorset',
    name: 'Dorset',
    population: 0.8,
    diversity: 0.5,
    forces: [{ slug: 'dorset-police', name: 'Dorset Police', staff: 2_400 }],
  },
  { code: 'frimley', name: 'Frimley', population: 0.8, diversity: 1.3, forces: [] },
  {
    code: 'gloucestershire',
    name: 'Gloucestershire',
    population: 0.65,
    diversity: 0.6,
    forces: [
      { slug: 'gloucestershire-police', name: 'Gloucestershire Constabulary', staff: 1_900 },
      { slug: 'gwent-police', name: 'Gwent Police', staff: 2_400 },
    ],
  },
  {
    code: 'greater-manchester',
    name: 'Greater Manchester',
    population: 2.9,
    diversity: 1.4,
    forces: [{ slug: 'greater-manchester-police', name: 'Greater Manchester Police', staff: 12_300 }],
    ambulance: 'North West Ambulance Service',
  },
  {
    code: 'hampshire-iow',
    name: 'Hampshire and Isle of Wight',
    population: 1.9,
    diversity: 0.7,
    forces: [{ slug: 'hampshire-police', name: 'Hampshire and Isle of Wight Constabulary', staff: 6_100 }],
  },
  {
    code: 'herefordshire-worcestershire',
    name: 'Herefordshire and Worcestershire',
    population: 0.8,
    diversity: 0.5,
    forces: [{ slug: 'west-mercia-police', name: 'West Mercia Police', staff: 4_200 }],
  },
  {
    code: 'herts-west-essex',
    name: 'Hertfordshire and West Essex',
    population: 1.6,
    diversity: 1.1,
    forces: [{ slug: 'hertfordshire-police', name: 'Hertfordshire Constabulary', staff: 3_900 }],
  },
  {
    code: 'humber-north-yorkshire',
    name: 'Humber and North Yorkshire',
    population: 1.7,
    diversity: 0.5,
    forces: [
      { slug: 'humberside-police', name: 'Humberside Police', staff: 3_700 },
      { slug: 'north-yorkshire-police', name: 'North Yorkshire Police', staff: 2_900 },
    ],
  },
  {
    code: 'kent-medway',
    name: 'Kent and Medway',
    population: 1.9,
    diversity: 0.9,
    forces: [{ slug: 'kent-police', name: 'Kent Police', staff: 6_700 }],
  },
  {
    code: 'lancashire-south-cumbria',
    name: 'Lancashire and South Cumbria',
    population: 1.8,
    diversity: 0.9,
    forces: [
      { slug: 'lancashire-police', name: 'Lancashire Constabulary', staff: 5_600 },
      { slug: 'cumbria-police', name: 'Cumbria Constabulary', staff: 2_000 },
    ],
  },
  {
    code: 'llr',
    name: 'Leicester, Leicestershire and Rutland',
    population: 1.1,
    diversity: 1.9,
    forces: [{ slug: 'leicestershire-police', name: 'Leicestershire Police', staff: 3_500 }],
  },
  {
    code: 'lincolnshire',
    name: 'Lincolnshire',
    population: 0.77,
    diversity: 0.5,
    forces: [{ slug: 'lincolnshire-police', name: 'Lincolnshire Police', staff: 2_100 }],
  },
  {
    code: 'mid-south-essex',
    name: 'Mid and South Essex',
    population: 1.2,
    diversity: 0.8,
    forces: [{ slug: 'essex-police', name: 'Essex Police', staff: 6_200 }],
  },
  {
    code: 'norfolk-waveney',
    name: 'Norfolk and Waveney',
    population: 1.1,
    diversity: 0.6,
    forces: [{ slug: 'norfolk-police', name: 'Norfolk Constabulary', staff: 3_300 }],
  },
  {
    code: 'north-central-london',
    name: 'North Central London',
    population: 1.5,
    diversity: 2.8,
    forces: [
      { slug: 'metropolitan-police', name: 'Metropolitan Police Service', staff: 46_000 },
      { slug: 'city-of-london-police', name: 'City of London Police', staff: 1_300 },
    ],
  },
  {
    code: 'north-east-north-cumbria',
    name: 'North East and North Cumbria',
    population: 3.0,
    diversity: 0.4,
    forces: [
      { slug: 'northumbria-police', name: 'Northumbria Police', staff: 6_100 },
      { slug: 'durham-police', name: 'Durham Constabulary', staff: 2_200 },
      { slug: 'cleveland-police', name: 'Cleveland Police', staff: 2_400 },
    ],
    ambulance: 'North East Ambulance Service',
  },
  {
    code: 'north-east-london',
    name: 'North East London',
    population: 2.1,
    diversity: 3.0,
    forces: [],
    ambulance: 'London Ambulance Service',
  },
  { code: 'north-west-london', name: 'North West London', population: 2.1, diversity: 3.0, forces: [] },
  {
    code: 'northamptonshire',
    name: 'Northamptonshire',
    population: 0.8,
    diversity: 0.9,
    forces: [{ slug: 'northamptonshire-police', name: 'Northamptonshire Police', staff: 2_500 }],
  },
  {
    code: 'nottingham-nottinghamshire',
    name: 'Nottingham and Nottinghamshire',
    population: 1.1,
    diversity: 1.1,
    forces: [{ slug: 'nottinghamshire-police', name: 'Nottinghamshire Police', staff: 3_900 }],
    ambulance: 'East Midlands Ambulance Service',
  },
  {
    code: 'shropshire-telford-wrekin',
    name: 'Shropshire, Telford and Wrekin',
    population: 0.5,
    diversity: 0.5,
    forces: [{ slug: 'dyfed-powys-police', name: 'Dyfed-Powys Police', staff: 2_100 }],
  },
  { code: 'somerset', name: 'Somerset', population: 0.58, diversity: 0.4, forces: [] },
  { code: 'south-east-london', name: 'South East London', population: 1.9, diversity: 2.8, forces: [] },
  { code: 'south-west-london', name: 'South West London', population: 1.5, diversity: 2.4, forces: [] },
  {
    code: 'south-yorkshire',
    name: 'South Yorkshire',
    population: 1.4,
    diversity: 0.8,
    forces: [{ slug: 'south-yorkshire-police', name: 'South Yorkshire Police', staff: 5_100 }],
  },
  {
    code: 'staffordshire-stoke',
    name: 'Staffordshire and Stoke-on-Trent',
    population: 1.1,
    diversity: 0.6,
    forces: [
      { slug: 'staffordshire-police', name: 'Staffordshire Police', staff: 3_300 },
      { slug: 'north-wales-police', name: 'North Wales Police', staff: 2_700 },
    ],
  },
  {
    code: 'suffolk-north-east-essex',
    name: 'Suffolk and North East Essex',
    population: 1.0,
    diversity: 0.6,
    forces: [{ slug: 'suffolk-police', name: 'Suffolk Constabulary', staff: 2_300 }],
  },
  {
    code: 'surrey-heartlands',
    name: 'Surrey Heartlands',
    population: 1.1,
    diversity: 0.9,
    forces: [{ slug: 'surrey-police', name: 'Surrey Police', staff: 4_000 }],
  },
  {
    code: 'sussex',
    name: 'Sussex',
    population: 1.7,
    diversity: 0.7,
    forces: [{ slug: 'sussex-police', name: 'Sussex Police', staff: 5_600 }],
    ambulance: 'South East Coast Ambulance Service',
  },
  {
    code: 'west-yorkshire',
    name: 'West Yorkshire',
    population: 2.4,
    diversity: 1.3,
    forces: [{ slug: 'west-yorkshire-police', name: 'West Yorkshire Police', staff: 10_300 }],
    ambulance: 'Yorkshire Ambulance Service',
  },
];

/** Kinds of employer, each with its own staff-group mix. */
export type WorkforceProfile =
  | 'police'
  | 'acute'
  | 'community-mental-health'
  | 'ambulance'
  | 'primary-care'
  | 'icb';

/** A staff group's share of an employer's workforce, its share of women, and its usual job titles. */
export type GroupSpec = { group: string; weight: number; female: number; titles: string[] };

const NURSING_TITLES = [
  'Staff nurse',
  'Ward sister',
  'Midwife',
  'Theatre nurse',
  'Emergency department nurse',
];
const MEDICAL_TITLES = ['Foundation doctor', 'Registrar', 'Consultant physician', 'Consultant surgeon'];

/**
 * Staff groups by employer. NHS shares follow the ESR staff-group mix of NHS trusts
 * (nursing and midwifery about a quarter, clinical support a fifth, administration a
 * fifth, doctors a tenth); police shares the Home Office workforce statistics (officers
 * a little over half, police staff about a third, PCSOs and special constables the rest).
 * Group names are exactly those of src/domain/workforce/categories.ts.
 */
export const PROFILES: Record<WorkforceProfile, GroupSpec[]> = {
  police: [
    {
      group: 'Police officer',
      weight: 55,
      female: 0.35,
      titles: [
        'Police constable',
        'Detective constable',
        'Sergeant',
        'Inspector',
        'Response officer',
        'Roads policing officer',
        'Custody sergeant',
        'Firearms officer',
      ],
    },
    {
      group: 'Police staff',
      weight: 35,
      female: 0.62,
      titles: [
        'Call handler',
        'Detention officer',
        'Crime scene investigator',
        'Intelligence analyst',
        'HR adviser',
        'Digital forensics examiner',
      ],
    },
    {
      group: 'Police community support officer',
      weight: 6,
      female: 0.47,
      titles: ['Police community support officer'],
    },
    { group: 'Special constable', weight: 4, female: 0.3, titles: ['Special constable'] },
  ],
  acute: [
    { group: 'Nursing and Midwifery Registered', weight: 26, female: 0.89, titles: NURSING_TITLES },
    {
      group: 'Additional Clinical Services',
      weight: 18,
      female: 0.82,
      titles: ['Healthcare assistant', 'Maternity support worker', 'Phlebotomist'],
    },
    {
      group: 'Administrative and Clerical',
      weight: 20,
      female: 0.78,
      titles: ['Ward clerk', 'Medical secretary', 'Receptionist', 'Finance officer', 'Team manager'],
    },
    { group: 'Medical and Dental', weight: 12, female: 0.5, titles: MEDICAL_TITLES },
    {
      group: 'Allied Health Professionals',
      weight: 7,
      female: 0.8,
      titles: ['Physiotherapist', 'Radiographer', 'Occupational therapist', 'Dietitian'],
    },
    {
      group: 'Estates and Ancillary',
      weight: 7,
      female: 0.45,
      titles: ['Porter', 'Domestic assistant', 'Electrician', 'Catering assistant'],
    },
    {
      group: 'Additional Professional Scientific and Technical',
      weight: 6,
      female: 0.68,
      titles: ['Pharmacist', 'Pharmacy technician', 'Clinical coder'],
    },
    {
      group: 'Healthcare Scientists',
      weight: 3,
      female: 0.6,
      titles: ['Biomedical scientist', 'Clinical physiologist'],
    },
    { group: 'Students', weight: 1, female: 0.85, titles: ['Student nurse', 'Student midwife'] },
  ],
  'community-mental-health': [
    {
      group: 'Nursing and Midwifery Registered',
      weight: 28,
      female: 0.83,
      titles: ['Community mental health nurse', 'District nurse', 'Health visitor', 'Staff nurse'],
    },
    {
      group: 'Additional Clinical Services',
      weight: 24,
      female: 0.78,
      titles: ['Healthcare assistant', 'Support worker', 'Assistant psychologist'],
    },
    {
      group: 'Administrative and Clerical',
      weight: 23,
      female: 0.8,
      titles: ['Team administrator', 'Medical secretary', 'Receptionist', 'Team manager'],
    },
    {
      group: 'Medical and Dental',
      weight: 5,
      female: 0.52,
      titles: ['Consultant psychiatrist', 'Specialty doctor'],
    },
    {
      group: 'Allied Health Professionals',
      weight: 9,
      female: 0.84,
      titles: ['Occupational therapist', 'Physiotherapist', 'Speech and language therapist'],
    },
    {
      group: 'Additional Professional Scientific and Technical',
      weight: 7,
      female: 0.78,
      titles: ['Clinical psychologist', 'Psychological wellbeing practitioner', 'Pharmacist'],
    },
    {
      group: 'Estates and Ancillary',
      weight: 3,
      female: 0.5,
      titles: ['Domestic assistant', 'Facilities officer'],
    },
    { group: 'Healthcare Scientists', weight: 0.5, female: 0.6, titles: ['Clinical physiologist'] },
    { group: 'Students', weight: 0.5, female: 0.85, titles: ['Student nurse'] },
  ],
  ambulance: [
    {
      group: 'Allied Health Professionals',
      weight: 35,
      female: 0.45,
      titles: ['Paramedic', 'Specialist paramedic', 'Advanced paramedic'],
    },
    {
      group: 'Additional Clinical Services',
      weight: 35,
      female: 0.5,
      titles: ['Emergency medical technician', 'Ambulance care assistant', 'Emergency call handler'],
    },
    {
      group: 'Administrative and Clerical',
      weight: 20,
      female: 0.65,
      titles: ['Dispatcher', 'Control room officer', 'Finance officer'],
    },
    { group: 'Nursing and Midwifery Registered', weight: 4, female: 0.8, titles: ['Clinical hub nurse'] },
    {
      group: 'Estates and Ancillary',
      weight: 4,
      female: 0.2,
      titles: ['Fleet technician', 'Make-ready operative'],
    },
    { group: 'Medical and Dental', weight: 1, female: 0.4, titles: ['Medical director'] },
    { group: 'Students', weight: 1, female: 0.55, titles: ['Student paramedic'] },
  ],
  'primary-care': [
    { group: 'Medical and Dental', weight: 22, female: 0.57, titles: ['GP partner', 'Salaried GP'] },
    { group: 'Nursing and Midwifery Registered', weight: 15, female: 0.95, titles: ['Practice nurse'] },
    {
      group: 'Additional Clinical Services',
      weight: 13,
      female: 0.9,
      titles: ['Healthcare assistant', 'Phlebotomist'],
    },
    {
      group: 'Administrative and Clerical',
      weight: 45,
      female: 0.88,
      titles: ['Receptionist', 'Practice manager', 'Medical secretary'],
    },
    {
      group: 'Additional Professional Scientific and Technical',
      weight: 5,
      female: 0.7,
      titles: ['Clinical pharmacist'],
    },
  ],
  icb: [
    {
      group: 'Administrative and Clerical',
      weight: 82,
      female: 0.7,
      titles: ['Commissioning manager', 'Analyst', 'Programme lead'],
    },
    { group: 'Nursing and Midwifery Registered', weight: 12, female: 0.85, titles: ['Quality lead nurse'] },
    { group: 'Medical and Dental', weight: 6, female: 0.5, titles: ['Clinical director'] },
  ],
};

/** How often staff of each employer are referred to OH, per person per year (national mean about 0.5). */
export const REFERRAL_RATE: Record<WorkforceProfile, number> = {
  police: 0.6,
  acute: 0.5,
  'community-mental-health': 0.52,
  ambulance: 0.65,
  'primary-care': 0.35,
  icb: 0.3,
};

/**
 * NHS ethnic category codes with rough workforce weights (as the demo world), before the
 * system's `diversity` factor scales every code but A. '99' is "not known" (a stated
 * refusal to record), apart from the blanks left by people who never answered.
 */
export const ETHNIC_WEIGHTS: Array<[string, number]> = [...ETHNIC_CATEGORIES, ['99', 1]];

/** Share of staff records with the optional fields filled in. */
export const ETHNICITY_RECORDED = 0.93;
export const SEX_RECORDED = 0.96;
export const DISABILITY_RECORDED = 0.85;
/** Of those who answered the disability question, the share who said yes. */
export const DISABILITY_YES = 0.06;
/** Staff records of people who left during the period (with an end date). */
export const LEAVER_SHARE = 0.1;
/** Police staff in security-sensitive roles (no workplace address goes to outside services). */
export const SECURITY_SENSITIVE_POLICE = 0.08;

/** Who made the referral. */
export const REFERRAL_SOURCES: Array<[string, number]> = [
  ['management', 55],
  ['self', 35],
  ['other', 10],
];

/**
 * Pathways with their weights (as the demo's REFERRAL_REASONS), how many appointments an
 * episode usually has (inclusive range), and the days between them.
 */
export const PATHWAY_MIX: Array<{
  pathway: string;
  weight: number;
  appointments: [number, number];
  intervalDays: number;
}> = [
  { pathway: 'mental-health', weight: 35, appointments: [2, 7], intervalDays: 14 },
  { pathway: 'musculoskeletal', weight: 30, appointments: [2, 6], intervalDays: 10 },
  { pathway: 'general', weight: 20, appointments: [1, 4], intervalDays: 28 },
  // Follow-up blood tests at about 6 weeks, 3 months and 6 months (DOMAIN.md).
  { pathway: 'blood-borne-virus', weight: 5, appointments: [3, 4], intervalDays: 45 },
  { pathway: 'dental-injury', weight: 3, appointments: [2, 5], intervalDays: 21 },
  { pathway: 'retirement-preparation', weight: 7, appointments: [1, 2], intervalDays: 60 },
];

/** Triage priority, and the wait in days to the first appointment it leads to (inclusive range). */
export const PRIORITY_MIX: Array<{ priority: string; weight: number; waitDays: [number, number] }> = [
  { priority: 'urgent', weight: 10, waitDays: [2, 5] },
  { priority: 'soon', weight: 30, waitDays: [4, 14] },
  { priority: 'routine', weight: 60, waitDays: [8, 35] },
];

/** Referrals OH declines (not an OH matter, a duplicate, the wrong service). */
export const DECLINED_SHARE = 0.04;
/** Referrals of the last few days still waiting for triage. */
export const AWAITING_TRIAGE_DAYS = 4;

/**
 * What happens to an appointment before the last of an episode (the last one that has
 * taken place is always attended: that is when the episode's outcome is settled).
 * Gives about 85 % attended, 8 % did not attend and 4 % cancelled overall.
 */
export const EARLIER_APPOINTMENT_OUTCOMES: Array<[string, number]> = [
  ['attended', 81],
  ['did-not-attend', 12],
  ['cancelled', 7],
];

export const APPOINTMENT_MODES: Array<[string, number]> = [
  ['in-person', 50],
  ['phone', 30],
  ['video', 20],
];

/** Appointment start hours on a clinic day (an hour each, lunch at noon): seven slots a day. */
export const CLINIC_HOURS = [9, 10, 11, 13, 14, 15, 16];

/**
 * Share of a provider's clinic slots its expected appointments fill: it has just enough
 * clinicians for that (about one per 800 staff served, the order of the FOM's one specialist
 * OH nurse per 1,000 employees). Much closer to 1 and waits would grow year on year.
 */
export const CLINIC_UTILISATION = 0.85;
/** Clinic days a clinician works in a year (weekdays less leave and bank holidays). */
export const CLINIC_DAYS_A_YEAR = 225;
/** One in this many clinicians is an OH physician. */
export const PHYSICIAN_EVERY = 6;

export const FITNESS_MIX: Array<[string, number]> = [
  ['fit', 30],
  ['fit-with-adjustments', 48],
  ['temporarily-unfit', 19],
  ['unfit-for-role', 3],
];

/** Adjustment sets recommended with "fit with adjustments" (fit-note families, as the demo). */
export const ADJUSTMENT_SETS: string[][] = [
  ['Phased return to work over 4 weeks', 'No night shifts for 2 weeks'],
  ['Amended duties: no manual handling over 10 kg'],
  ['Altered hours: start after 10am', 'Regular breaks every two hours'],
  ['Workplace adaptations: sit-stand desk'],
];

/** Closure outcomes (CLOSURE_OUTCOMES of src/domain/cases/case.rules.ts) with weights. */
export const CLOSURE_MIX: Array<[string, number]> = [
  ['remained-at-work', 48],
  ['returned-to-work', 38],
  ['redeployed', 5],
  ['left-employment', 4],
  ['ill-health-retirement', 2],
  ['not-known', 3],
];

/** Management reports: the employee's decision. Released reports go 0–40 days after the consultation. */
export const REPORT_DECISIONS: Array<[string, number]> = [
  ['released', 90],
  ['withheld', 5],
  ['correction-requested', 2],
  ['awaiting-employee', 3],
];

/** Mental-health episodes whose person completes PHQ-9 and GAD-7 at their attended appointments. */
export const MEASURED_SHARE = 0.85;
/** At most this many measures of each instrument per episode (a first and up to four later). */
export const MAX_MEASURES = 5;
