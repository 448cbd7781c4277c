#!/usr/bin/env bash
# Two ix-server replicas against one, same run, same client load: QPS and p99 of Suggest +
# Assess with recording (each Assess's event written to the shared PostgreSQL before it answers).
#   tests/bench/replicas_bench.sh [--seconds S] [--threads T] [--rounds R] [--workers W] [--build DIR]
#   tests/bench/replicas_bench.sh --help
# Starts a throw-away PostgreSQL cluster (pg_virtualenv, dropped afterwards), two replicas on
# loopback with one configuration (tests/replicas/replica_harness.hpp), and a client of T threads
# (tests/server/bench_driver.hpp, the driver of the server and REST benches), each on its own
# mutual-TLS connection. Phases alternate R times: "one" (every thread calls replica 1) and "two"
# (the client spreads its threads over both replicas; no load balancer in between). Prints
# steps/s, p50/p99, the CPU per step of the replicas (with their plugin workers), of PostgreSQL
# (postmaster and backends) and of the client, PostgreSQL's share, and the same-run ratios.
# On one machine all of it shares the same cores: the ratios show what a second process costs
# there, not what a second machine adds (docs/scaling.md projects that). Not run in CI (about
# 2 × R × S seconds plus start-up); figures: docs/benchmarks.md, "Replicas".
set -euo pipefail
usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }
seconds=10 threads=8 rounds=3 workers=2 build=build
while [ $# -gt 0 ]; do
  case "$1" in
    --help|-h) usage; exit 0 ;;
    --seconds) seconds=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    *) echo "replicas_bench.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
root=$(cd "$(dirname "$0")/../.." && pwd)
bench=$(cd "$root" && cd "$build" && pwd)/tests/replicas/ix_replicas_bench
if [ ! -x "$bench" ]; then
  echo "replicas_bench.sh: $bench is missing: cmake --build $build --target ix_replicas_bench" >&2
  exit 2
fi
echo "start: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$root/tests/store/with_postgresql.sh" "$bench" --seconds "$seconds" --threads "$threads" --rounds "$rounds" \
  --workers "$workers"
echo "end: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
