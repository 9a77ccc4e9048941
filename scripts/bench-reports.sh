#!/usr/bin/env bash
# `npm run bench:reports`: the equity and KPI reports for one NHS trust, one system and the
# whole country, on the synthetic national data set, timed beside hand-written SQL.
#  1. starts PostgreSQL 15 (scripts/pg-server.sh) tuned for a 2-core, 24 GB machine;
#  2. creates a database, migrates it and runs `ohwb generate --scale $BENCH_SCALE` (default 1:
#     2,000,000 staff, about 3 million referrals and 10 million appointments; tens of minutes);
#  3. runs bench/reports.bench.ts (median of BENCH_RUNS runs after a warm-up, default 5).
# BENCH_SCALE=0.05 gives a quick check. BENCH_DATABASE_URL=postgres://… skips steps 1–2 and
# times a database that already holds the synthetic data (made with OHWB_DEMO_PASSWORD set to
# BENCH_PASSWORD, default below). BENCH_SYSTEM / BENCH_TRUST choose the scopes (default: the
# largest system and its largest trust). The throwaway server and its data are removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund

export BENCH_SCALE=${BENCH_SCALE:-1}
# Fixed, public values: the database is made up and thrown away.
export BENCH_PASSWORD=${BENCH_PASSWORD:-bench-synthetic-password}
BENCH_DATA_KEY='MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=' # base64 of 32 bytes

if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  DATABASE_URL=$BENCH_DATABASE_URL
else
  # About a quarter of the memory for PostgreSQL's buffers and the rest left to the page cache;
  # two workers per query for the national scans (two cores); SSD-like random reads; no JIT,
  # whose compile time costs more than it saves on reports of a few hundred milliseconds.
  export PG_EXTRA_OPTS="-c shared_buffers=6GB -c effective_cache_size=16GB -c work_mem=64MB \
    -c maintenance_work_mem=1GB -c max_wal_size=16GB -c checkpoint_timeout=30min \
    -c max_worker_processes=8 -c max_parallel_workers=4 -c max_parallel_workers_per_gather=2 \
    -c random_page_cost=1.1 -c effective_io_concurrency=200 -c jit=off ${PG_EXTRA_OPTS:-}"
  # shellcheck source=scripts/pg-server.sh
  source scripts/pg-server.sh
  WORK=$(mktemp -d /tmp/ohwb-bench-reports.XXXXXX)
  cleanup() { rm -rf "$WORK"; stop_pg; }
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  psql "$PG_URL_BASE/postgres" -qc 'create database ohwb_reports' >/dev/null
  DATABASE_URL="$PG_URL_BASE/ohwb_reports"

  echo "Generating the synthetic national data set at scale $BENCH_SCALE ($(nproc) CPUs)" >&2
  generated=$SECONDS
  env DATABASE_URL="$DATABASE_URL" OHWB_DATA_KEY="$BENCH_DATA_KEY" OHWB_DATA_DIR="$WORK/data" \
    OHWB_DEMO_PASSWORD="$BENCH_PASSWORD" LOG_LEVEL=warn \
    node --import tsx src/cli/main.ts generate --scale "$BENCH_SCALE"
  # The service's role does not own the tables (row-level security), so the owner refreshes
  # the planner's statistics and the visibility map.
  psql "$DATABASE_URL" -qc 'vacuum (analyze)'
  echo "Generated in $((SECONDS - generated)) s; database size: $(psql "$DATABASE_URL" -Atc \
    "select pg_size_pretty(pg_database_size(current_database()))")" >&2
fi

echo "Timing the reports" >&2
DATABASE_URL="$DATABASE_URL" OHWB_DATA_KEY="$BENCH_DATA_KEY" LOG_LEVEL=warn \
  node --import tsx bench/reports.bench.ts
