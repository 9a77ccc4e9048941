import { Command } from 'commander';
import { readConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { loadFieldCipher } from '../db/field-cipher.ts';
import { buildServer } from '../server.ts';
import { verifyAuditChains } from '../services/audit/audit.service.ts';
import { purgeExpiredSessions } from '../services/auth/auth.service.ts';
import { addUser } from '../services/auth/users.service.ts';
import { seedDemoWorld } from '../services/demo/demo-world.service.ts';
import { deliverOutbox, queueTaskReminders } from '../services/notifications/notifications.service.ts';
import { smtpSender } from '../services/notifications/smtp.ts';
import { isEmpty, listAllOrganisationIds } from '../services/organisations/organisations.service.ts';
import { refreshAllKpiDays } from '../services/reporting/kpi-days.service.ts';
import { startDueRetirementPathways } from '../services/retirement/retirement.service.ts';
import { createServiceContext, type ServiceContext } from '../services/shared/context.ts';
import { type GenerateCommandOptions, runGenerate } from './generate.command.ts';
import { runImportStaff } from './import-staff.command.ts';

const config = readConfig();

async function withContext<T>(work: (ctx: ServiceContext) => Promise<T>): Promise<T> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: 4,
  });
  try {
    await database.migrate();
    const ctx = createServiceContext({
      db: database.db,
      engine: database.engine,
      prepared: database.prepared,
      preparedIn: database.preparedIn,
      cipher: loadFieldCipher(config.dataKey, config.dataDir),
    });
    return await work(ctx);
  } finally {
    await database.close();
  }
}

function printDemo(result: Awaited<ReturnType<typeof seedDemoWorld>>): void {
  console.log(
    `Demo world created: system northmoor, ${result.people} staff records, ${result.users.length} demo users.`,
  );
  console.log('Sign in as any of these (role@organisation):');
  for (const email of result.users) console.log(`  ${email}`);
  console.log(
    result.passwordWasGenerated
      ? `Password for every demo user (shown once; set OHWB_DEMO_PASSWORD to choose it): ${result.password}`
      : 'Password for every demo user: the value of OHWB_DEMO_PASSWORD.',
  );
}

const program = new Command('ohwb').description('OHWB: occupational health and wellbeing for police and NHS');

program
  .command('serve')
  .description('Run the web service (pages and API)')
  .option('--demo-if-empty', 'create the demo world when the database is empty')
  .action(async (options: { demoIfEmpty?: boolean }) => {
    const { app, ctx } = await buildServer(config);
    if (options.demoIfEmpty && (await isEmpty(ctx))) {
      printDemo(await seedDemoWorld(ctx, { password: config.demoPassword }));
    }
    const close = async () => {
      await app.close();
      process.exit(0);
    };
    process.on('SIGINT', close);
    process.on('SIGTERM', close);
    // Expired sessions are refused anyway; this keeps the table small. Any instance may do it.
    setInterval(() => purgeExpiredSessions(ctx).catch(() => undefined), 3_600_000).unref();
    // Background work, safe to run on every instance at once (each step claims its rows).
    const every = (ms: number, work: () => Promise<unknown>) => {
      const run = () =>
        work().catch((error: unknown) => app.log.error({ err: error }, 'background work failed'));
      setTimeout(run, 5_000).unref();
      setInterval(run, ms).unref();
    };
    every(5 * 60_000, () => queueTaskReminders(ctx, config.publicUrl));
    every(3_600_000, () => startDueRetirementPathways(ctx));
    // Reports bring their own organisations' KPI roll-up up to date; this leaves them little to do.
    every(30_000, () => refreshAllKpiDays(ctx));
    if (config.smtpUrl) {
      const send = smtpSender(config.smtpUrl, config.mailFrom);
      every(60_000, async () => {
        const { errors } = await deliverOutbox(ctx, send);
        for (const error of errors) app.log.warn({ error }, 'email not sent; it will be tried again');
      });
    }
    await app.listen({ port: config.port, host: config.host });
    console.log(`OHWB is running on http://localhost:${config.port}`);
  });

program
  .command('migrate')
  .description('Apply database migrations')
  .action(async () => {
    await withContext(async () => undefined);
    console.log('Database is up to date.');
  });

program
  .command('demo')
  .description('Create the demo world (system northmoor) in an empty database')
  .action(async () => {
    await withContext(async (ctx) => {
      if (!(await isEmpty(ctx))) {
        console.error('The database already holds data; the demo world goes only into an empty database.');
        process.exitCode = 1;
        return;
      }
      printDemo(await seedDemoWorld(ctx, { password: config.demoPassword }));
    });
  });

program
  .command('generate')
  .description('Make a synthetic national workforce and three years of activity (PostgreSQL only)')
  .option('--scale <fraction>', 'fraction of the 2,000,000 staff', '1')
  .option('--seed <number>', 'seed of the pseudo-random data', '1')
  .option('--years <number>', 'years of activity ending today', '3')
  .option('--prefix <text>', 'put before every slug (several synthetic countries in one database)', '')
  .option('--concurrency <number>', 'systems generated at once', '2')
  .action(async (options: GenerateCommandOptions) => {
    await withContext((ctx) => runGenerate(ctx, options, config.demoPassword));
  });

program
  .command('audit')
  .description('Audit trail tools')
  .command('verify')
  .description('Check the hash chain of every audit lane; exit code 1 if one is broken')
  .action(async () => {
    await withContext(async (ctx) => {
      const organisations = await listAllOrganisationIds(ctx);
      const broken = await verifyAuditChains(ctx, organisations);
      if (broken.length === 0) {
        console.log('Every audit chain is intact.');
        return;
      }
      console.error(`Broken audit chains: ${broken.join(', ')}`);
      process.exitCode = 1;
    });
  });

program
  .command('kpis')
  .description('The KPI roll-up behind the reports')
  .command('refresh')
  .description('Compute every day of the KPI roll-up that changes have touched (ohwb serve also does this)')
  .action(async () => {
    await withContext(async (ctx) => {
      const started = Date.now();
      const days = await refreshAllKpiDays(ctx, (sofar) =>
        process.stderr.write(`\r${sofar.toLocaleString('en-GB')} organisation-days computed`),
      );
      if (days > 0) process.stderr.write('\n');
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(
        `The KPI roll-up is up to date (${days.toLocaleString('en-GB')} organisation-days computed in ${seconds} s).`,
      );
    });
  });

const user = program.command('user').description('Manage users');
user
  .command('add')
  .description('Add a user with roles in one organisation')
  .requiredOption('--email <email>', 'sign-in email')
  .requiredOption('--name <name>', 'display name')
  .requiredOption('--organisation <slug>', 'organisation slug')
  .requiredOption('--roles <roles>', 'comma-separated roles, e.g. oh-clinician,oh-admin')
  .option('--person <id>', 'link to a staff record')
  .option(
    '--password <password>',
    'password (at least 12 characters); read from OHWB_NEW_PASSWORD when absent',
  )
  .action(
    async (o: {
      email: string;
      name: string;
      organisation: string;
      roles: string;
      person?: string;
      password?: string;
    }) => {
      await withContext(async (ctx) => {
        const created = await addUser(ctx, {
          email: o.email,
          name: o.name,
          organisationSlug: o.organisation,
          roles: o.roles
            .split(',')
            .map((r) => r.trim())
            .filter(Boolean),
          personId: o.person ?? null,
          password: o.password ?? process.env.OHWB_NEW_PASSWORD,
        });
        console.log(`User ${o.email} added (${created.id}).`);
      });
    },
  );

program
  .command('import')
  .description('Load data from files')
  .command('staff <file>')
  .description('Import an organisation’s staff from a CSV file (docs/workforce-import.md)')
  .requiredOption('--organisation <slug>', 'organisation slug')
  .action(async (file: string, o: { organisation: string }) => {
    await withContext((ctx) => runImportStaff(ctx, file, o.organisation));
  });

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
