#!/usr/bin/env bash
# The statistics engine against the SQLite GROUP BY baseline and against DuckDB, on the same
# events in the same run (not in CI; figures: docs/benchmarks.md, "Statistics").
#   tests/bench/statistics_duckdb_bench.sh [EVENTS] [BUILD_DIR] [WORK_DIR]
# 1. ix_statistics_bench generates EVENTS events (10 years, municipality 0180), imports them into
#    a SQLite store, runs every report in one pass of the engine and the SQLite GROUP BY
#    baseline, compares them cell by cell, and writes the same events as NDJSON.
# 2. tests/statistics/duckdb/recompute.mjs loads that NDJSON into DuckDB (in memory), computes
#    snapshot, movements, KAS, equality and trend in SQL, times each, runs `ixctl report <kind> --internal` on
#    the kept store (one pass each, timed, peak memory) and compares the cells.
# 3. `ixctl report all --internal` (every report, one pass) for the total time and peak memory.
# Run it niced on a shared machine: nice -n 10 tests/bench/statistics_duckdb_bench.sh 10000000
set -euo pipefail
events=${1:-10000000}
build=$(cd "${2:-build}" && pwd)
work=${3:-$(mktemp -d)}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
ixctl=$build/adapters/cli/ixctl
bench=$build/tests/statistics/ix_statistics_bench
for f in "$ixctl" "$bench"; do [ -x "$f" ] || { echo "missing $f (build the tests first)" >&2; exit 2; }; done
cleanup() { rm -f "$work"/ix-bench-*.sqlite* "$work/events.ndjson" "$work/all.json"; }
trap cleanup EXIT

echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); load: $(uptime | sed 's/.*load average: //')"
echo "== engine and SQLite GROUP BY (ix_statistics_bench --events $events)"
/usr/bin/time -f "ix_statistics_bench: %e s wall, peak %M KiB" \
  "$bench" --events "$events" --dir "$work" --keep --ndjson "$work/events.ndjson" | tee "$work/bench.txt"
store=$(sed -n 's/^store kept *//p' "$work/bench.txt")
echo "load: $(uptime | sed 's/.*load average: //')"
echo "== DuckDB (in memory) against ixctl report, per report, same events"
node "$here/../statistics/duckdb/recompute.mjs" --ixctl "$ixctl" --work "$work" --events "$work/events.ndjson" \
  --store "$store" --municipality 0180 --at 2023-12-31 --from 2022-01-01 --to 2023-12-31 --time --no-protected
echo "load: $(uptime | sed 's/.*load average: //')"
echo "== every report in one pass (ixctl report all --internal)"
/usr/bin/time -f "ixctl report all: %e s wall, peak %M KiB" \
  "$ixctl" report all --internal --format json --municipality 0180 --from 2022-01-01 --to 2023-12-31 \
  --at 2023-12-31 --store "$store" -o "$work/all.json"
echo "end: $(date -u '+%H:%M:%S UTC'); load: $(uptime | sed 's/.*load average: //')"
