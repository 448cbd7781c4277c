#!/usr/bin/env bash
# Import and report throughput of the event store backends, same run, same events:
# SQLite (a file) against PostgreSQL (a throw-away local cluster via pg_virtualenv).
#   tests/bench/store_backends_bench.sh [PERSONS] [BUILD_DIR]
# PERSONS synthetic persons (about 6.6 events each over 3 years; 150000 ≈ 1 M events).
# Prints events, seconds, events/s and peak memory per backend, the ratio, the report pass (all
# reports, unsuppressed, one pass) with peak memory, and whether both backends' reports are
# identical (byte for byte, so cell by cell). The date and the load average are printed before
# each step: on a shared machine only the ratios of one run mean something; run it niced
# (nice -n 10 …). Not run in CI (minutes of CPU); figures: docs/benchmarks.md.
# Then each of snapshot, movements, KAS, equality and trend on its own (`ixctl report <kind>`,
# which reads only the events that report needs), timed and compared the same way.
# Environment: IX_BENCH_NDJSON=FILE imports that file instead of generating (PERSONS ignored;
# e.g. the file a larger run generated once); IX_BENCH_FROM / IX_BENCH_TO the report period
# (default 2021-06-01 to 2023-06-30); IX_BENCH_KEEP=DIR keeps the SQLite store there as
# DIR/0180.sqlite (statistics_duckdb_bench.sh can reuse it with the same NDJSON).
# IX_BENCH_PARALLEL_IMPORT=1: the two imports run side by side instead of one after the other
# (a fair ratio when the machine's load changes during the run; each gets about half of it).
# IX_BENCH_COPY_STORE=FILE: no import at all — the SQLite store is that file and the PostgreSQL
# store gets its very rows (same pseudonyms, same row ids) by COPY, for a size whose import
# does not fit the time at hand (e.g. statistics_replicate.sh's output); only the reports are
# then compared, and no import line is printed.
set -euo pipefail
persons=${1:-150000}
build=${2:-build}
ixctl=$(cd "$build" && pwd)/adapters/cli/ixctl
[ -x "$ixctl" ] || ixctl=$(find "$build" -name ixctl -type f -perm -u+x | head -1)
if [ -z "${PGHOST:-}" ]; then
  exec pg_virtualenv -- "$0" "$persons" "$build"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/keys"
ndjson=${IX_BENCH_NDJSON:-$work/events.ndjson}
[ -n "${IX_BENCH_NDJSON:-}${IX_BENCH_COPY_STORE:-}" ] ||
  "$ixctl" generate --persons "$persons" --years 3 --seed 42 --start 2021-01-01 --municipality 0180 -o "$ndjson" >/dev/null
if [ -n "${IX_BENCH_COPY_STORE:-}" ]; then
  events=$(sqlite3 "$IX_BENCH_COPY_STORE" "SELECT count(*) FROM events")
else
  events=$(wc -l < "$ndjson")
fi
from=${IX_BENCH_FROM:-2021-06-01}
to=${IX_BENCH_TO:-2023-06-30}
store_pg="postgresql://#bench_$$"
measure() {  # <label> <command…>: prints "<label> <seconds> <peak KiB>"
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$work/time-$label" "$@" >/dev/null 2>"$work/err-$label" || { cat "$work/err-$label" >&2; exit 1; }
  echo "$label $(cat "$work/time-$label")"
}
report_args=(--internal --format json --municipality 0180 --from "$from" --to "$to" --at "$to")
stamp() { echo "$1: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(uptime | sed 's/.*load average: //')"; }
echo "events: $events"
if [ -n "${IX_BENCH_COPY_STORE:-}" ]; then
  ln -s "$(cd "$(dirname "$IX_BENCH_COPY_STORE")" && pwd)/$(basename "$IX_BENCH_COPY_STORE")" "$work/0180.sqlite"
  stamp "postgresql copy of the SQLite rows"
  "$ixctl" report trend "${report_args[@]}" --store "$store_pg" -o "$work/empty.json" 2>/dev/null || true  # creates the schema
  name=${store_pg#postgresql://#}
  t0=$(date +%s)
  sqlite3 -csv "$work/0180.sqlite" "SELECT id, '$name', pseudonym, sex, birth_year, birth_month FROM persons" |
    psql -q -c "COPY ix_persons(id, store, pseudonym, sex, birth_year, birth_month) FROM STDIN WITH (FORMAT csv)"
  columns=$(sqlite3 "$work/0180.sqlite" "SELECT group_concat(name, ', ') FROM pragma_table_info('events') WHERE name NOT IN ('id', 'facts')")  # facts: SQLite's packed copy (packed_facts.hpp)
  sqlite3 -csv "$work/0180.sqlite" "SELECT id, '$name', $columns FROM events" |
    psql -q -c "COPY ix_events(id, store, $columns) FROM STDIN WITH (FORMAT csv)"
  psql -q -c "ANALYZE"
  echo "copied in $(($(date +%s) - t0)) s (not an import: no validation, no pseudonymisation)"
  s="sqlite-import 1 0" p="postgresql-import 1 0"
elif [ -n "${IX_BENCH_PARALLEL_IMPORT:-}" ]; then
  # Both imports at the same time: on a machine whose load changes (other work), two imports
  # one after the other meet different loads and their ratio says more about the load than the
  # backends; side by side they share whatever the machine gives. Each gets about half of it.
  # The municipality key is made by the first import that needs it: make it first (a one-event
  # store, then dropped) so the two imports do not race to create it.
  head -n 1 "$ndjson" > "$work/first.ndjson"
  "$ixctl" import "$work/first.ndjson" --store "$work/warm.sqlite" --key-dir "$work/keys" >/dev/null
  rm -f "$work/warm.sqlite"*
  stamp "sqlite and postgresql imports, side by side"
  measure sqlite-import "$ixctl" import "$ndjson" --store "$work/0180.sqlite" --key-dir "$work/keys" > "$work/s" &
  sqlite_job=$!
  measure postgresql-import "$ixctl" import "$ndjson" --store "$store_pg" --key-dir "$work/keys" > "$work/p" &
  postgresql_job=$!
  wait "$sqlite_job"
  stamp "sqlite import done"
  wait "$postgresql_job"
  stamp "postgresql import done"
  s=$(cat "$work/s") p=$(cat "$work/p")
  [ -n "$s" ] && [ -n "$p" ] || { echo "an import failed" >&2; exit 1; }
else
  stamp "sqlite import"
  s=$(measure sqlite-import "$ixctl" import "$ndjson" --store "$work/0180.sqlite" --key-dir "$work/keys")
  stamp "postgresql import"
  p=$(measure postgresql-import "$ixctl" import "$ndjson" --store "$store_pg" --key-dir "$work/keys")
fi
stamp "sqlite reports"
sr=$(measure sqlite-report "$ixctl" report all "${report_args[@]}" --store "$work/0180.sqlite" -o "$work/sqlite.json")
stamp "postgresql reports"
pr=$(measure postgresql-report "$ixctl" report all "${report_args[@]}" --store "$store_pg" -o "$work/pg.json")
stamp "one report at a time"
per_report=()
for kind in snapshot movements kas equality trend; do
  a=$(measure "$kind" "$ixctl" report "$kind" "${report_args[@]}" --store "$work/0180.sqlite" -o "$work/sqlite-$kind.json")
  b=$(measure "$kind" "$ixctl" report "$kind" "${report_args[@]}" --store "$store_pg" -o "$work/pg-$kind.json")
  same=identical
  cmp -s "$work/sqlite-$kind.json" "$work/pg-$kind.json" || same=DIFFER
  per_report+=("$a ${b#* } $same")
done
stamp "end"
echo "store sizes: sqlite $(du -shL "$work/0180.sqlite" | cut -f1); postgresql database $(psql -Atc "SELECT pg_size_pretty(pg_database_size(current_database()))")"
awk -v e="$events" -v s="$s" -v p="$p" -v sr="$sr" -v pr="$pr" 'BEGIN {
  split(s, a, " "); split(p, b, " "); split(sr, c, " "); split(pr, d, " ");
  if (a[3] > 0) printf "import   sqlite %.1f s (%.0f events/s, peak %d MiB)   postgresql %.1f s (%.0f events/s, peak %d MiB)   postgresql/sqlite throughput %.2fx\n",
         a[2], e / a[2], a[3] / 1024, b[2], e / b[2], b[3] / 1024, (e / b[2]) / (e / a[2]);
  printf "reports  sqlite %.1f s, peak %d MiB   postgresql %.1f s, peak %d MiB   time ratio %.2fx\n",
         c[2], c[3] / 1024, d[2], d[3] / 1024, d[2] / c[2];
}'
if cmp -s "$work/sqlite.json" "$work/pg.json"; then echo "reports: identical ($(wc -c < "$work/pg.json") bytes)"; else echo "reports: DIFFER"; exit 1; fi
for line in "${per_report[@]}"; do
  awk -v l="$line" 'BEGIN { split(l, x, " ");
    printf "%-9s sqlite %.2f s, peak %d MiB   postgresql %.2f s, peak %d MiB   time ratio %.2fx   %s\n",
           x[1], x[2], x[3] / 1024, x[4], x[5] / 1024, x[4] / x[2], x[6]; }'
done
if [ -n "${IX_BENCH_KEEP:-}" ] && [ -z "${IX_BENCH_COPY_STORE:-}" ]; then
  mkdir -p "$IX_BENCH_KEEP"
  mv "$work/0180.sqlite" "$IX_BENCH_KEEP/0180.sqlite"
  echo "sqlite store kept: $IX_BENCH_KEEP/0180.sqlite"
fi
for line in "${per_report[@]}"; do [ "${line##* }" = identical ] || exit 1; done
