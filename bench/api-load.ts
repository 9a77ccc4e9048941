/**
 * Load test of the API against a running `ohwb serve` and the ceiling server
 * (bench/ceiling-server.ts), both started by scripts/bench.sh, which passes:
 *
 * - OHWB_URL, CEILING_URL: base URLs of the two servers (loopback);
 * - BENCH_PASSWORD: the demo users' password;
 * - BENCH_CASE_IDS: comma-separated ids of northmoor-hospitals cases;
 * - BENCH_DURATION (seconds per scenario, default 20), BENCH_CONNECTIONS (default 50).
 *
 * Scenarios: (a) an OH clinician reads cases, (b) a manager refers team members,
 * (c) the ceiling reads one row of `cases` by key. Prints a table and a verdict
 * against the goal "reads at least 60 % of the ceiling".
 */
import autocannon, { type Request, type Result } from 'autocannon';

const GOAL = 0.6;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run the benchmark with npm run bench.`);
  return value;
}

const ohwbUrl = required('OHWB_URL');
const ceilingUrl = required('CEILING_URL');
const password = required('BENCH_PASSWORD');
const caseIds = required('BENCH_CASE_IDS').split(',').filter(Boolean);
const duration = Number(process.env.BENCH_DURATION ?? 20);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const warmup = Math.max(1, Math.min(3, Math.round(duration / 5)));

type Json = Record<string, unknown>;

async function callJson(method: string, url: string, body?: unknown, token?: string) {
  const response = await fetch(url, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : null) as Json };
}

async function signIn(email: string): Promise<{ token: string; personId: string | null }> {
  const { status, json } = await callJson('POST', `${ohwbUrl}/api/v1/auth/token`, { email, password });
  if (status !== 200) throw new Error(`Signing in as ${email} gave ${status}: ${JSON.stringify(json)}`);
  const user = json.user as { personId: string | null };
  return { token: json.token as string, personId: user.personId };
}

/** A management referral of one team member, with consent recorded yesterday. */
function referralBody(personId: string): string {
  return JSON.stringify({
    personId,
    reason: 'Back pain since a manual handling incident; struggling with night shifts.',
    questions: ['Is there an underlying health condition?', 'What adjustments would help?'],
    consent: { given: true, recordedAt: new Date(Date.now() - 86_400_000).toISOString() },
  });
}

async function load(title: string, url: string, requests: Request[], headers: Record<string, string>) {
  process.stderr.write(
    `  ${title}: ${warmup} s warm-up, then ${duration} s with ${connections} connections\n`,
  );
  // A server that has stopped shows up as a wall of connection errors; say so plainly instead.
  const alive = await fetch(`${url}/health`).then(
    () => true,
    () => false,
  );
  if (!alive) throw new Error(`${url} does not answer any more; see the server log above.`);
  return autocannon({
    title,
    url,
    connections,
    duration,
    headers,
    requests,
    warmup: { connections, duration: warmup },
  });
}

// Sign in, find the manager's team, and check each scenario answers as expected before loading it.
const clinician = await signIn('oh-clinician@northmoor-hospitals.demo.ohwb.test');
const manager = await signIn('manager@northmoor-hospitals.demo.ohwb.test');
const team = await callJson(
  'GET',
  `${ohwbUrl}/api/v1/people?organisation=northmoor-hospitals`,
  undefined,
  manager.token,
);
const teamIds = ((team.json?.items ?? []) as Array<{ id: string; managerId: string | null }>)
  .filter((p) => p.managerId === manager.personId)
  .map((p) => p.id);
if (team.status !== 200 || teamIds.length === 0) {
  throw new Error(`The manager's team could not be listed (${team.status}): ${JSON.stringify(team.json)}`);
}
const probeRead = await callJson('GET', `${ohwbUrl}/api/v1/cases/${caseIds[0]}`, undefined, clinician.token);
if (probeRead.status !== 200 || probeRead.json.view !== 'oh') {
  throw new Error(`GET /api/v1/cases/{id} gave ${probeRead.status}: ${JSON.stringify(probeRead.json)}`);
}
const probeCeiling = await callJson('GET', `${ceilingUrl}/cases/${caseIds[0]}`);
if (probeCeiling.status !== 200) throw new Error(`The ceiling server gave ${probeCeiling.status}.`);

const json = { 'content-type': 'application/json' };
const ceiling = await load(
  '(c) ceiling',
  ceilingUrl,
  caseIds.map((id) => ({ method: 'GET', path: `/cases/${id}` })),
  {},
);
// BENCH_ONLY=reads (or referrals) loads just that scenario besides the ceiling, e.g. to profile it.
const only = process.env.BENCH_ONLY ?? '';
const loadUnlessSkipped = (name: string, ...args: Parameters<typeof load>) =>
  only !== '' && only !== name ? Promise.resolve(null) : load(...args);
const reads = await loadUnlessSkipped(
  'reads',
  '(a) reads',
  ohwbUrl,
  caseIds.map((id) => ({ method: 'GET', path: `/api/v1/cases/${id}` })),
  { authorization: `Bearer ${clinician.token}` },
);
const writes = await loadUnlessSkipped(
  'referrals',
  '(b) referrals',
  ohwbUrl,
  teamIds.map((id) => ({ method: 'POST', path: '/api/v1/referrals', body: referralBody(id) })),
  { ...json, authorization: `Bearer ${manager.token}` },
);

function failures(result: Result, expected: string): string {
  const codes = Object.entries(result.statusCodeStats)
    .filter(([code]) => code !== expected)
    .map(([code, { count }]) => `${count}×${code}`);
  const errors = result.errors ? [`${result.errors} errors`] : [];
  return [...codes, ...errors].join(', ') || '0';
}

const measured: Array<[string, Result | null, string]> = [
  ['(a) GET /api/v1/cases/{id} — OH clinician, full view', reads, '200'],
  ['(b) POST /api/v1/referrals — manager, with consent', writes, '201'],
  ['(c) ceiling — bare Fastify + pg, one cases row by key', ceiling, '200'],
];
const rows = measured.filter((row): row is [string, Result, string] => row[1] !== null);
const ceilingRate = ceiling.requests.average;
const table = [
  ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'failed', 'vs ceiling'],
  ...rows.map(([name, r, expected]) => [
    name,
    r.requests.average.toFixed(0),
    String(r.latency.p50),
    String(r.latency.p99),
    failures(r, expected),
    `${((100 * r.requests.average) / ceilingRate).toFixed(0)} %`,
  ]),
];
const widths = table[0]?.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length))) ?? [];
const line = (row: string[]) =>
  `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(' | ')} |`;

console.log(
  `\nOHWB benchmark: ${connections} connections, ${duration} s per scenario (after ${warmup} s warm-up), loopback`,
);
console.log(line(table[0] ?? []));
console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
for (const row of table.slice(1)) console.log(line(row));
if (reads) {
  const ratio = reads.requests.average / ceilingRate;
  const met = ratio >= GOAL;
  console.log(
    `\nVerdict: reads reach ${(100 * ratio).toFixed(0)} % of the ceiling; goal "reads at least ${100 * GOAL} % of the ceiling" ${met ? 'MET' : 'NOT MET'}.`,
  );
}
const anyFailed = rows.some(([, r, expected]) => failures(r, expected) !== '0');
if (anyFailed) {
  console.log('Some requests failed (see the "failed" column): the figures above are not trustworthy.');
  process.exitCode = 1;
}
