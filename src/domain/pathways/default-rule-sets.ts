import type { RuleSet } from './rule-set.ts';

/**
 * The pathways OHWB ships, as version 1 of each rule set. They are copied into the
 * database on start; an OH physician publishes later versions from the pathways page
 * without a code change. Steps marked "verify" in DOMAIN.md say so in their source.
 */

const BBV_SOURCE =
  'Police local healthcare engagement: BBV exposure in emergency workers (adapted from NICE); ' +
  'BHIVA/BASHH PEP guideline 2021; UKHSA Green Book ch. 18';

/** Blood-borne virus exposure (needlestick, bite, splash, spit): times from the moment of exposure. */
export const BBV_EXPOSURE: RuleSet = {
  code: 'bbv-exposure',
  version: 1,
  title: 'Blood-borne virus exposure',
  pathway: 'blood-borne-virus',
  anchor: 'the moment of exposure',
  source: BBV_SOURCE,
  steps: [
    {
      code: 'risk-assessment',
      title: 'First aid, then a risk assessment of the exposure',
      assignee: 'oh-clinician',
      completes:
        'A trained person (OH, A&E or urgent care) has assessed the risk; in a bite, both people involved.',
      dueAfter: { amount: 1, unit: 'hours' },
      source: 'Police local healthcare engagement (adapted from NICE): assess within an hour of the exposure',
    },
    {
      code: 'hiv-pep-decision',
      title: 'HIV post-exposure prophylaxis (PEP) decision',
      assignee: 'oh-clinician',
      completes: 'PEP started (a 28-day course) or a recorded decision that it is not needed.',
      dueAfter: { amount: 1, unit: 'hours' },
      closesAfter: { amount: 72, unit: 'hours' },
      source: 'BHIVA/BASHH UK PEP guideline 2021: ideally within 1 hour, no later than 72 hours',
    },
    {
      code: 'hbv-prophylaxis',
      title: 'Hepatitis B prophylaxis: immunoglobulin (HBIG) if indicated, and vaccine by status',
      assignee: 'oh-clinician',
      completes:
        'HBIG given or not indicated, and a booster or accelerated course started if the status calls for it.',
      dueAfter: { amount: 48, unit: 'hours' },
      closesAfter: { amount: 7, unit: 'days' },
      source: 'UKHSA Green Book ch. 18: HBIG preferably within 48 hours, no later than 7 days (verify)',
    },
    {
      code: 'bbv-tests-6w',
      title: 'Follow-up blood tests at 4 to 6 weeks',
      assignee: 'oh-clinician',
      completes: 'Samples taken and results recorded.',
      opensAfter: { amount: 4, unit: 'weeks' },
      dueAfter: { amount: 6, unit: 'weeks' },
      tests: [{ name: 'HBsAg' }, { name: 'HCV antigen/PCR' }, { name: 'HIV Ag/Ab combined' }],
      source: 'Police local healthcare engagement, BBV testing table (adapted from NICE): 4–6 weeks',
    },
    {
      code: 'bbv-tests-3m',
      title: 'Follow-up blood tests at 3 months',
      assignee: 'oh-clinician',
      completes: 'Samples taken and results recorded.',
      dueAfter: { amount: 3, unit: 'months' },
      tests: [
        { name: 'HBsAg' },
        { name: 'HCV antibody' },
        { name: 'HCV antigen/PCR', when: { fact: 'highRiskHcv', is: [true] }, note: 'high risk of HCV' },
        { name: 'HIV Ag/Ab combined' },
      ],
      source: 'Police local healthcare engagement, BBV testing table (adapted from NICE): 3 months',
    },
    {
      code: 'bbv-tests-6m',
      title: 'Follow-up blood tests at 6 months',
      assignee: 'oh-clinician',
      completes: 'Samples taken and results recorded.',
      dueAfter: { amount: 6, unit: 'months' },
      tests: [
        { name: 'HBsAg' },
        { name: 'HCV antibody' },
        { name: 'HIV Ag/Ab combined', note: 'only if not tested at 3 months' },
      ],
      source: 'Police local healthcare engagement, BBV testing table (adapted from NICE): 6 months',
    },
  ],
};

/** TRiM after a traumatic incident: one plan for each person involved. */
export const TRIM: RuleSet = {
  code: 'trim',
  version: 1,
  title: 'Trauma Risk Management (TRiM) after a traumatic incident',
  pathway: 'mental-health',
  anchor: 'the incident',
  source: 'TRiM (March on Stress): risk assessment about 72 hours after, review about one month after',
  settings: { outreachThreshold: 5, outreachWindowMonths: 12 },
  steps: [
    {
      code: 'trim-initial',
      title: 'TRiM risk assessment',
      assignee: 'trim-practitioner',
      completes:
        'TRiM assessment done; total score and outcome recorded (the licensed items are not stored).',
      dueAfter: { amount: 72, unit: 'hours' },
      source: 'TRiM: peer risk assessment about 72 hours after the incident',
    },
    {
      code: 'trim-follow-up',
      title: 'TRiM follow-up assessment',
      assignee: 'trim-practitioner',
      completes: 'Follow-up done; persistent difficulty leads to a referral for professional assessment.',
      dueAfter: { amount: 1, unit: 'months' },
      source: 'TRiM: follow-up about one month after the incident',
    },
  ],
};

/**
 * Proactive outreach when a person's trauma-exposure count in the window reaches the
 * threshold in the TRiM rule set's settings: an offer of support, never a compulsory referral.
 */
export const TRAUMA_OUTREACH: RuleSet = {
  code: 'trauma-outreach',
  version: 1,
  title: 'Proactive outreach after repeated traumatic incidents',
  pathway: 'mental-health',
  anchor: 'the time the threshold was crossed',
  source:
    'Police local healthcare engagement: 450–600 traumatic events in a career; outreach is a service default (verify)',
  steps: [
    {
      code: 'outreach-offer',
      title: 'Offer support after repeated traumatic incidents',
      assignee: 'oh-clinician',
      completes: 'Support offered in confidence; accepted or declined recorded. Never a compulsory referral.',
      dueAfter: { amount: 5, unit: 'days' },
      source:
        'Trauma-exposure log: outreach within 5 days of crossing the threshold (service default, verify)',
    },
  ],
};

/** A PHQ-9 with item 9 above 0: a clinician follows up the same day, whatever the total. */
export const SELF_HARM_RISK: RuleSet = {
  code: 'self-harm-risk',
  version: 1,
  title: 'Risk follow-up after a PHQ-9 answer about self-harm',
  pathway: 'mental-health',
  anchor: 'the time the questionnaire was recorded',
  source: 'PHQ-9 item 9 (thoughts of self-harm): same-day risk follow-up (OHWB DOMAIN.md)',
  steps: [
    {
      code: 'risk-follow-up',
      title: 'Same-day risk follow-up (PHQ-9 item 9)',
      assignee: 'oh-clinician',
      completes: 'The person has been contacted and a risk assessment and safety plan recorded.',
      dueAfter: { amount: 0, unit: 'days', endOfDay: true },
      source: 'PHQ-9 item 9 > 0: same-day risk follow-up, whatever the total',
    },
  ],
};

const DENTAL_SOURCE = 'IADT dental trauma guidelines 2020 (verify with a dental adviser)';

/** Dental injury (an assault on an officer, a fall): times from the injury. */
export const DENTAL_INJURY: RuleSet = {
  code: 'dental-injury',
  version: 1,
  title: 'Dental injury',
  pathway: 'dental-injury',
  anchor: 'the injury',
  source: DENTAL_SOURCE,
  steps: [
    {
      code: 'replant-tooth',
      title: 'Replant the knocked-out adult tooth',
      assignee: 'oh-clinician',
      completes: 'The tooth has been replanted by a dentist or at A&E, or a recorded reason why not.',
      dueAfter: { amount: 60, unit: 'minutes' },
      when: { fact: 'avulsed', is: [true] },
      source: 'IADT 2020: replant an avulsed permanent tooth as soon as possible, ideally within 60 minutes',
    },
    {
      code: 'dental-assessment',
      title: 'Urgent dental assessment',
      assignee: 'oh-clinician',
      completes: 'Seen by a dentist today; findings and treatment recorded.',
      dueAfter: { amount: 0, unit: 'days', endOfDay: true },
      source: `${DENTAL_SOURCE}: same-day urgent dental assessment`,
    },
    ...(
      [
        ['dental-review-2w', 'Dental review at 2 weeks', { amount: 2, unit: 'weeks' }],
        ['dental-review-4w', 'Dental review at 4 weeks', { amount: 4, unit: 'weeks' }],
        ['dental-review-3m', 'Dental review at 3 months', { amount: 3, unit: 'months' }],
        ['dental-review-6m', 'Dental review at 6 months', { amount: 6, unit: 'months' }],
        ['dental-review-1y', 'Dental review at 1 year', { amount: 1, unit: 'years' }],
      ] as const
    ).map(([code, title, dueAfter]) => ({
      code,
      title,
      assignee: 'oh-clinician' as const,
      completes: 'Review done by the dentist; healing and any treatment recorded.',
      dueAfter: { ...dueAfter },
      source: `${DENTAL_SOURCE}: follow-up reviews at 2 and 4 weeks, 3 and 6 months and 1 year`,
    })),
  ],
};

const MSK_SOURCE =
  'Service default (verify): NHS Growing OHWB Together, integrated MSK pathway with self-referral';

/** Musculoskeletal: after the digital triage, physiotherapy or supported self-care, then return to work. */
export const MSK: RuleSet = {
  code: 'msk',
  version: 1,
  title: 'Musculoskeletal',
  pathway: 'musculoskeletal',
  anchor: 'the self-referral',
  source: MSK_SOURCE,
  steps: [
    {
      code: 'physio-assessment',
      title: 'Fast-track physiotherapy assessment',
      assignee: 'oh-clinician',
      completes: 'Assessed by a physiotherapist; treatment plan recorded.',
      dueAfter: { amount: 5, unit: 'days' },
      when: { fact: 'route', is: ['fast-track-physiotherapy'] },
      source: `${MSK_SOURCE}: fast-track physiotherapy within 5 days`,
    },
    {
      code: 'self-care-check',
      title: 'Check in on supported self-care',
      assignee: 'oh-clinician',
      completes: 'Contacted; improving (close) or not (offer physiotherapy).',
      dueAfter: { amount: 2, unit: 'weeks' },
      when: { fact: 'route', is: ['supported-self-care'] },
      source: `${MSK_SOURCE}: self-care check at 2 weeks`,
    },
    {
      code: 'return-to-work-review',
      title: 'Return-to-work and function review',
      assignee: 'oh-clinician',
      completes: 'Function reviewed; fitness outcome and any adjustments recorded.',
      dueAfter: { amount: 6, unit: 'weeks' },
      source: `${MSK_SOURCE}: function and return-to-work review at 6 weeks`,
    },
  ],
};

const RETIREMENT_SOURCE =
  'Police local healthcare engagement: shared preparation for retirement, care continuing into the NHS ' +
  '"without detriment"; timings are a service default (verify)';

/** Retirement preparation: counted back from the retirement date; ends with a summary for the GP. */
export const RETIREMENT: RuleSet = {
  code: 'retirement',
  version: 1,
  title: 'Retirement preparation and continuity of care',
  pathway: 'retirement-preparation',
  anchor: 'the retirement date',
  source: RETIREMENT_SOURCE,
  settings: { leadMonths: 6 },
  steps: [
    {
      code: 'retirement-review',
      title: 'Pre-retirement health and wellbeing review',
      assignee: 'oh-clinician',
      completes: 'Review offered and held (or declined); what should continue in the NHS noted.',
      opensAfter: { amount: -6, unit: 'months' },
      dueAfter: { amount: -4, unit: 'months' },
      source: `${RETIREMENT_SOURCE}: review 6 to 4 months before`,
    },
    {
      code: 'continuity-consent',
      title: 'Ask consent to send a continuity-of-care summary to the GP',
      assignee: 'oh-clinician',
      completes: 'Consent given (with the GP practice) or declined, and recorded.',
      dueAfter: { amount: -3, unit: 'months' },
      source: `${RETIREMENT_SOURCE}: consent 3 months before`,
    },
    {
      code: 'continuity-summary',
      title: 'Send the continuity-of-care summary to the GP',
      assignee: 'oh-clinician',
      completes: 'The summary has been produced and sent, with consent.',
      opensAfter: { amount: -2, unit: 'months' },
      dueAfter: { amount: -2, unit: 'weeks' },
      source: `${RETIREMENT_SOURCE}: summary sent before the last day of service`,
    },
  ],
};

/** Every rule set OHWB ships, by code. */
export const DEFAULT_RULE_SETS: readonly RuleSet[] = [
  BBV_EXPOSURE,
  TRIM,
  TRAUMA_OUTREACH,
  SELF_HARM_RISK,
  DENTAL_INJURY,
  MSK,
  RETIREMENT,
];
