#!/usr/bin/env bash
# The whole suite: unit tests, integration tests on PGlite and on a PostgreSQL server
# this script starts, and end-to-end tests in Chromium (installed with apt when missing).
# `npm test` runs all; `bash scripts/test.sh unit|int|e2e` runs one tier.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
[ -d node_modules ] || npm ci --no-audit --no-fund
mkdir -p .tmp
rm -f .tmp/results-*.json

vitest() { local name=$1; shift; npx vitest run --reporter=default --reporter=json --outputFile.json=".tmp/results-$name.json" "$@"; }

status=0
if [ "$what" = all ] || [ "$what" = unit ]; then
  echo "== unit" && vitest unit --project unit || status=1
fi
if [ "$what" = all ] || [ "$what" = int ]; then
  echo "== integration on PGlite" && vitest int-pglite --project int || status=1
  echo "== integration on a PostgreSQL server"
  (
    # shellcheck source=scripts/pg-server.sh
    source scripts/pg-server.sh
    psql "$PG_URL_BASE/postgres" -qc 'create database ohwb_test' >/dev/null
    OHWB_TEST_DATABASE_URL="$PG_URL_BASE/ohwb_test" vitest int-postgres --project int
  ) || status=1
fi
if [ "$what" = all ] || [ "$what" = e2e ]; then
  if ! command -v chromium >/dev/null 2>&1; then
    echo "Chromium not found; installing Debian's chromium with apt-get" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  echo "== end to end in Chromium" && vitest e2e --project e2e || status=1
fi

node scripts/test-summary.mjs .tmp/results-*.json || status=1
exit $status
