/**
 * The ceiling for API reads: a bare Fastify server with one route that reads one row
 * of `cases` by primary key through `pg`, with the same pool size as `ohwb serve`.
 * No auth, no audit, no transaction: what an OHWB read could at best approach.
 * Run by scripts/bench.sh in its own process: DATABASE_URL and PORT are required.
 */
import Fastify from 'fastify';
import pg from 'pg';

const databaseUrl = process.env.DATABASE_URL;
const port = Number(process.env.PORT);
if (!databaseUrl || !Number.isInteger(port)) {
  console.error('ceiling-server needs DATABASE_URL and PORT.');
  process.exit(2);
}

// 20 connections, as openDatabase() gives `ohwb serve`.
const pool = new pg.Pool({ connectionString: databaseUrl, max: 20 });
const app = Fastify({ logger: false });

app.get<{ Params: { id: string } }>('/cases/:id', async (request, reply) => {
  const { rows } = await pool.query('select * from cases where id = $1', [request.params.id]);
  if (!rows[0]) return reply.code(404).send({ status: 404, title: 'Not found' });
  return rows[0];
});

const stop = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

await app.listen({ host: '127.0.0.1', port });
