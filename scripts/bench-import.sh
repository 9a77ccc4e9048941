#!/usr/bin/env bash
# `npm run bench:import`: the staff import beside PostgreSQL's own COPY, on a throwaway server.
#  1. starts PostgreSQL (scripts/pg-server.sh) and creates an empty database;
#  2. runs bench/staff-import.bench.ts, which writes an ESR-style CSV of BENCH_IMPORT_ROWS rows
#     (default 200,000), times `importStaff` into an empty organisation, then `\copy` of the same
#     file into an unindexed table of text columns, and prints rows/s for each and the ratio
#     (goal: the import at least half as fast as COPY).
# The server and the file are removed on exit. BENCH_IMPORT_ROWS=20000 gives a quick check;
# BENCH_PROFILE=<dir> writes a CPU profile of the benchmark's Node.js process there.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund

# shellcheck source=scripts/pg-server.sh
source scripts/pg-server.sh
WORK=$(mktemp -d /tmp/ohwb-bench-import.XXXXXX)
cleanup() { rm -rf "$WORK"; stop_pg; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

psql "$PG_URL_BASE/postgres" -qc 'create database ohwb_bench_import' >/dev/null
# Fixed, public values: this database is thrown away at the end.
DATABASE_URL="$PG_URL_BASE/ohwb_bench_import" OHWB_DATA_KEY='MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=' \
  OHWB_DATA_DIR="$WORK/data" BENCH_WORK="$WORK" LOG_LEVEL=warn \
  node ${BENCH_PROFILE:+--cpu-prof --cpu-prof-dir="$BENCH_PROFILE"} --import tsx bench/staff-import.bench.ts
echo "Done in ${SECONDS} s." >&2
