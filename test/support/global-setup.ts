import { openDatabase } from '../../src/db/database.ts';

/** On a PostgreSQL server, migrate once before the test files share the database. */
export default async function setup(): Promise<void> {
  const url = process.env.OHWB_TEST_DATABASE_URL;
  if (!url) return;
  const database = await openDatabase({ databaseUrl: url, dataDir: 'memory://', poolSize: 2 });
  await database.migrate();
  await database.close();
}
