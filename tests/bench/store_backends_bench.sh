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
"$ixctl" generate --persons "$persons" --years 3 --seed 42 --start 2021-01-01 --municipality 0180 -o "$work/events.ndjson" >/dev/null
events=$(wc -l < "$work/events.ndjson")
store_pg="postgresql://#bench_$$"
measure() {  # <label> <command…>: prints "<label> <seconds> <peak KiB>"
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  echo "$label $(cat "$work/time")"
}
report_args=(report all --internal --format json --municipality 0180 --from 2021-06-01 --to 2023-06-30 --at 2023-06-30)
stamp() { echo "$1: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(uptime | sed 's/.*load average: //')"; }
echo "events: $events"
stamp "sqlite import"
s=$(measure sqlite-import "$ixctl" import "$work/events.ndjson" --store "$work/0180.sqlite" --key-dir "$work/keys")
stamp "postgresql import"
p=$(measure postgresql-import "$ixctl" import "$work/events.ndjson" --store "$store_pg" --key-dir "$work/keys")
stamp "sqlite reports"
sr=$(measure sqlite-report "$ixctl" "${report_args[@]}" --store "$work/0180.sqlite" -o "$work/sqlite.json")
stamp "postgresql reports"
pr=$(measure postgresql-report "$ixctl" "${report_args[@]}" --store "$store_pg" -o "$work/pg.json")
stamp "end"
echo "store sizes: sqlite $(du -sh "$work/0180.sqlite" | cut -f1); postgresql database $(psql -Atc "SELECT pg_size_pretty(pg_database_size(current_database()))")"
awk -v e="$events" -v s="$s" -v p="$p" -v sr="$sr" -v pr="$pr" 'BEGIN {
  split(s, a, " "); split(p, b, " "); split(sr, c, " "); split(pr, d, " ");
  printf "import   sqlite %.1f s (%.0f events/s, peak %d MiB)   postgresql %.1f s (%.0f events/s, peak %d MiB)   postgresql/sqlite throughput %.2fx\n",
         a[2], e / a[2], a[3] / 1024, b[2], e / b[2], b[3] / 1024, (e / b[2]) / (e / a[2]);
  printf "reports  sqlite %.1f s, peak %d MiB   postgresql %.1f s, peak %d MiB   time ratio %.2fx\n",
         c[2], c[3] / 1024, d[2], d[3] / 1024, d[2] / c[2];
}'
if cmp -s "$work/sqlite.json" "$work/pg.json"; then echo "reports: identical ($(wc -c < "$work/pg.json") bytes)"; else echo "reports: DIFFER"; exit 1; fi
