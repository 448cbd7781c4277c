#!/usr/bin/env bash
# The statistics engine against the SQLite GROUP BY baseline and against DuckDB, on the same
# events in the same run (not in CI; figures: docs/benchmarks.md, "Statistics").
#   tests/bench/statistics_duckdb_bench.sh [EVENTS] [BUILD_DIR] [WORK_DIR]
# 1. ix_statistics_bench generates EVENTS events (10 years, municipality 0180), imports them into
#    a SQLite store, runs every report in one pass of the engine and the SQLite GROUP BY
#    baseline, compares them cell by cell, and writes the same events as NDJSON.
# 2. tests/statistics/duckdb/recompute.mjs loads that NDJSON into DuckDB (in memory), computes
#    every report in SQL (snapshot, movements, KAS, equality, trend, lead times, outcomes,
#    caseload, indicators: tests/statistics/duckdb/reports.mjs), times each, runs `ixctl report
#    <kind> --internal` on the kept store (one pass each, timed, peak memory) and compares the cells.
# 3. `ixctl report all --internal` (every report, one pass) for the total time and peak memory.
# Environment:
#   IX_BENCH_STORE and IX_BENCH_NDJSON  reuse a store that `ixctl import` made from that NDJSON
#       (step 1 then runs the engine and the baseline over it, without generating or importing:
#       one import of a large file serves this bench and store_backends_bench.sh); EVENTS is
#       ignored. IX_BENCH_MUNICIPALITY (default 0180), IX_BENCH_FROM / IX_BENCH_TO: the period
#       (default 2022-01-01 to 2023-12-31; the snapshot on the last day).
#   IX_BENCH_BEFORE_IXCTL  another ixctl (e.g. a build of the previous commit): steps 2 and 3 run
#       with it too, right before, so the before/after ratio comes from the same run.
#   IX_BENCH_BEFORE_STORE  the store that ixctl reads (default: the same store), when the two
#       builds' store schemas differ: a copy of the store at the older schema (the newer build
#       migrates a store the first time it opens it; the older one refuses a newer schema).
# Run it niced on a shared machine: nice -n 10 tests/bench/statistics_duckdb_bench.sh 10000000
set -euo pipefail
events=${1:-10000000}
build=$(cd "${2:-build}" && pwd)
work=${3:-$(mktemp -d)}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
ixctl=$build/adapters/cli/ixctl
bench=$build/tests/statistics/ix_statistics_bench
for f in "$ixctl" "$bench" ${IX_BENCH_BEFORE_IXCTL:+"$IX_BENCH_BEFORE_IXCTL"}; do
  [ -x "$f" ] || { echo "missing $f (build the tests first)" >&2; exit 2; }
done
municipality=${IX_BENCH_MUNICIPALITY:-0180}
from=${IX_BENCH_FROM:-2022-01-01}
to=${IX_BENCH_TO:-2023-12-31}
cleanup() { rm -f "$work"/ix-bench-*.sqlite* "$work/events.ndjson" "$work/all.json"; }
[ -n "${IX_BENCH_STORE:-}" ] || trap cleanup EXIT
load() { echo "$(date -u '+%H:%M:%S UTC'), load average $(uptime | sed 's/.*load average: //')"; }

echo "date: $(date -u '+%Y-%m-%d'); $(load)"
if [ -n "${IX_BENCH_STORE:-}" ]; then
  store=$IX_BENCH_STORE
  ndjson=${IX_BENCH_NDJSON:?IX_BENCH_NDJSON: the NDJSON the store was imported from}
  echo "== engine and SQLite GROUP BY over $store ($(wc -l < "$ndjson") events in $ndjson)"
  /usr/bin/time -f "ix_statistics_bench: %e s wall, peak %M KiB" \
    "$bench" --store "$store" --municipality "$municipality" --from "$from" --to "$to" | tee "$work/bench.txt"
else
  ndjson=$work/events.ndjson
  echo "== engine and SQLite GROUP BY (ix_statistics_bench --events $events)"
  /usr/bin/time -f "ix_statistics_bench: %e s wall, peak %M KiB" \
    "$bench" --events "$events" --dir "$work" --keep --ndjson "$ndjson" --from "$from" --to "$to" | tee "$work/bench.txt"
  store=$(sed -n 's/^store kept *//p' "$work/bench.txt")
fi
for x in ${IX_BENCH_BEFORE_IXCTL:+before} after; do
  bin=$ixctl
  read_store=$store
  [ "$x" = before ] && bin=$IX_BENCH_BEFORE_IXCTL && read_store=${IX_BENCH_BEFORE_STORE:-$store}
  echo "== [$x: $bin] DuckDB (in memory) against ixctl report, per report, same events; $(load)"
  node "$here/../statistics/duckdb/recompute.mjs" --ixctl "$bin" --work "$work" --events "$ndjson" \
    --store "$read_store" --municipality "$municipality" --at "$to" --from "$from" --to "$to" --time --no-protected
  echo "== [$x] every report in one pass (ixctl report all --internal); $(load)"
  /usr/bin/time -f "[$x] ixctl report all: %e s wall, peak %M KiB" \
    "$bin" report all --internal --format json --municipality "$municipality" --from "$from" --to "$to" \
    --at "$to" --store "$read_store" -o "$work/all-$x.json"
done
if [ -n "${IX_BENCH_BEFORE_IXCTL:-}" ]; then
  if cmp -s "$work/all-before.json" "$work/all-after.json"; then
    echo "report all: before and after identical ($(wc -c < "$work/all-after.json") bytes)"
  else
    echo "report all: before and after DIFFER"
    exit 1
  fi
fi
echo "end: $(load)"
