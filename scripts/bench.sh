#!/usr/bin/env bash
# `npm run bench`: API load test on a throwaway PostgreSQL server.
#  1. starts PostgreSQL (scripts/pg-server.sh) and seeds the demo world into a new database;
#  2. starts `ohwb serve` and the ceiling server (bench/ceiling-server.ts), each in its own process;
#  3. runs bench/api-load.ts: autocannon, 50 connections, BENCH_DURATION seconds (default 20)
#     per scenario, and prints req/s, p50, p99 and the ratio to the ceiling.
# Everything listens on 127.0.0.1 and is stopped on exit. BENCH_DURATION=5 gives a quick check.
# BENCH_ONLY=reads (or referrals) runs one scenario besides the ceiling; BENCH_PROFILE=dir writes
# CPU profiles of `ohwb serve` and of the ceiling server there (ohwb/, ceiling/).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund

export BENCH_DURATION=${BENCH_DURATION:-20}
export BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-50}
# Fixed, public values: this database is thrown away at the end.
export BENCH_PASSWORD='bench-demo-password'
BENCH_DATA_KEY='MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=' # base64 of 32 bytes

# shellcheck source=scripts/pg-server.sh
source scripts/pg-server.sh
WORK=$(mktemp -d /tmp/ohwb-bench.XXXXXX)
PIDS=()
cleanup() {
  local code=$?
  if [ "$code" != 0 ]; then
    for log in "$WORK"/ohwb.log "$WORK"/ceiling.log; do
      [ -s "$log" ] && { echo "--- last lines of $(basename "$log"):" >&2; tail -n 20 "$log" >&2; }
    done
  fi
  for pid in "${PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null || echo "A server (pid $pid) had stopped before the end of the run." >&2
    kill -INT "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
  stop_pg
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

# Waits until a URL answers 200, or fails with the server's log.
wait_for() {
  local url=$1 pid=$2 log=$3
  for _ in $(seq 1 120); do
    if curl -sf -o /dev/null "$url"; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "The server stopped while starting:" >&2; tail -n 40 "$log" >&2; exit 1; fi
    sleep 0.5
  done
  echo "No answer from $url after 60 s:" >&2; tail -n 40 "$log" >&2; exit 1
}

DATABASE_URL="$PG_URL_BASE/ohwb_bench"
psql "$PG_URL_BASE/postgres" -qc 'create database ohwb_bench' >/dev/null

ohwb_env=(DATABASE_URL="$DATABASE_URL" OHWB_DATA_KEY="$BENCH_DATA_KEY" OHWB_DATA_DIR="$WORK/data"
  OHWB_DEMO_PASSWORD="$BENCH_PASSWORD" LOG_LEVEL=warn HOST=127.0.0.1)

echo "Seeding the demo world" >&2
env "${ohwb_env[@]}" node --import tsx src/cli/main.ts demo >"$WORK/demo.log" 2>&1 \
  || { cat "$WORK/demo.log" >&2; exit 1; }
head -n 1 "$WORK/demo.log" >&2

OHWB_PORT=$(free_port)
env "${ohwb_env[@]}" PORT="$OHWB_PORT" node ${BENCH_PROFILE:+--cpu-prof --cpu-prof-dir="$BENCH_PROFILE/ohwb"} --import tsx src/cli/main.ts serve >"$WORK/ohwb.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$OHWB_PORT/health" "${PIDS[-1]}" "$WORK/ohwb.log"

CEILING_PORT=$(free_port)
DATABASE_URL="$DATABASE_URL" PORT="$CEILING_PORT" node ${BENCH_PROFILE:+--cpu-prof --cpu-prof-dir="$BENCH_PROFILE/ceiling"} --import tsx bench/ceiling-server.ts >"$WORK/ceiling.log" 2>&1 &
PIDS+=($!)

# Twenty cases of northmoor-hospitals, which the demo OH clinician serves.
BENCH_CASE_IDS=$(psql "$DATABASE_URL" -At -c "select string_agg(id::text, ',') from (select c.id from cases c
  join organisations o on o.id = c.organisation_id where o.slug = 'northmoor-hospitals' order by c.id limit 20) t")
[ -n "$BENCH_CASE_IDS" ] || { echo "No northmoor-hospitals cases found in the demo world." >&2; exit 1; }
wait_for "http://127.0.0.1:$CEILING_PORT/cases/${BENCH_CASE_IDS%%,*}" "${PIDS[-1]}" "$WORK/ceiling.log"

echo "Load ($(nproc) CPUs shared by PostgreSQL, the servers and autocannon)" >&2
status=0
OHWB_URL="http://127.0.0.1:$OHWB_PORT" CEILING_URL="http://127.0.0.1:$CEILING_PORT" BENCH_CASE_IDS="$BENCH_CASE_IDS" \
  node --import tsx bench/api-load.ts || status=$?
if grep -q '"level":50' "$WORK/ohwb.log"; then
  echo "ohwb serve logged errors during the run:" >&2
  grep '"level":50' "$WORK/ohwb.log" | tail -n 5 >&2
fi
echo "Done in ${SECONDS} s." >&2
exit $status
