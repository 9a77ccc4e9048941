import cliProgress from 'cli-progress';
import type { ServiceContext } from '../services/shared/context.ts';
import { type GenerateResult, generateNational } from '../services/synthetic/national-generator.service.ts';

/** The options of `ohwb generate`, as commander parses them. */
export type GenerateCommandOptions = {
  scale: string;
  seed: string;
  years: string;
  prefix: string;
  concurrency: string;
};

/**
 * `ohwb generate`: makes the synthetic national data set with a progress bar, then prints
 * what it made, how long it took and the analyst sign-ins.
 */
export async function runGenerate(
  ctx: ServiceContext,
  options: GenerateCommandOptions,
  demoPassword: string | null,
): Promise<void> {
  const bar = new cliProgress.SingleBar(
    {
      format:
        'Generating |{bar}| {percentage}% | {value}/{total} steps | {step} | {duration_formatted} (about {eta_formatted} to go)',
      hideCursor: true,
      etaBuffer: 20,
      // Redraw at least once a second, so the clock moves during a long step.
      fps: 1,
      noTTYOutput: true,
      notTTYSchedule: 30_000,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let result: GenerateResult;
  try {
    result = await generateNational(ctx, {
      scale: Number(options.scale),
      seed: Number(options.seed),
      years: Number(options.years),
      prefix: options.prefix,
      concurrency: Number(options.concurrency),
      password: demoPassword,
      onProgress: ({ done, total, step }) => {
        if (!started) {
          bar.start(total, done, { step });
          started = true;
        } else bar.update(done, { step });
      },
    });
  } finally {
    if (started) bar.stop();
  }
  printResult(result);
}

function printResult(result: GenerateResult): void {
  const { counts } = result;
  const minutes = Math.floor(result.seconds / 60);
  const seconds = Math.round(result.seconds % 60);
  console.log(`Synthetic national data made in ${minutes} min ${seconds} s:`);
  const rows: Array<[string, number]> = [
    ['systems', counts.systems],
    ['organisations', counts.organisations],
    ['OH providers', counts.providers],
    ['user accounts', counts.users],
    ['staff records', counts.people],
    ['referrals', counts.referrals],
    ['cases', counts.cases],
    ['appointments', counts.appointments],
    ['consultations', counts.consultations],
    ['reports', counts.reports],
    ['PHQ-9 and GAD-7 measures', counts.measures],
  ];
  for (const [label, count] of rows)
    console.log(`  ${label.padEnd(26)} ${count.toLocaleString('en-GB').padStart(12)}`);
  console.log(`Try the reports on system ${result.examples.system} and NHS trust ${result.examples.trust}.`);
  console.log('Analysts (one per system ICB, then the national analyst):');
  for (const email of result.analysts) console.log(`  ${email}`);
  console.log(
    result.passwordWasGenerated
      ? `Password for every synthetic account (shown once; set OHWB_DEMO_PASSWORD to choose it): ${result.password}`
      : 'Password for every synthetic account: the value of OHWB_DEMO_PASSWORD.',
  );
}
