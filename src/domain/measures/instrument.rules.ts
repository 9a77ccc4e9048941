import { type FieldError, Invalid } from '../shared/errors.ts';

/** The validated questionnaires OHWB scores (DOMAIN.md, "Instruments"). */
export const INSTRUMENT_CODES = ['PHQ-9', 'GAD-7'] as const;
/** A validated questionnaire OHWB scores. */
export type InstrumentCode = (typeof INSTRUMENT_CODES)[number];

/** A severity band. GAD-7 has no "moderately severe" band; PHQ-9 uses all five. */
export type Severity = 'minimal' | 'mild' | 'moderate' | 'moderately-severe' | 'severe';

/** A flag that a set of answers raises whatever its total. */
export type MeasureFlag = 'self-harm-risk';

/** A closed range of totals (both ends included) and the severity it stands for. */
export type InstrumentBand = { from: number; to: number; severity: Severity };

/** An item whose answer alone raises a flag: answer ≥ `atLeast` at `itemIndex` (0-based) → `flag`. */
export type ItemFlagRule = { itemIndex: number; atLeast: number; flag: MeasureFlag; source: string };

/** One questionnaire as data: its wording, its codes, its bands and where they come from. */
export type InstrumentDefinition = {
  code: InstrumentCode;
  title: string;
  /** The question put before every item. */
  stem: string;
  /** The items in order, in the instrument's published wording. */
  items: readonly string[];
  itemCount: number;
  itemMin: number;
  itemMax: number;
  /** The answer labels; an answer's score is its index. */
  answerLabels: readonly string[];
  /** LOINC answer codes in the same order as `answerLabels` (for FHIR QuestionnaireResponse). */
  answerLoinc: readonly string[];
  /** LOINC code of the whole questionnaire (panel). */
  loincPanel: string;
  /** LOINC code of the total score (for a FHIR Observation). */
  loincTotal: string;
  totalMax: number;
  /** Bands in ascending order, contiguous, covering 0 to `totalMax`. */
  bands: readonly InstrumentBand[];
  itemFlags: readonly ItemFlagRule[];
  source: string;
  copyright: string;
};

// Both instruments share one answer scale and the same LOINC answer list (LL358-3).
const FREQUENCY_LABELS = [
  'Not at all',
  'Several days',
  'More than half the days',
  'Nearly every day',
] as const;
const FREQUENCY_LOINC = ['LA6568-5', 'LA6569-3', 'LA6570-1', 'LA6571-9'] as const;

// phqscreeners.com states this permission for the PHQ and GAD-7 family.
const PFIZER_NOTICE =
  'Developed by Drs Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an ' +
  'educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute.';

/**
 * PHQ-9 and GAD-7 as data. The wording is the published English wording (free to use); the bands
 * are the authors' published cut points. The PHQ-9's unscored tenth question (how difficult the
 * problems have made work) is not part of the total and is left out here.
 */
export const INSTRUMENTS: Record<InstrumentCode, InstrumentDefinition> = {
  'PHQ-9': {
    code: 'PHQ-9',
    title: 'Patient Health Questionnaire (PHQ-9)',
    stem: 'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
    items: [
      'Little interest or pleasure in doing things',
      'Feeling down, depressed, or hopeless',
      'Trouble falling or staying asleep, or sleeping too much',
      'Feeling tired or having little energy',
      'Poor appetite or overeating',
      'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
      'Trouble concentrating on things, such as reading the newspaper or watching television',
      'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so ' +
        'fidgety or restless that you have been moving around a lot more than usual',
      'Thoughts that you would be better off dead or of hurting yourself in some way',
    ],
    itemCount: 9,
    itemMin: 0,
    itemMax: 3,
    answerLabels: FREQUENCY_LABELS,
    answerLoinc: FREQUENCY_LOINC,
    loincPanel: '44249-1',
    loincTotal: '44261-6',
    totalMax: 27,
    // Kroenke 2001: "cutpoints of 5, 10, 15, and 20 represented mild, moderate, moderately severe,
    // and severe depression".
    bands: [
      { from: 0, to: 4, severity: 'minimal' },
      { from: 5, to: 9, severity: 'mild' },
      { from: 10, to: 14, severity: 'moderate' },
      { from: 15, to: 19, severity: 'moderately-severe' },
      { from: 20, to: 27, severity: 'severe' },
    ],
    itemFlags: [
      {
        // Item 9 asks about thoughts of death or self-harm: any answer other than "Not at all" needs
        // a same-day risk follow-up even when the total is minimal.
        itemIndex: 8,
        atLeast: 1,
        flag: 'self-harm-risk',
        source:
          'DOMAIN.md "Instruments": item 9 > 0 → same-day risk follow-up, whatever the total; ' +
          'PHQ-9 instructions: a positive item 9 calls for assessment of suicide risk.',
      },
    ],
    source:
      'Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity measure. ' +
      'J Gen Intern Med 2001;16(9):606–613.',
    copyright: PFIZER_NOTICE,
  },
  'GAD-7': {
    code: 'GAD-7',
    title: 'Generalised Anxiety Disorder Assessment (GAD-7)',
    stem: 'Over the last 2 weeks, how often have you been bothered by the following problems?',
    items: [
      'Feeling nervous, anxious or on edge',
      'Not being able to stop or control worrying',
      'Worrying too much about different things',
      'Trouble relaxing',
      'Being so restless that it is hard to sit still',
      'Becoming easily annoyed or irritable',
      'Feeling afraid as if something awful might happen',
    ],
    itemCount: 7,
    itemMin: 0,
    itemMax: 3,
    answerLabels: FREQUENCY_LABELS,
    answerLoinc: FREQUENCY_LOINC,
    loincPanel: '69737-5',
    loincTotal: '70274-6',
    totalMax: 21,
    // Spitzer 2006: "cut points of 5, 10, and 15 might be interpreted as representing mild, moderate,
    // and severe levels of anxiety".
    bands: [
      { from: 0, to: 4, severity: 'minimal' },
      { from: 5, to: 9, severity: 'mild' },
      { from: 10, to: 14, severity: 'moderate' },
      { from: 15, to: 21, severity: 'severe' },
    ],
    itemFlags: [],
    source:
      'Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized anxiety ' +
      'disorder: the GAD-7. Arch Intern Med 2006;166(10):1092–1097.',
    copyright: PFIZER_NOTICE,
  },
};

/** A scored answer set. */
export type MeasureScore = { total: number; severity: Severity; flags: MeasureFlag[] };

/**
 * Scores one completed questionnaire. An answer set with a missing or bad item is refused, not
 * scored (DOMAIN.md), because a partial total would understate severity.
 *
 * @param instrument which questionnaire was answered
 * @param answers one score per item, in item order (0 = "Not at all" … 3 = "Nearly every day")
 * @returns the total, its severity band, and any flags raised by single items
 * @throws Invalid with `/answers` for a wrong number of answers and `/answers/<index>` (0-based) for
 *   each item that is missing, not a whole number, or out of range
 */
export function scoreMeasure(instrument: InstrumentCode, answers: readonly unknown[]): MeasureScore {
  const definition = INSTRUMENTS[instrument];
  const errors: FieldError[] = [];
  const given: readonly unknown[] = Array.isArray(answers) ? answers : [];

  if (given.length !== definition.itemCount) {
    errors.push({
      path: '/answers',
      message:
        given.length < definition.itemCount
          ? `Answer all ${definition.itemCount} questions`
          : `There are ${definition.itemCount} questions but ${given.length} answers were given`,
    });
  }

  const scores: number[] = [];
  for (let index = 0; index < definition.itemCount; index++) {
    const answer = given[index];
    const number = index + 1;
    if (answer === undefined || answer === null || answer === '') {
      errors.push({ path: `/answers/${index}`, message: `Answer question ${number}` });
    } else if (
      typeof answer !== 'number' ||
      !Number.isInteger(answer) ||
      answer < definition.itemMin ||
      answer > definition.itemMax
    ) {
      errors.push({
        path: `/answers/${index}`,
        message: `Answer ${number} must be a whole number from ${definition.itemMin} to ${definition.itemMax}`,
      });
    } else {
      scores.push(answer);
    }
  }

  if (errors.length > 0) {
    throw new Invalid(`Check the ${instrument} answers: every question needs one answer.`, errors);
  }

  const total = scores.reduce((sum, score) => sum + score, 0);
  const flags = definition.itemFlags
    .filter((rule) => (scores[rule.itemIndex] ?? 0) >= rule.atLeast)
    .map((rule) => rule.flag);
  return { total, severity: severityOf(instrument, total), flags };
}

/**
 * The severity band of a total on an instrument.
 *
 * @throws Invalid when the total is not a whole number within the instrument's range
 */
export function severityOf(instrument: InstrumentCode, total: number): Severity {
  const band = INSTRUMENTS[instrument].bands.find((b) => total >= b.from && total <= b.to);
  if (!band || !Number.isInteger(total)) {
    throw new Invalid(
      `A ${instrument} total must be a whole number from 0 to ${INSTRUMENTS[instrument].totalMax}.`,
      [{ path: '/total', message: `Enter a total from 0 to ${INSTRUMENTS[instrument].totalMax}` }],
    );
  }
  return band.severity;
}

const SEVERITY_LABELS: Record<Severity, string> = {
  minimal: 'Minimal',
  mild: 'Mild',
  moderate: 'Moderate',
  'moderately-severe': 'Moderately severe',
  severe: 'Severe',
};

/** A severity as a person reads it, e.g. "Moderately severe". */
export function severityLabel(severity: Severity): string {
  return SEVERITY_LABELS[severity];
}
