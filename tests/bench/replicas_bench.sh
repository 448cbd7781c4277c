#!/usr/bin/env bash
# Two ix-server replicas against one, same run, same client load: QPS and p99 of Suggest +
# Assess with recording (each Assess's event written to the shared PostgreSQL before it answers).
#   tests/bench/replicas_bench.sh [--seconds S] [--threads T] [--rounds R] [--workers W]
#                                 [--municipalities 1|2] [--fsync on|off] [--build DIR]
#   tests/bench/replicas_bench.sh --help
# Starts a throw-away PostgreSQL cluster (pg_virtualenv, dropped afterwards; fsync on by default,
# as in production — pg_virtualenv's own default is off), two replicas on
# loopback with one configuration (tests/replicas/replica_harness.hpp), and a client of T threads
# (tests/server/bench_driver.hpp, the driver of the server and REST benches), each on its own
# mutual-TLS connection. Phases alternate R times: "one" (every thread calls replica 1) and "two"
# (the client spreads its threads over both replicas; no load balancer in between). Prints
# steps/s, p50/p99, the CPU per step of the replicas (with their plugin workers), of PostgreSQL
# (postmaster and backends) and of the client, PostgreSQL's share, and the same-run ratios.
# --municipalities 2: the threads alternate between two municipalities (two stores, two write
# locks) instead of all recording into one.
# On one machine all of it shares the same cores: the ratios show what a second process costs
# there, not what a second machine adds (docs/scaling.md projects that). Not run in CI (about
# 2 × R × S seconds plus start-up); figures: docs/benchmarks.md, "Replicas".
set -euo pipefail
usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; }
seconds=10 threads=8 rounds=3 workers=2 municipalities=1 fsync=on build=build
while [ $# -gt 0 ]; do
  case "$1" in
    --help|-h) usage; exit 0 ;;
    --seconds) seconds=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --municipalities) municipalities=$2; shift 2 ;;
    --fsync) fsync=$2; shift 2 ;;
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
command -v pg_virtualenv >/dev/null || { echo "replicas_bench.sh: pg_virtualenv is missing (postgresql-15)" >&2; exit 2; }
# A port the kernel just handed out (as tests/store/with_postgresql.sh does); -o after
# pg_virtualenv's own options, so fsync=on overrides its fsync=off.
PGPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export PGPORT
echo "PostgreSQL fsync=$fsync"
pg_virtualenv -t -o "fsync=$fsync" -- "$bench" --seconds "$seconds" --threads "$threads" --rounds "$rounds" \
  --workers "$workers" --municipalities "$municipalities"
echo "end: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
