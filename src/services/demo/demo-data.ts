/**
 * Realistic names, job titles and staff groups for the demo world. Made-up people:
 * any likeness to a real person is chance.
 */
export const GIVEN_NAMES = [
  'Aisha',
  'Ben',
  'Chloe',
  'Daniel',
  'Ella',
  'Farhan',
  'Grace',
  'Harry',
  'Isla',
  'Jack',
  'Kiran',
  'Leah',
  'Mohammed',
  'Niamh',
  'Oliver',
  'Priya',
  'Quinn',
  'Rhys',
  'Sophie',
  'Tom',
  'Uzma',
  'Vikram',
  'Wendy',
  'Xavier',
  'Yasmin',
  'Zoe',
  'Amara',
  'Callum',
  'Dev',
  'Emily',
  'Femi',
  'Hannah',
  'Imran',
  'Jess',
  'Kwame',
  'Lucy',
  'Marek',
  'Nadia',
  'Owen',
  'Patience',
  'Rosie',
  'Sanjay',
  'Tariq',
  'Anna',
  'Bartek',
  'Ciara',
];
export const FAMILY_NAMES = [
  'Smith',
  'Jones',
  'Williams',
  'Taylor',
  'Brown',
  'Davies',
  'Evans',
  'Wilson',
  'Thomas',
  'Johnson',
  'Roberts',
  'Robinson',
  'Thompson',
  'Wright',
  'Walker',
  'White',
  'Edwards',
  'Hughes',
  'Green',
  'Hall',
  'Khan',
  'Patel',
  'Ahmed',
  'Begum',
  'Okafor',
  'Mensah',
  'Kowalski',
  'Nowak',
  'Murphy',
  'Kelly',
  'Singh',
  'Hussain',
  'Campbell',
  'Stewart',
  'Clarke',
  'Lewis',
  'Baker',
  'Adeyemi',
  'Chen',
  'Nguyen',
  'Ali',
];

/** Staff groups with weights and job titles: police (Home Office categories) and NHS ESR groups. */
export const POLICE_GROUPS: Array<{ group: string; weight: number; titles: string[] }> = [
  {
    group: 'Police officer',
    weight: 60,
    titles: [
      'Police constable',
      'Detective constable',
      'Sergeant',
      'Response officer',
      'Roads policing officer',
      'Custody sergeant',
      'Firearms officer',
    ],
  },
  {
    group: 'Police staff',
    weight: 30,
    titles: [
      'Call handler',
      'Detention officer',
      'Crime scene investigator',
      'Analyst',
      'HR adviser',
      'Digital forensics examiner',
    ],
  },
  { group: 'Police community support officer', weight: 7, titles: ['Police community support officer'] },
  { group: 'Special constable', weight: 3, titles: ['Special constable'] },
];
export const NHS_ACUTE_GROUPS: Array<{ group: string; weight: number; titles: string[] }> = [
  {
    group: 'Nursing and Midwifery Registered',
    weight: 30,
    titles: ['Staff nurse', 'Ward sister', 'Midwife', 'Theatre nurse', 'Emergency department nurse'],
  },
  {
    group: 'Additional Clinical Services',
    weight: 22,
    titles: ['Healthcare assistant', 'Maternity support worker', 'Phlebotomist'],
  },
  {
    group: 'Administrative and Clerical',
    weight: 20,
    titles: ['Ward clerk', 'Medical secretary', 'Receptionist', 'Finance officer'],
  },
  {
    group: 'Medical and Dental',
    weight: 10,
    titles: ['Foundation doctor', 'Registrar', 'Consultant physician', 'Consultant surgeon'],
  },
  {
    group: 'Allied Health Professionals',
    weight: 8,
    titles: ['Physiotherapist', 'Radiographer', 'Occupational therapist', 'Paramedic'],
  },
  {
    group: 'Estates and Ancillary',
    weight: 6,
    titles: ['Porter', 'Domestic assistant', 'Electrician', 'Catering assistant'],
  },
  { group: 'Healthcare Scientists', weight: 2, titles: ['Biomedical scientist', 'Clinical physiologist'] },
  {
    group: 'Additional Professional Scientific and Technical',
    weight: 1,
    titles: ['Pharmacist', 'Pharmacy technician'],
  },
  { group: 'Students', weight: 1, titles: ['Student nurse'] },
];
export const PRIMARY_CARE_GROUPS = [
  { group: 'Medical and Dental', weight: 25, titles: ['GP partner', 'Salaried GP'] },
  { group: 'Nursing and Midwifery Registered', weight: 25, titles: ['Practice nurse'] },
  {
    group: 'Administrative and Clerical',
    weight: 50,
    titles: ['Receptionist', 'Practice manager', 'Medical secretary'],
  },
];
export const ICB_GROUPS = [
  {
    group: 'Administrative and Clerical',
    weight: 80,
    titles: ['Commissioning manager', 'Analyst', 'Programme lead'],
  },
  { group: 'Nursing and Midwifery Registered', weight: 20, titles: ['Quality lead nurse'] },
];

/** NHS ethnic category codes (A–S, Z not stated), with rough workforce weights. */
export const ETHNIC_CATEGORIES: Array<[string, number]> = [
  ['A', 62],
  ['B', 2],
  ['C', 4],
  ['D', 1],
  ['E', 1],
  ['F', 1],
  ['G', 1],
  ['H', 7],
  ['J', 3],
  ['K', 2],
  ['L', 2],
  ['M', 2],
  ['N', 4],
  ['P', 1],
  ['R', 1],
  ['S', 2],
  ['Z', 4],
];

/** Referral reasons by pathway, worded for police or NHS staff. */
export const REFERRAL_REASONS: Array<{ pathway: string; weight: number; police: string[]; nhs: string[] }> = [
  {
    pathway: 'mental-health',
    weight: 35,
    police: [
      'Low mood and poor sleep after attending a fatal collision.',
      'Anxiety affecting concentration on response shifts.',
    ],
    nhs: [
      'Low mood and poor sleep after a patient death on the ward.',
      'Stress at work and at home; off sick for two weeks.',
    ],
  },
  {
    pathway: 'musculoskeletal',
    weight: 30,
    police: ['Shoulder injury; cannot wear the kit belt comfortably.', 'Knee pain after a foot chase.'],
    nhs: ['Lower back pain after moving patients.', 'Knee pain aggravated by long periods standing.'],
  },
  {
    pathway: 'general',
    weight: 20,
    police: [
      'Return to work after surgery: advice on a phased return.',
      'Diabetes management on night shifts.',
    ],
    nhs: [
      'Return to work after surgery: advice on a phased return.',
      'Frequent short-term absence; advice on support.',
    ],
  },
  {
    pathway: 'blood-borne-virus',
    weight: 5,
    police: ['Bitten during an arrest.'],
    nhs: ['Needlestick injury on the ward.'],
  },
  {
    pathway: 'dental-injury',
    weight: 3,
    police: ['Tooth knocked out during an assault on duty.'],
    nhs: ['Tooth broken in a fall at work.'],
  },
  {
    pathway: 'retirement-preparation',
    weight: 7,
    police: ['Retiring next year; continuity of care wanted.'],
    nhs: ['Retiring next year; continuity of care wanted.'],
  },
];

/** Questions a manager may properly ask: about function and support, never diagnosis. */
export const MANAGER_QUESTIONS = [
  'Are they fit for their full duties?',
  'What adjustments would help them at work?',
  'When might they return to full duties?',
];

export const CONSULTATION_NOTES = [
  'Discussed symptoms, sleep and workload. PHQ-9 and GAD-7 completed. Agreed plan for phased return and self-help resources; referred to Talking Therapies.',
  'Assessed range of movement and function. No red flags. Advised exercises and referred for fast-track physiotherapy.',
  'Reviewed medication and shift pattern. Agreed adjustments to avoid consecutive night shifts for eight weeks.',
  'History taken; fit for current role with temporary amended duties. Review in six weeks.',
];

export const REPORT_TEXTS = [
  'Thank you for referring your colleague. They attended today. In my opinion they are fit for work with adjustments: a phased return over four weeks, avoiding night shifts for the first two weeks. I expect them to return to full duties within six weeks. I will review them then.',
  'Your colleague is currently temporarily unfit for work. I expect improvement over the next four weeks with treatment already arranged. I will review them in four weeks and advise on a return-to-work plan.',
  'Your colleague is fit for their role. No adjustments are needed at present. I have given them advice on self-care and how to contact us again if needed.',
];

export const ADJUSTMENT_SETS = [
  ['Phased return to work over 4 weeks', 'No night shifts for 2 weeks'],
  ['Amended duties: no manual handling over 10 kg'],
  ['Altered hours: start after 10am', 'Regular breaks every two hours'],
  ['Workplace adaptations: sit-stand desk'],
];

/** NHS staff groups who handle patients, blood or sharps: offered hepatitis B vaccination (Green Book ch. 18). */
export const CLINICAL_STAFF_GROUPS = [
  'Nursing and Midwifery Registered',
  'Medical and Dental',
  'Allied Health Professionals',
  'Additional Clinical Services',
];

/** Blood-borne virus exposures over the year, by organisation; `daysAgo` and the London time of day. */
export type DemoExposure = {
  slug: string;
  daysAgo: number;
  at: [number, number];
  kind: 'needlestick' | 'bite' | 'splash' | 'spit' | 'other';
  groups: string[];
  sourceKnown: boolean | null;
  highRiskHcv: boolean;
  onDuty: boolean;
  source: 'self' | 'management' | 'other';
  description: string;
  /** Tasks left open although due (the worklist's "Overdue"). */
  overdue?: string[];
  /** Tasks skipped, with the reason. */
  skipped?: Record<string, string>;
  /** The exposure the demo shows today: its early tasks recorded by OH the next morning, with these outcomes. */
  recent?: Record<string, string>;
};

const SOURCE_NEGATIVE =
  'Source patient consented to testing: HBsAg, HCV antibody and HIV Ag/Ab all negative. No follow-up tests needed.';

export const DEMO_EXPOSURES: DemoExposure[] = [
  {
    slug: 'northmoor-hospitals',
    daysAgo: 2,
    at: [22, 40],
    kind: 'needlestick',
    groups: ['Nursing and Midwifery Registered'],
    sourceKnown: true,
    highRiskHcv: false,
    onDuty: true,
    source: 'management',
    description:
      'Needlestick from a used subcutaneous needle while clearing a bedside tray on the night shift.',
    recent: {
      'risk-assessment':
        'Assessed at A&E at 23:20: superficial injury from a solid subcutaneous needle, wound washed and encouraged to bleed. Source patient known to the ward and consented to testing.',
      'hiv-pep-decision':
        'PEP not indicated (BHIVA/BASHH 2021): low-risk injury; source patient HIV negative on a point-of-care test.',
    },
  },
  {
    slug: 'northmoor-hospitals',
    daysAgo: 36,
    at: [14, 10],
    kind: 'needlestick',
    groups: ['Medical and Dental'],
    sourceKnown: true,
    highRiskHcv: true,
    onDuty: true,
    source: 'self',
    description:
      'Hollow-bore needle injury while taking blood in the emergency department; the patient injects drugs.',
  },
  {
    slug: 'northmoor-hospitals',
    daysAgo: 96,
    at: [10, 25],
    kind: 'splash',
    groups: ['Nursing and Midwifery Registered'],
    sourceKnown: true,
    highRiskHcv: false,
    onDuty: true,
    source: 'self',
    description: 'Blood splashed into the eye while removing an arterial line; no eye protection worn.',
  },
  {
    slug: 'northmoor-hospitals',
    daysAgo: 160,
    at: [8, 50],
    kind: 'needlestick',
    groups: ['Additional Clinical Services'],
    sourceKnown: true,
    highRiskHcv: false,
    onDuty: true,
    source: 'other',
    description: 'Needlestick after a blood test: the sharps bin was overfull.',
    skipped: {
      'bbv-tests-6w': SOURCE_NEGATIVE,
      'bbv-tests-3m': SOURCE_NEGATIVE,
      'bbv-tests-6m': SOURCE_NEGATIVE,
    },
  },
  {
    slug: 'northmoor-hospitals',
    daysAgo: 250,
    at: [16, 5],
    kind: 'bite',
    groups: ['Nursing and Midwifery Registered', 'Additional Clinical Services'],
    sourceKnown: true,
    highRiskHcv: false,
    onDuty: true,
    source: 'management',
    description: 'Bitten on the forearm by a confused patient during personal care; skin broken.',
  },
  {
    slug: 'northmoor-hospitals',
    daysAgo: 331,
    at: [11, 40],
    kind: 'needlestick',
    groups: ['Medical and Dental'],
    sourceKnown: false,
    highRiskHcv: false,
    onDuty: true,
    source: 'self',
    description: 'Suture needle injury in theatre; glove torn.',
  },
  {
    slug: 'northmoor-ambulance',
    daysAgo: 49,
    at: [3, 15],
    kind: 'spit',
    groups: ['Allied Health Professionals', 'Additional Clinical Services'],
    sourceKnown: false,
    highRiskHcv: false,
    onDuty: true,
    source: 'management',
    description: 'Spat at in the face by a patient with a head injury; blood-stained saliva in the mouth.',
    overdue: ['bbv-tests-6w'],
  },
  {
    slug: 'northmoor-ambulance',
    daysAgo: 205,
    at: [19, 30],
    kind: 'needlestick',
    groups: ['Allied Health Professionals'],
    sourceKnown: true,
    highRiskHcv: false,
    onDuty: true,
    source: 'self',
    description: 'Cannula needle injury in the back of an ambulance on the move.',
  },
  {
    slug: 'northmoor-health',
    daysAgo: 120,
    at: [13, 20],
    kind: 'needlestick',
    groups: ['Nursing and Midwifery Registered'],
    sourceKnown: false,
    highRiskHcv: false,
    onDuty: true,
    source: 'self',
    description: 'Needlestick from a discarded needle in a patient’s home during a district nursing visit.',
  },
  {
    slug: 'northmoor-police',
    daysAgo: 10,
    at: [1, 50],
    kind: 'bite',
    groups: ['Police officer'],
    sourceKnown: true,
    highRiskHcv: false,
    onDuty: true,
    source: 'management',
    description: 'Bitten on the hand by a detained person during an arrest; skin broken.',
  },
  {
    slug: 'northmoor-police',
    daysAgo: 62,
    at: [15, 35],
    kind: 'needlestick',
    groups: ['Police officer'],
    sourceKnown: false,
    highRiskHcv: false,
    onDuty: true,
    source: 'management',
    description: 'Needlestick from an uncapped needle in a jacket pocket during a search.',
  },
  {
    slug: 'northmoor-police',
    daysAgo: 125,
    at: [23, 5],
    kind: 'spit',
    groups: ['Police officer', 'Police staff'],
    sourceKnown: true,
    highRiskHcv: false,
    onDuty: true,
    source: 'other',
    description: 'Spat at in the custody suite; saliva in the eye.',
  },
  {
    slug: 'northmoor-police',
    daysAgo: 276,
    at: [0, 45],
    kind: 'bite',
    groups: ['Police officer'],
    sourceKnown: true,
    highRiskHcv: false,
    onDuty: true,
    source: 'management',
    description: 'Bitten on the thumb during a struggle outside a nightclub; skin broken and bleeding.',
    skipped: {
      'bbv-tests-6m':
        'Source person tested negative for HBsAg, HCV and HIV after the 3-month tests; no further tests needed.',
    },
  },
];

/** What a clinician records when a BBV, dental or MSK task is done, by task code. */
export const TASK_OUTCOMES: Record<string, string[]> = {
  'risk-assessment': [
    'Wound washed and encouraged to bleed. Exposure and source risk assessed: low risk.',
    'Assessed within the hour: significant exposure (skin broken, visible blood). Source risk assessed.',
    'Assessed at A&E: wound cleaned; the source person’s risk assessed with their consent.',
  ],
  'hiv-pep-decision': [
    'PEP not indicated (BHIVA/BASHH 2021): low risk of HIV transmission from this exposure.',
    'PEP started at A&E within 2 hours; 28-day course, follow-up with the sexual health clinic.',
  ],
  'bbv-tests-6w': ['Samples taken: HBsAg, HCV antigen/PCR and HIV Ag/Ab combined all negative.'],
  'bbv-tests-3m': ['Samples taken: HBsAg, HCV antibody and HIV Ag/Ab combined all negative.'],
  'bbv-tests-6m': ['Samples taken: HBsAg and HCV antibody negative. Follow-up complete; discharged.'],
  'replant-tooth': ['Replanted at A&E 45 minutes after the injury; flexible splint for two weeks.'],
  'dental-assessment': ['Seen by the emergency dentist the same day: X-rays taken, splint checked.'],
  'dental-review-2w': ['Splint removed; tooth firm, no sign of infection.'],
  'dental-review-4w': ['Healing well; no tenderness. Root canal treatment not needed so far.'],
  'dental-review-3m': ['Tooth vital; X-ray normal.'],
  'physio-assessment': ['Assessed by the physiotherapist: exercise programme and 4 sessions booked.'],
  'self-care-check': [
    'Phoned: pain easing with exercises and pain relief; no red flags. Continue self-care.',
  ],
  'return-to-work-review': ['Function reviewed: back to full duties. Fit for work.'],
  'retirement-review': [
    'Review held: hearing and skin surveillance to continue in the NHS; wants a summary sent to the GP.',
  ],
};

/** Traumatic incidents in the police force over the year; `repeat` marks those the much-exposed officer attended. */
export const DEMO_INCIDENTS: Array<{
  daysAgo: number;
  at: [number, number];
  people: number;
  repeat?: boolean;
  /** The first person's one-month follow-up is left overdue. */
  overdueFollowUp?: boolean;
  description: string;
}> = [
  {
    daysAgo: 350,
    at: [14, 5],
    people: 3,
    description: 'Fatal road traffic collision on the ring road; officers gave CPR to a child.',
  },
  {
    daysAgo: 310,
    at: [2, 40],
    people: 2,
    repeat: true,
    description: 'Sudden death of an infant at home; officers first on scene.',
  },
  { daysAgo: 281, at: [17, 30], people: 1, description: 'Officer threatened with a knife during an arrest.' },
  {
    daysAgo: 246,
    at: [9, 15],
    people: 4,
    description: 'Person hit by a train; officers recovered the body from the line.',
  },
  {
    daysAgo: 230,
    at: [23, 50],
    people: 2,
    repeat: true,
    description: 'House fire with two deaths; officers tried to get in before the fire service arrived.',
  },
  {
    daysAgo: 199,
    at: [6, 20],
    people: 3,
    description: 'Serious assault on a colleague during a public order incident.',
  },
  {
    daysAgo: 172,
    at: [15, 45],
    people: 2,
    description: 'Body found in the river after a missing-person search.',
  },
  {
    daysAgo: 150,
    at: [1, 10],
    people: 3,
    repeat: true,
    description: 'Fatal stabbing outside a nightclub; officers gave first aid.',
  },
  {
    daysAgo: 121,
    at: [20, 0],
    people: 2,
    description: 'Child sexual abuse investigation: officers viewed indecent images.',
  },
  { daysAgo: 96, at: [11, 35], people: 1, description: 'Suicide by hanging found at a welfare check.' },
  {
    daysAgo: 75,
    at: [4, 25],
    people: 2,
    repeat: true,
    description: 'Fatal motorcycle collision on the moor road; rider died at the scene.',
  },
  { daysAgo: 58, at: [16, 50], people: 3, description: 'Firearms incident: suspect shot by police.' },
  {
    daysAgo: 33,
    at: [13, 15],
    people: 2,
    overdueFollowUp: true,
    description: 'Domestic homicide; officers found the victim.',
  },
  {
    daysAgo: 20,
    at: [22, 5],
    people: 2,
    description: 'Officer dragged along by a car during a traffic stop.',
  },
  {
    daysAgo: 9,
    at: [8, 40],
    people: 3,
    description: 'Multi-vehicle collision on the motorway with three deaths.',
  },
  {
    daysAgo: 2,
    at: [3, 10],
    people: 2,
    repeat: true,
    description: 'Sudden death of a teenager at a house party; officers gave CPR.',
  },
];

/** Why a TRiM task was skipped. */
export const TRIM_SKIP_REASONS = [
  'Declined the follow-up; knows how to get support at any time.',
  'On long-term sick leave; support offered through the welfare officer instead.',
];

/** What a clinician records after the same-day risk follow-up of a PHQ-9 item 9 answer. */
export const SELF_HARM_FOLLOW_UPS = [
  'Phoned the same day: passing thoughts, no plan or intent. Safety plan agreed; GP informed with consent.',
  'Seen the same afternoon: no current plan; protective factors discussed. Safety plan and crisis numbers given.',
  'Phoned within the hour: thoughts linked to poor sleep, no intent. Agreed weekly contact; Samaritans number given.',
];

/** Dental injuries reported to OH. */
export const DEMO_DENTAL_INJURIES: Array<{
  slug: string;
  daysAgo: number;
  at: [number, number];
  groups: string[];
  avulsed: boolean;
  onDuty: boolean;
  source: 'self' | 'management' | 'other';
  description: string;
  overdue?: string[];
}> = [
  {
    slug: 'northmoor-police',
    daysAgo: 31,
    at: [19, 20],
    groups: ['Police officer'],
    avulsed: true,
    onDuty: true,
    source: 'management',
    description:
      'Punched in the mouth during an arrest; an upper front tooth was knocked out and kept in milk.',
    overdue: ['dental-review-4w'],
  },
  {
    slug: 'northmoor-hospitals',
    daysAgo: 118,
    at: [8, 5],
    groups: ['Estates and Ancillary'],
    avulsed: false,
    onDuty: false,
    source: 'self',
    description: 'Fell from a bicycle on the way to work; an upper front tooth chipped.',
  },
];

/** Musculoskeletal self-referrals through the digital triage; `hoursAgo` counts back from now. */
export const DEMO_MSK_SELF_REFERRALS: Array<{
  slug: string;
  hoursAgo: number;
  answers: {
    area: 'back' | 'neck' | 'shoulder' | 'knee' | 'other';
    painScore: number;
    duration: 'under-6-weeks' | '6-to-12-weeks' | 'over-12-weeks';
    normalDuties: 'yes' | 'with-difficulty' | 'no';
  };
  overdue?: string[];
  /** Seen, recorded fit and closed after the return-to-work review. */
  closed?: boolean;
}> = [
  // Fast-track physiotherapy due within the hour: on today's worklist.
  {
    slug: 'northmoor-hospitals',
    hoursAgo: 5 * 24 - 1,
    answers: { area: 'back', painScore: 8, duration: '6-to-12-weeks', normalDuties: 'with-difficulty' },
  },
  // Supported self-care; the 6-week return-to-work review is two days overdue.
  {
    slug: 'northmoor-health',
    hoursAgo: 44 * 24,
    answers: { area: 'knee', painScore: 4, duration: 'under-6-weeks', normalDuties: 'yes' },
    overdue: ['return-to-work-review'],
  },
  {
    slug: 'northmoor-police',
    hoursAgo: 95 * 24,
    answers: { area: 'shoulder', painScore: 7, duration: 'under-6-weeks', normalDuties: 'with-difficulty' },
    closed: true,
  },
];

/** Consultation notes of the urgent pathways. */
export const PATHWAY_CONSULTATION_NOTES: Record<string, string> = {
  'blood-borne-virus':
    'BBV exposure follow-up: first aid and risk assessment reviewed, PEP and hepatitis B status checked, blood test dates agreed. Advised safer sex and no blood donation until the tests are clear.',
  'dental-injury':
    'Dental injury follow-up: treatment plan from the dentist reviewed; review dates agreed. Injury on duty recorded where it applies.',
  musculoskeletal:
    'Function and pain reviewed with the triage answers. No red flags. Exercises given; physiotherapy plan agreed.',
};
