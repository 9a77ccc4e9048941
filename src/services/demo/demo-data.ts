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
