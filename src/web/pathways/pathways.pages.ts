import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { canPublishRuleSet } from '../../domain/access/pathway.policy.ts';
import type { Actor } from '../../domain/access/roles.ts';
import {
  ASSIGNEE_LABELS,
  type Condition,
  type RuleSet,
  ruleSetErrors,
  type StepRule,
} from '../../domain/pathways/rule-set.ts';
import {
  describeInterval,
  INTERVAL_UNITS,
  type Interval,
  type IntervalUnit,
} from '../../domain/pathways/timing.ts';
import { type FieldError, Forbidden, NotFound } from '../../domain/shared/errors.ts';
import {
  listRuleSets,
  publishRuleSet,
  type RuleSetVersion,
} from '../../services/pathways/pathways.service.ts';
import { type FormBody, field, formErrorsFrom } from '../shared/forms.ts';
import { redirectWithMessage, render } from '../shared/render.ts';
import { pageActor } from '../shared/session.ts';
import type { WebDeps } from '../web.plugin.ts';

/** The three times of a step, as the form names them. */
const PARTS = ['opens', 'due', 'closes'] as const;
type Part = (typeof PARTS)[number];
const RULE_KEY: Record<Part, 'opensAfter' | 'dueAfter' | 'closesAfter'> = {
  opens: 'opensAfter',
  due: 'dueAfter',
  closes: 'closesAfter',
};
const PART_OF_RULE_KEY: Record<string, Part> = {
  opensAfter: 'opens',
  dueAfter: 'due',
  closesAfter: 'closes',
};
const PART_WORDS: Record<Part, string> = { opens: 'opens', due: 'is due', closes: 'closes' };

/**
 * Words for the settings a rule set may carry. The domain names them for code; a
 * physician needs to know what the number does before changing it.
 */
const SETTING_WORDS: Record<string, { label: string; hint: string }> = {
  outreachThreshold: {
    label: 'Traumatic incidents that prompt an offer of support',
    hint: 'When a person’s logged incidents within the window reach this number, OH offers support. It is an offer, never a compulsory referral.',
  },
  outreachWindowMonths: {
    label: 'Window for counting traumatic incidents, in months',
    hint: 'Incidents older than this do not count towards the number above.',
  },
  leadMonths: {
    label: 'Months before the retirement date that preparation starts',
    hint: 'How far ahead of the retirement date the pathway begins.',
  },
};

/**
 * Pathways whose numbers are settings of another rule set: proactive outreach reads
 * its threshold and window from the TRiM rule set (incidents.service).
 */
const SETTINGS_ELSEWHERE: Record<string, string> = { 'trauma-outreach': 'trim' };

/** Words for the facts that step and test conditions read (set when a pathway starts). */
const FACT_WORDS: Record<string, (values: string) => string> = {
  highRiskHcv: () => 'the exposure carries a high risk of hepatitis C',
  avulsed: () => 'an adult tooth was knocked out',
  route: (values) => `the triage route is ${values}`,
};

function settingWords(key: string) {
  return (
    SETTING_WORDS[key] ?? {
      label: key.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase()),
      hint: '',
    }
  );
}

/** "6 weeks after the moment of exposure", "6 months before the retirement date", "the same day as the injury". */
export function intervalInWords(interval: Interval, anchor: string): string {
  const words = describeInterval(interval);
  if (interval.amount === 0) return interval.endOfDay ? `the same day as ${anchor}` : `at ${anchor}`;
  return interval.amount < 0 ? `${words} ${anchor}` : `${words} after ${anchor}`;
}

/** A step or test condition in plain English. */
export function conditionInWords(condition: Condition): string {
  const values = condition.is
    .map((v) => (v === true ? 'yes' : v === false ? 'no' : String(v).replace(/-/g, ' ')))
    .join(' or ');
  const words = FACT_WORDS[condition.fact];
  if (words && !condition.is.includes(false)) return words(values);
  return `${condition.fact} is ${values}`;
}

/** The versions of one pathway, newest first, and the one in force (the provider's own, else the shipped one). */
type Pathway = { current: RuleSetVersion; versions: RuleSetVersion[] };

/** Groups the versions the service lists by code, with the one the service marks in force. */
function pathwaysFrom(versions: RuleSetVersion[]): Map<string, Pathway> {
  const byCode = new Map<string, RuleSetVersion[]>();
  for (const v of versions) byCode.set(v.code, [...(byCode.get(v.code) ?? []), v]);
  const pathways = new Map<string, Pathway>();
  for (const [code, list] of byCode) {
    const sorted = [...list].sort((a, b) => b.version - a.version);
    const current = sorted.find((v) => v.inForce) ?? sorted[0];
    if (current) pathways.set(code, { current, versions: sorted });
  }
  return pathways;
}

async function loadPathway(ctx: WebDeps['ctx'], actor: Actor, code: string): Promise<Pathway> {
  const pathway = /^[a-z0-9-]{2,40}$/.test(code)
    ? pathwaysFrom(await listRuleSets(ctx, actor)).get(code)
    : undefined;
  if (!pathway) throw new NotFound('No such pathway.');
  return pathway;
}

/** The page offers publishing only to those the service will let publish (the same policy). */
function requirePublisher(actor: Actor): void {
  if (!canPublishRuleSet(actor)) {
    throw new Forbidden('Only an OH physician can publish a new version of a pathway.');
  }
}

const publishedView = (v: RuleSetVersion) => ({
  version: v.version,
  shipped: v.shipped,
  publishedAt: v.publishedAt,
  publishedBy: v.publishedBy,
  changeNote: v.changeNote,
});

function stepView(step: StepRule, index: number, anchor: string) {
  return {
    number: index + 1,
    title: step.title,
    completes: step.completes,
    assignee: ASSIGNEE_LABELS[step.assignee] ?? step.assignee,
    opens: step.opensAfter ? intervalInWords(step.opensAfter, anchor) : null,
    due: intervalInWords(step.dueAfter, anchor),
    closes: step.closesAfter ? intervalInWords(step.closesAfter, anchor) : null,
    condition: step.when ? conditionInWords(step.when) : null,
    tests: (step.tests ?? []).map((test) => ({
      name: test.note ? `${test.name} (${test.note})` : test.name,
      condition: test.when ? conditionInWords(test.when) : null,
    })),
    source: step.source,
  };
}

/** What the edit form shows and re-shows: every value exactly as typed. */
type StepValues = Record<`${Part}Amount` | `${Part}Unit` | 'source', string> & { dueEndOfDay: boolean };
type EditValues = {
  baseVersion: string;
  steps: StepValues[];
  settings: Record<string, string>;
  changeNote: string;
};

function valuesFromRuleSet(ruleSet: RuleSet, version: number): EditValues {
  return {
    baseVersion: String(version),
    steps: ruleSet.steps.map((step) => ({
      opensAmount: step.opensAfter ? String(step.opensAfter.amount) : '',
      opensUnit: step.opensAfter?.unit ?? '',
      dueAmount: String(step.dueAfter.amount),
      dueUnit: step.dueAfter.unit,
      dueEndOfDay: step.dueAfter.endOfDay === true,
      closesAmount: step.closesAfter ? String(step.closesAfter.amount) : '',
      closesUnit: step.closesAfter?.unit ?? '',
      source: step.source,
    })),
    settings: Object.fromEntries(Object.entries(ruleSet.settings ?? {}).map(([k, v]) => [k, String(v)])),
    changeNote: '',
  };
}

function valuesFromBody(body: FormBody, ruleSet: RuleSet): EditValues {
  return {
    baseVersion: field(body, 'baseVersion'),
    steps: ruleSet.steps.map((_, i) => ({
      opensAmount: field(body, `steps[${i}][opensAmount]`),
      opensUnit: field(body, `steps[${i}][opensUnit]`),
      dueAmount: field(body, `steps[${i}][dueAmount]`),
      dueUnit: field(body, `steps[${i}][dueUnit]`),
      dueEndOfDay: field(body, `steps[${i}][dueEndOfDay]`) === 'yes',
      closesAmount: field(body, `steps[${i}][closesAmount]`),
      closesUnit: field(body, `steps[${i}][closesUnit]`),
      source: field(body, `steps[${i}][source]`),
    })),
    settings: Object.fromEntries(
      Object.keys(ruleSet.settings ?? {}).map((key) => [key, field(body, `settings[${key}]`)]),
    ),
    changeNote: field(body, 'changeNote'),
  };
}

/** A typed amount: a whole number, perhaps with a minus sign (typed or pasted as a dash). */
function parseAmount(text: string): number | null {
  const normal = text.replace(/^[\u2212\u2013]/, '-').replace(/\s+/g, '');
  return /^-?\d{1,6}$/.test(normal) ? Number(normal) : null;
}

/**
 * The steps and settings the form asks for, built on the version in force: only the
 * times and sources change; code, title, who, what completes it, conditions and tests
 * are kept. A time that could not be read keeps the old one and reports an error, so
 * the domain can still check the rest of the form in the same round.
 */
function readEditForm(values: EditValues, ruleSet: RuleSet) {
  const errors: FieldError[] = [];
  const unreadSteps = new Set<number>();
  const steps = ruleSet.steps.map((step, i) => {
    const typed = values.steps[i] as StepValues;
    const next: StepRule = { ...step, source: typed.source };
    for (const part of PARTS) {
      const key = RULE_KEY[part];
      const amountText = typed[`${part}Amount`];
      const unit = typed[`${part}Unit`];
      if (amountText === '' && part !== 'due') {
        delete next[key as 'opensAfter' | 'closesAfter'];
        continue;
      }
      const at = `/steps/${i}/${part}`;
      const known = INTERVAL_UNITS.includes(unit as IntervalUnit);
      if (amountText === '') {
        errors.push({
          path: `${at}Amount`,
          message: `Enter when “${step.title}” is due, for example 6 weeks`,
        });
        unreadSteps.add(i);
        continue;
      }
      const amount = parseAmount(amountText);
      if (amount === null) {
        errors.push({
          path: `${at}Amount`,
          message: `Enter when “${step.title}” ${PART_WORDS[part]} as a whole number, for example 6`,
        });
        unreadSteps.add(i);
      }
      if (!known) {
        errors.push({
          path: `${at}Unit`,
          message: `Choose hours, days, weeks or another unit for when “${step.title}” ${PART_WORDS[part]}`,
        });
        unreadSteps.add(i);
      }
      if (amount === null || !known) continue;
      // "By the end of that day" is asked for the due time; opening and closing times keep theirs.
      const endOfDay = part === 'due' ? typed.dueEndOfDay : step[key]?.endOfDay === true;
      next[key] = { amount, unit: unit as IntervalUnit, ...(endOfDay ? { endOfDay: true } : {}) };
    }
    return next;
  });
  let settings: Record<string, number> | undefined;
  if (ruleSet.settings) {
    settings = { ...ruleSet.settings };
    for (const key of Object.keys(ruleSet.settings)) {
      const text = (values.settings[key] ?? '').replace(/[\s,]/g, '');
      if (/^\d{1,6}$/.test(text)) settings[key] = Number(text);
      else
        errors.push({
          path: `/settings/${key}`,
          message: `Enter ${settingWords(key).label.toLowerCase()} as a whole number, for example 5`,
        });
    }
  }
  if (values.changeNote === '') errors.push({ path: '/changeNote', message: 'Enter what changed and why' });
  return { steps, settings, errors, unreadSteps };
}

/** JSON with keys in a fixed order, to tell whether anything changed (stored JSON reorders keys). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Puts an error from the domain or the service (paths like /steps/3/dueAfter/amount)
 * on the form field that holds the value, and names the step or setting in the
 * message so that the error summary makes sense on its own.
 */
function toFormError(error: FieldError, ruleSet: RuleSet): FieldError {
  const interval = /^\/steps\/(\d+)\/(opensAfter|dueAfter|closesAfter)(?:\/(amount|unit))?$/.exec(error.path);
  const stepIndex = /^\/steps\/(\d+)/.exec(error.path)?.[1];
  const step = stepIndex === undefined ? undefined : ruleSet.steps[Number(stepIndex)];
  const named = (what: string) =>
    step && !error.message.includes(step.title)
      ? `${step.title} (${what}): ${lowerFirst(error.message)}`
      : error.message;
  if (interval) {
    const part = PART_OF_RULE_KEY[interval[2] as string] as Part;
    // The order rules (opens before due, closes no earlier) come without a field: say what to do.
    const advice = interval[3] === undefined ? ORDER_ADVICE[part] : '';
    return {
      path: `/steps/${interval[1]}/${part}${interval[3] === 'unit' ? 'Unit' : 'Amount'}`,
      message: `${named(part)}${advice}`,
    };
  }
  if (step && /^\/steps\/\d+\/source$/.test(error.path))
    return { path: error.path, message: named('source') };
  if (step) return { path: `/steps/${stepIndex}/dueAmount`, message: named('due') };
  if (error.path === '/steps') return { path: '/steps/0/dueAmount', message: error.message };
  const setting = /^\/settings\/([A-Za-z0-9]+)$/.exec(error.path)?.[1];
  if (setting && ruleSet.settings && Object.hasOwn(ruleSet.settings, setting)) {
    return { path: error.path, message: `${settingWords(setting).label}: ${lowerFirst(error.message)}` };
  }
  return { path: '/changeNote', message: error.message };
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

const ORDER_ADVICE: Record<Part, string> = {
  opens: ' Make ‘Opens’ earlier than ‘Due’, or leave it blank.',
  due: '',
  closes: ' Make ‘Closes’ no earlier than ‘Due’, or leave it blank.',
};

/** The order of the form's fields, so the error summary lists problems top to bottom. */
function fieldOrder(ruleSet: RuleSet): string[] {
  return [
    ...ruleSet.steps.flatMap((_, i) => [
      ...PARTS.flatMap((part) => [`/steps/${i}/${part}Amount`, `/steps/${i}/${part}Unit`]),
      `/steps/${i}/source`,
    ]),
    ...Object.keys(ruleSet.settings ?? {}).map((key) => `/settings/${key}`),
    '/changeNote',
  ];
}

function inFormOrder(errors: FieldError[], ruleSet: RuleSet): FieldError[] {
  const order = fieldOrder(ruleSet);
  const rank = (e: FieldError) => {
    const at = order.indexOf(e.path);
    return at === -1 ? order.length : at;
  };
  const seen = new Set<string>();
  return [...errors]
    .sort((a, b) => rank(a) - rank(b))
    .filter((e) => {
      const key = `${e.path}|${e.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

const codeOf = (request: FastifyRequest) => (request.params as { code: string }).code;

/** Pathway rule sets: versions, sources, and publishing a new version (OH physician). */
export const pathwayPages: FastifyPluginAsync<WebDeps> = async (app, { ctx }) => {
  const csrf = { preHandler: app.csrfProtection };

  app.get('/pathways', async (request, reply) => {
    const pathways = pathwaysFrom(await listRuleSets(ctx, pageActor(request)));
    const rows = [...pathways.values()]
      .map(({ current }) => ({
        code: current.code,
        title: current.ruleSet.title,
        anchor: current.ruleSet.anchor,
        ...publishedView(current),
      }))
      .sort((a, b) => a.title.localeCompare(b.title, 'en-GB'));
    return render(request, reply, 'pages/pathways.njk', { title: 'Pathways', rows, width: 'full' });
  });

  app.get('/pathways/:code', async (request, reply) => {
    const actor = pageActor(request);
    const { current, versions } = await loadPathway(ctx, actor, codeOf(request));
    const ruleSet = current.ruleSet;
    return render(request, reply, 'pages/pathway.njk', {
      title: ruleSet.title,
      width: 'full',
      backHref: '/pathways',
      pathway: { code: current.code, title: ruleSet.title, anchor: ruleSet.anchor, source: ruleSet.source },
      current: publishedView(current),
      steps: ruleSet.steps.map((step, i) => stepView(step, i, ruleSet.anchor)),
      settings: Object.entries(ruleSet.settings ?? {}).map(([key, value]) => ({
        ...settingWords(key),
        value,
      })),
      history: versions.map(publishedView),
      settingsElsewhere: SETTINGS_ELSEWHERE[current.code] ?? null,
      canPublish: canPublishRuleSet(actor),
    });
  });

  const renderEdit = (
    request: FastifyRequest,
    reply: FastifyReply,
    { current, versions }: Pathway,
    values: EditValues,
    errors?: FieldError[],
  ) => {
    const ruleSet = current.ruleSet;
    const nextVersion = Math.max(...versions.map((v) => v.version)) + 1;
    return render(
      request,
      reply,
      'pages/pathway-edit.njk',
      {
        title: `Publish a new version of ${ruleSet.title}`,
        backHref: `/pathways/${current.code}`,
        pathway: { code: current.code, title: ruleSet.title, anchor: ruleSet.anchor },
        current: publishedView(current),
        nextVersion,
        units: INTERVAL_UNITS,
        countsBack: ruleSet.steps.some((s) =>
          [s.opensAfter, s.dueAfter, s.closesAfter].some((i) => i && i.amount < 0),
        ),
        steps: ruleSet.steps.map((step, i) => stepView(step, i, ruleSet.anchor)),
        settings: Object.keys(ruleSet.settings ?? {}).map((key) => ({ key, ...settingWords(key) })),
        settingsElsewhere: SETTINGS_ELSEWHERE[current.code] ?? null,
        values,
        ...(errors ? { errors } : {}),
      },
      errors ? 400 : 200,
    );
  };

  app.get('/pathways/:code/edit', async (request, reply) => {
    const actor = pageActor(request);
    const pathway = await loadPathway(ctx, actor, codeOf(request));
    requirePublisher(actor);
    return renderEdit(
      request,
      reply,
      pathway,
      valuesFromRuleSet(pathway.current.ruleSet, pathway.current.version),
    );
  });

  app.post('/pathways/:code/edit', csrf, async (request, reply) => {
    const actor = pageActor(request);
    const pathway = await loadPathway(ctx, actor, codeOf(request));
    requirePublisher(actor);
    const { current } = pathway;
    const ruleSet = current.ruleSet;
    const values = valuesFromBody((request.body ?? {}) as FormBody, ruleSet);
    const form = readEditForm(values, ruleSet);
    let errors: FieldError[];
    if (values.baseVersion !== String(current.version)) {
      // Someone published while this form was open: show it, keep what was typed, ask again.
      errors = [
        {
          path: '/steps/0/opensAmount',
          message: `Version ${current.version} was published${current.publishedBy ? ` by ${current.publishedBy}` : ''} while you were editing. Check your changes against it on the pathway page, then publish again.`,
        },
      ];
      values.baseVersion = String(current.version);
    } else if (form.errors.length > 0) {
      // The domain checks the times that could be read, so every problem shows in one round.
      const ruleErrors = ruleSetErrors({ ...ruleSet, steps: form.steps, settings: form.settings })
        .filter((e) => !form.unreadSteps.has(Number(/^\/steps\/(\d+)/.exec(e.path)?.[1] ?? -1)))
        .map((e) => toFormError(e, ruleSet));
      errors = [...form.errors, ...ruleErrors];
    } else if (
      canonical(form.steps) === canonical(ruleSet.steps) &&
      canonical(form.settings ?? null) === canonical(ruleSet.settings ?? null)
    ) {
      errors = [
        {
          path: '/steps/0/opensAmount',
          message: `Nothing has changed from version ${current.version}. Change a time, a source or a setting before publishing, or go back.`,
        },
      ];
    } else {
      try {
        const published = await publishRuleSet(ctx, actor, current.code, {
          steps: form.steps,
          ...(form.settings ? { settings: form.settings } : {}),
          changeNote: values.changeNote,
        });
        return redirectWithMessage(
          reply,
          `/pathways/${current.code}`,
          `Version ${published.version} published. Cases already running keep the version they started on.`,
        );
      } catch (error) {
        errors = formErrorsFrom(error, 'changeNote').map((e) => toFormError(e, ruleSet));
      }
    }
    return renderEdit(request, reply, pathway, values, inFormOrder(errors, ruleSet));
  });
};
