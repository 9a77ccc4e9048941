import { type FieldError, Invalid } from '../shared/errors.ts';

/** Red flags that send the person to an emergency department now (suspected cauda equina syndrome). */
export const EMERGENCY_FLAG_CODES = ['bladder-or-bowel', 'saddle-numbness', 'both-legs'] as const;
/** A red flag that sends the person to an emergency department now. */
export type EmergencyFlagCode = (typeof EMERGENCY_FLAG_CODES)[number];

/** Red flags that need a doctor the same day (possible fracture, cancer, infection or inflammation). */
export const URGENT_FLAG_CODES = [
  'significant-trauma',
  'history-of-cancer',
  'weight-loss',
  'fever-or-unwell',
  'immune-suppression',
  'night-pain',
] as const;
/** A red flag that needs a same-day GP or urgent care appointment. */
export type UrgentFlagCode = (typeof URGENT_FLAG_CODES)[number];

/** Any red flag of the triage. */
export type RedFlagCode = EmergencyFlagCode | UrgentFlagCode;

/** Where the triage sends the person. */
export type MskRoute =
  | 'emergency-department'
  | 'urgent-care'
  | 'fast-track-physiotherapy'
  | 'supported-self-care';

/** The body area of the main problem. */
export type MskArea = 'back' | 'neck' | 'shoulder' | 'knee' | 'other';
/** How long the problem has lasted. */
export type MskDuration = 'under-6-weeks' | '6-to-12-weeks' | 'over-12-weeks';
/** Whether the person can do their normal duties at work. */
export type MskNormalDuties = 'yes' | 'with-difficulty' | 'no';

/** A yes/no red-flag question, worded for the person answering it. */
export type MskRedFlagQuestion<Code extends RedFlagCode = RedFlagCode> = {
  code: Code;
  text: string;
  hint?: string;
  /** GOV.UK pattern for an unanswered yes/no question: "Select yes if …". */
  errorMessage: string;
  source: string;
};

/** A question with one answer from a list (radios). */
export type MskChoiceQuestion<Value extends string> = {
  code: string;
  text: string;
  hint?: string;
  errorMessage: string;
  options: readonly { value: Value; text: string }[];
};

/** A whole-number scale question. */
export type MskScaleQuestion = {
  code: string;
  text: string;
  hint: string;
  errorMessage: string;
  min: number;
  max: number;
};

/** The whole questionnaire and its routing, as one versioned rule set. */
export type MskTriageRules = {
  version: number;
  source: string;
  emergencyFlags: readonly MskRedFlagQuestion<EmergencyFlagCode>[];
  urgentFlags: readonly MskRedFlagQuestion<UrgentFlagCode>[];
  area: MskChoiceQuestion<MskArea>;
  painScore: MskScaleQuestion;
  duration: MskChoiceQuestion<MskDuration>;
  normalDuties: MskChoiceQuestion<MskNormalDuties>;
  /** Without red flags, any one of these sends the person to fast-track physiotherapy. */
  fastTrack: {
    painScoreAtLeast: number;
    normalDuties: readonly MskNormalDuties[];
    durations: readonly MskDuration[];
    source: string;
  };
  /** What the person is told for each route. */
  advice: Record<MskRoute, string>;
};

const CAUDA_EQUINA_SOURCE =
  'GIRFT National suspected cauda equina syndrome pathway (2023); NICE CKS Sciatica (lumbar radiculopathy): red flags';
const SERIOUS_CAUSE_SOURCE =
  'NICE CKS Back pain – low (without radiculopathy): red flags for a serious underlying cause';

// Every route below the emergency one repeats when to go to A&E: symptoms can change after the form.
const SAFETY_NET =
  'If you get new problems controlling your bladder or bowels, numbness around your back passage or ' +
  'genitals, or weakness or numbness in both legs, go to A&E or call 999 straight away.';

/**
 * The musculoskeletal self-referral triage (DOMAIN.md, "Musculoskeletal self-referral and digital
 * triage"): red flags first, then severity and function. Worded for anyone on the staff, police or NHS.
 */
export const MSK_TRIAGE: MskTriageRules = {
  version: 1,
  source:
    'NICE CKS Back pain – low (without radiculopathy) and Sciatica (lumbar radiculopathy); NICE NG59 Low ' +
    'back pain and sciatica in over 16s; GIRFT National suspected cauda equina syndrome pathway (2023). ' +
    'Routing below the red flags is an OHWB service default.',
  emergencyFlags: [
    {
      code: 'bladder-or-bowel',
      text: 'Have you had any new problems controlling or emptying your bladder or bowels?',
      hint: 'For example, not being able to pass urine, not feeling when your bladder is full, or leaking.',
      errorMessage: 'Select yes if you have had new problems controlling or emptying your bladder or bowels',
      source: CAUDA_EQUINA_SOURCE,
    },
    {
      code: 'saddle-numbness',
      text: 'Do you have numbness or a change in feeling around your back passage or genitals?',
      hint: 'For example, not being able to feel the toilet paper when you wipe.',
      errorMessage: 'Select yes if you have numbness around your back passage or genitals',
      source: CAUDA_EQUINA_SOURCE,
    },
    {
      code: 'both-legs',
      text: 'Do you have weakness or numbness in both legs, or is weakness or numbness in a leg getting worse?',
      errorMessage: 'Select yes if you have weakness or numbness in both legs, or it is getting worse',
      source: CAUDA_EQUINA_SOURCE,
    },
  ],
  urgentFlags: [
    {
      code: 'significant-trauma',
      text: 'Did the pain start after a serious injury, such as a fall from a height or a road traffic collision?',
      errorMessage: 'Select yes if the pain started after a serious injury',
      source: `${SERIOUS_CAUSE_SOURCE} (fracture)`,
    },
    {
      code: 'history-of-cancer',
      text: 'Have you ever had cancer?',
      errorMessage: 'Select yes if you have ever had cancer',
      source: `${SERIOUS_CAUSE_SOURCE} (cancer)`,
    },
    {
      code: 'weight-loss',
      text: 'Have you lost weight recently without trying to?',
      errorMessage: 'Select yes if you have lost weight without trying to',
      source: `${SERIOUS_CAUSE_SOURCE} (cancer)`,
    },
    {
      code: 'fever-or-unwell',
      text: 'Do you have a high temperature, or do you feel generally unwell?',
      errorMessage: 'Select yes if you have a high temperature or feel generally unwell',
      source: `${SERIOUS_CAUSE_SOURCE} (infection)`,
    },
    {
      code: 'immune-suppression',
      text: 'Do you have a weakened immune system?',
      hint: 'For example, from taking steroid tablets for a long time, chemotherapy, or medicines after a transplant.',
      errorMessage: 'Select yes if you have a weakened immune system',
      source: `${SERIOUS_CAUSE_SOURCE} (infection; long-term steroids also raise the risk of fracture)`,
    },
    {
      code: 'night-pain',
      text: 'Is the pain there all the time at night, and does it not ease when you move or change position?',
      errorMessage: 'Select yes if the pain is there all the time at night and does not ease',
      source: `${SERIOUS_CAUSE_SOURCE} (cancer or infection)`,
    },
  ],
  area: {
    code: 'area',
    text: 'Where is your main problem?',
    errorMessage: 'Select where your main problem is',
    options: [
      { value: 'back', text: 'Back' },
      { value: 'neck', text: 'Neck' },
      { value: 'shoulder', text: 'Shoulder' },
      { value: 'knee', text: 'Knee' },
      { value: 'other', text: 'Somewhere else' },
    ],
  },
  painScore: {
    code: 'painScore',
    text: 'How bad has your pain been over the last week, on average?',
    hint: '0 is no pain and 10 is the worst pain you can imagine.',
    errorMessage: 'Enter how bad your pain is, as a whole number from 0 to 10',
    min: 0,
    max: 10,
  },
  duration: {
    code: 'duration',
    text: 'How long have you had this problem?',
    errorMessage: 'Select how long you have had this problem',
    options: [
      { value: 'under-6-weeks', text: 'Less than 6 weeks' },
      { value: '6-to-12-weeks', text: '6 to 12 weeks' },
      { value: 'over-12-weeks', text: 'More than 12 weeks' },
    ],
  },
  normalDuties: {
    code: 'normalDuties',
    text: 'Can you do your normal duties at work?',
    errorMessage: 'Select whether you can do your normal duties at work',
    options: [
      { value: 'yes', text: 'Yes' },
      { value: 'with-difficulty', text: 'Yes, but with difficulty' },
      { value: 'no', text: 'No' },
    ],
  },
  // verify: service defaults, not national thresholds; the OH physician and physiotherapy lead should
  // confirm them. Most acute low back pain settles within 6 weeks (NICE CKS), so pain past 6 weeks,
  // severe pain, or trouble working earns a physiotherapist early.
  fastTrack: {
    painScoreAtLeast: 7,
    normalDuties: ['with-difficulty', 'no'],
    durations: ['6-to-12-weeks', 'over-12-weeks'],
    source: 'OHWB service default (verify with the OH physician and physiotherapy lead)',
  },
  advice: {
    'emergency-department':
      'Go to A&E now or call 999. Some of your answers can be a sign of pressure on the nerves at the ' +
      'bottom of your spine, which needs to be checked in hospital straight away. Do not wait for a ' +
      'physiotherapy or occupational health appointment.',
    'urgent-care':
      'Contact your GP today or call NHS 111. Some of your answers mean a doctor should check you today, ' +
      `before you start physiotherapy. ${SAFETY_NET}`,
    'fast-track-physiotherapy':
      'We will offer you a fast-track physiotherapy appointment. Until then, keep as active as you can ' +
      `and use pain relief if you need it. ${SAFETY_NET}`,
    'supported-self-care':
      'You can look after this yourself for now: keep moving, carry on with your normal activities as much ' +
      'as you can, and use pain relief if you need it. If it is not getting better after 6 weeks, gets ' +
      `worse, or stops you doing your duties, refer yourself again. ${SAFETY_NET}`,
  },
};

/**
 * A person's answers. Every red flag is answered; the severity and function answers are needed only
 * when no red flag is "yes" (a person with a red flag is sent on without being asked more).
 */
export type MskTriageAnswers = {
  redFlags: Record<RedFlagCode, boolean>;
  area?: MskArea;
  painScore?: number;
  duration?: MskDuration;
  normalDuties?: MskNormalDuties;
};

/** The route, the red flags answered "yes" (codes, emergency ones first) and what to tell the person. */
export type MskTriageResult = { route: MskRoute; redFlags: RedFlagCode[]; advice: string; version: number };

/**
 * Routes a self-referral. Red flags first: any emergency flag → emergency department; else any
 * urgent flag → urgent care. Without red flags: fast-track physiotherapy when the pain score, the
 * effect on normal duties or the duration meets `rules.fastTrack`; otherwise supported self-care.
 *
 * @param answers the person's answers (see parseMskTriageAnswers)
 * @param rules the triage rule set (defaults to the current version); its version is returned to record
 * @throws Invalid when no red flag is "yes" and a severity or function answer is missing
 */
export function triageMsk(answers: MskTriageAnswers, rules: MskTriageRules = MSK_TRIAGE): MskTriageResult {
  const yes = (code: RedFlagCode) => answers.redFlags[code] === true;
  const emergency = rules.emergencyFlags.map((q) => q.code).filter(yes);
  const urgent = rules.urgentFlags.map((q) => q.code).filter(yes);
  const redFlags: RedFlagCode[] = [...emergency, ...urgent];
  const result = (route: MskRoute): MskTriageResult => ({
    route,
    redFlags,
    advice: rules.advice[route],
    version: rules.version,
  });

  if (emergency.length > 0) return result('emergency-department');
  if (urgent.length > 0) return result('urgent-care');

  const { painScore, duration, normalDuties } = answers;
  if (
    painScore === undefined ||
    duration === undefined ||
    normalDuties === undefined ||
    answers.area === undefined
  ) {
    throw new Invalid('Answer every question about your pain so we can suggest the right help.', [
      ...missing('area', answers.area, rules.area.errorMessage),
      ...missing('painScore', painScore, rules.painScore.errorMessage),
      ...missing('duration', duration, rules.duration.errorMessage),
      ...missing('normalDuties', normalDuties, rules.normalDuties.errorMessage),
    ]);
  }
  const fastTrack =
    painScore >= rules.fastTrack.painScoreAtLeast ||
    rules.fastTrack.normalDuties.includes(normalDuties) ||
    rules.fastTrack.durations.includes(duration);
  return result(fastTrack ? 'fast-track-physiotherapy' : 'supported-self-care');
}

function missing(field: string, value: unknown, message: string): FieldError[] {
  return value === undefined ? [{ path: `/${field}`, message }] : [];
}

/** True for an answer left blank (a form posts an empty string for an untouched text input). */
function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function parseYesNo(value: unknown): boolean | undefined {
  if (value === true || value === 'yes') return true;
  if (value === false || value === 'no') return false;
  return undefined;
}

function parseChoice<Value extends string>(
  question: MskChoiceQuestion<Value>,
  value: unknown,
): Value | undefined {
  return question.options.find((option) => option.value === value)?.value;
}

function parseScale(question: MskScaleQuestion, value: unknown): number | undefined {
  // Forms post numbers as text; accept digits only, so "7.5", "1e1" and " " are refused.
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  return typeof number === 'number' &&
    Number.isInteger(number) &&
    number >= question.min &&
    number <= question.max
    ? number
    : undefined;
}

/**
 * Validates a submitted triage form: `{ redFlags: { <code>: 'yes' | 'no' | boolean }, area, painScore,
 * duration, normalDuties }`. Every red-flag question must be answered yes or no. The other answers may be
 * left out only when a red flag is "yes", so that nothing delays urgent advice; an answer that is given
 * must still be valid. Unknown keys are ignored.
 *
 * @param input the submitted form (body already parsed into an object)
 * @param rules the triage rule set the form was built from
 * @returns the answers, ready for triageMsk
 * @throws Invalid listing every field at fault: `/redFlags/<code>`, `/area`, `/painScore`, `/duration`,
 *   `/normalDuties`
 */
export function parseMskTriageAnswers(
  input: Record<string, unknown>,
  rules: MskTriageRules = MSK_TRIAGE,
): MskTriageAnswers {
  const errors: FieldError[] = [];
  const rawFlags: Record<string, unknown> =
    typeof input.redFlags === 'object' && input.redFlags !== null
      ? (input.redFlags as Record<string, unknown>)
      : {};

  const redFlags = {} as Record<RedFlagCode, boolean>;
  for (const question of [...rules.emergencyFlags, ...rules.urgentFlags]) {
    const answer = parseYesNo(Object.hasOwn(rawFlags, question.code) ? rawFlags[question.code] : undefined);
    if (answer === undefined)
      errors.push({ path: `/redFlags/${question.code}`, message: question.errorMessage });
    else redFlags[question.code] = answer;
  }
  const anyRedFlag = Object.values(redFlags).some(Boolean);

  const field = <T>(
    code: string,
    errorMessage: string,
    parse: (value: unknown) => T | undefined,
  ): T | undefined => {
    const raw = input[code];
    if (isBlank(raw)) {
      if (!anyRedFlag) errors.push({ path: `/${code}`, message: errorMessage });
      return undefined;
    }
    const value = parse(raw);
    if (value === undefined) errors.push({ path: `/${code}`, message: errorMessage });
    return value;
  };
  const area = field('area', rules.area.errorMessage, (v) => parseChoice(rules.area, v));
  const painScore = field('painScore', rules.painScore.errorMessage, (v) => parseScale(rules.painScore, v));
  const duration = field('duration', rules.duration.errorMessage, (v) => parseChoice(rules.duration, v));
  const normalDuties = field('normalDuties', rules.normalDuties.errorMessage, (v) =>
    parseChoice(rules.normalDuties, v),
  );

  if (errors.length > 0) throw new Invalid('Answer every question so we can suggest the right help.', errors);
  return {
    redFlags,
    ...(area === undefined ? {} : { area }),
    ...(painScore === undefined ? {} : { painScore }),
    ...(duration === undefined ? {} : { duration }),
    ...(normalDuties === undefined ? {} : { normalDuties }),
  };
}
