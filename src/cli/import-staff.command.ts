import fs from 'node:fs';
import cliProgress from 'cli-progress';
import type { ServiceContext } from '../services/shared/context.ts';
import { importStaffAsOperator, type StaffImportResult } from '../services/workforce/staff-import.service.ts';

/** How many rejected rows the command prints; the rest are counted. */
const SHOWN = 20;

/**
 * `ohwb import staff <file> --organisation <slug>`: streams a staff CSV into an
 * organisation with a progress bar (bytes of the file read), then prints the counts and
 * the first rejected rows. Exit code 0 when every row was kept, 2 when some were rejected.
 */
export async function runImportStaff(ctx: ServiceContext, file: string, organisation: string): Promise<void> {
  const size = (await fs.promises.stat(file)).size;
  const bar = new cliProgress.SingleBar(
    {
      format: 'Importing |{bar}| {percentage}% | {value}/{total} bytes | {rows} rows | {duration_formatted}',
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 10_000,
    },
    cliProgress.Presets.shades_classic,
  );
  // Started by the first progress report, so a refusal (no such organisation, a bad header) prints no bar.
  let started = false;
  let result: StaffImportResult;
  try {
    result = await importStaffAsOperator(ctx, {
      organisation,
      csv: fs.createReadStream(file),
      onProgress: ({ bytes, rows }) => {
        if (started) bar.update(bytes, { rows });
        else {
          bar.start(size, bytes, { rows });
          started = true;
        }
      },
    });
  } finally {
    if (started) bar.stop();
  }
  printResult(organisation, result);
  if (result.rejectedCount > 0) process.exitCode = 2;
}

function printResult(organisation: string, result: StaffImportResult): void {
  console.log(
    `Staff of ${organisation}: ${result.created} created, ${result.updated} updated, ${result.left} left, ` +
      `${result.unchanged} unchanged, ${result.rejectedCount} rejected.`,
  );
  if (result.rejectedCount > 0) {
    console.log('Rejected rows (line 1 is the header):');
    for (const { line, message } of result.rejected.slice(0, SHOWN))
      console.log(`  line ${line}: ${message}`);
    if (result.rejectedCount > SHOWN) console.log(`  … and ${result.rejectedCount - SHOWN} more.`);
  }
  if (result.warnings.length > 0) {
    console.log('Saved without a manager:');
    for (const { line, message } of result.warnings.slice(0, SHOWN))
      console.log(`  line ${line}: ${message}`);
    if (result.warnings.length > SHOWN) console.log(`  … and ${result.warnings.length - SHOWN} more.`);
  }
}
