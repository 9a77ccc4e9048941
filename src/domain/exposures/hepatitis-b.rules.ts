/**
 * Hepatitis B status from a person's immunisation record, for the BBV pathway.
 * Bands are the defaults of DOMAIN.md (UKHSA Green Book ch. 18; verify, configurable):
 * anti-HBs ≥ 100 mIU/mL responder; 10–99 one more dose and retest; < 10 non-responder.
 */
export const HEPATITIS_B_RULES = {
  responderLevel: 100,
  lowResponderLevel: 10,
  /** Doses in a primary course (standard 0, 1, 6 months; accelerated and very rapid courses add a fourth at 12 months). */
  courseDoses: 3,
  source: 'UKHSA Green Book ch. 18 (hepatitis B): anti-HBs 1–4 months after a course (verify)',
} as const;

export type HepatitisBStatus = {
  code:
    | 'no-record'
    | 'course-incomplete'
    | 'course-complete-untested'
    | 'responder'
    | 'low-responder'
    | 'non-responder';
  label: string;
  doses: number;
  lastDoseOn: string | null;
  latestLevel: { level: number; on: string } | null;
  source: string;
};

type Entry = { kind: string; onDate: string; dose: number | null; level: number | null };

/** The person's hepatitis B status from their doses and antibody results (any order). */
export function hepatitisBStatus(record: readonly Entry[]): HepatitisBStatus {
  const sorted = [...record].sort((a, b) => a.onDate.localeCompare(b.onDate));
  const doses = sorted.filter((e) => e.kind === 'dose');
  const levels = sorted.filter((e) => e.kind === 'antibody-level' && e.level !== null);
  const lastDose = doses.at(-1) ?? null;
  const latest = levels.at(-1) ?? null;
  const base = {
    doses: doses.length,
    lastDoseOn: lastDose?.onDate ?? null,
    latestLevel: latest ? { level: latest.level as number, on: latest.onDate } : null,
    source: HEPATITIS_B_RULES.source,
  };
  if (doses.length === 0 && !latest)
    return { ...base, code: 'no-record', label: 'No hepatitis B vaccination on record' };
  if (latest) {
    const level = latest.level as number;
    if (level >= HEPATITIS_B_RULES.responderLevel) {
      return { ...base, code: 'responder', label: `Responder (anti-HBs ${level} mIU/mL)` };
    }
    if (level >= HEPATITIS_B_RULES.lowResponderLevel) {
      return { ...base, code: 'low-responder', label: `Low responder (anti-HBs ${level} mIU/mL)` };
    }
    return { ...base, code: 'non-responder', label: `Non-responder (anti-HBs ${level} mIU/mL)` };
  }
  if (doses.length < HEPATITIS_B_RULES.courseDoses) {
    return {
      ...base,
      code: 'course-incomplete',
      label: `Course not complete (${doses.length} of ${HEPATITIS_B_RULES.courseDoses} doses)`,
    };
  }
  return { ...base, code: 'course-complete-untested', label: 'Course complete; antibody level not tested' };
}
