#!/usr/bin/env bash
# Runs the fuzz targets time-boxed with libFuzzer (docs/robustness.md). Needs the clang fuzz
# build: IX_FUZZ=1 ./scripts/build.sh (build-fuzz/, ASan + UBSan).
#   scripts/fuzz.sh                    every target, IX_FUZZ_SECONDS (default 25) seconds each
#   scripts/fuzz.sh TARGET [SECONDS]   one target
# Each target starts from its seed corpus and past findings (tests/fuzz/corpus/<target>/,
# tests/fuzz/regressions/<target>/); what it adds goes to a scratch corpus under
# $BUILD_DIR/fuzz-work/<target>/, never into the tree. A crash, a sanitizer report, an input
# over the target's per-input time budget or over 2 GB of memory stops that target, leaves the
# input in $BUILD_DIR/fuzz-work/<target>/ and makes the script exit 1 after the other targets ran.
# Figures per target (executions, exec/s, coverage, features, corpus) go to stdout and to
# $BUILD_DIR/fuzz-work/summary.txt.
#   IX_FUZZ_SECONDS  seconds per target when SECONDS is not given (CI: 10)
#   BUILD_DIR        the fuzz build (default build-fuzz)
#   IX_FUZZ_JOBS     how many targets fuzz at the same time (default 1; CI: the number of cores)
#   IX_FUZZ_ARGS     more libFuzzer options, e.g. "-max_len=65536" or "-jobs=2 -workers=2"
#   ASAN_OPTIONS, UBSAN_OPTIONS  default: no leak checks, abort/halt on the first report
# Each target's figures are also kept in $BUILD_DIR/fuzz-work/<target>/result.txt, so targets
# can run in parallel (one script per target) without mixing their summaries.
set -euo pipefail
if [ "${1:-}" = -h ] || [ "${1:-}" = --help ]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
  exit 0
fi
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build-fuzz}
list="$build_dir/tests/fuzz/fuzz_targets.txt"
if [ ! -f "$list" ] || ! grep -q '^IX_FUZZ:BOOL=ON' "$build_dir/CMakeCache.txt" 2>/dev/null; then
  echo "fuzz.sh: no fuzz build in $build_dir (run: IX_FUZZ=1 ./scripts/build.sh)" >&2
  exit 2
fi
seconds=${2:-${IX_FUZZ_SECONDS:-25}}
targets=()
if [ $# -ge 1 ]; then
  grep -q "^$1 " "$list" || { echo "fuzz.sh: no target '$1' (targets: $(cut -d' ' -f1 "$list" | tr '\n' ' '))" >&2; exit 2; }
  targets=("$1")
else
  mapfile -t targets < <(cut -d' ' -f1 "$list")
fi
# Leaks are not what this run looks for (protobuf and the loader keep per-process state).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
work="$build_dir/fuzz-work"
mkdir -p "$work"
summary="$work/summary.txt"
: > "$summary"
printf '%-22s %6s %10s %8s %7s %7s %11s  %s\n' target secs execs exec/s cov ft corpus result | tee -a "$summary"
# One target: fuzz it, write its row to $work/<target>/result.txt; exit status 1 on a finding.
fuzz_one() {
  local t=$1 budget dir log result execs rate last cov ft corp found=0
  local -a inputs
  budget=$(grep "^$t " "$list" | cut -d' ' -f2)
  dir="$work/$t"
  mkdir -p "$dir/corpus"
  log="$dir/fuzz.log"
  result=ok
  # The seed corpus always exists (the build refuses a target without one); a target may have
  # no past findings yet, and libFuzzer exits on a folder that does not exist.
  inputs=("$dir/corpus" "tests/fuzz/corpus/$t")
  [ -d "tests/fuzz/regressions/$t" ] && inputs+=("tests/fuzz/regressions/$t")
  # shellcheck disable=SC2086  # IX_FUZZ_ARGS is a list of options
  if ! "$build_dir/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout="$budget" -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$dir/" ${IX_FUZZ_ARGS:-} "${inputs[@]}" > "$log" 2>&1; then
    result="FINDING: $(ls -t "$dir" | grep -E '^(crash|timeout|oom|leak|slow-unit)-' | head -1 || true) (log: $log)"
    found=1
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  # A run that ended before its first status line (a finding in the seeds) has none: the row
  # then shows dashes, and the script still goes on to the other targets.
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$last")
  printf '%-22s %6s %10s %8s %7s %7s %11s  %s\n' "$t" "$seconds" "${execs:--}" "${rate:--}" "${cov:--}" \
    "${ft:--}" "${corp:--}" "$result" > "$dir/result.txt"
  cat "$dir/result.txt"   # progress: each row as its target ends
  return "${found:-0}"
}
for t in "${targets[@]}"; do
  if [ ! -x "$build_dir/tests/fuzz/fuzz_$t" ]; then
    echo "fuzz.sh: $build_dir/tests/fuzz/fuzz_$t is not built" >&2
    exit 2
  fi
done
# Targets run IX_FUZZ_JOBS at a time; the summary file keeps the rows in the list's order.
jobs=${IX_FUZZ_JOBS:-1}
failed=0
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
  fuzz_one "$t" &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done
for t in "${targets[@]}"; do
  cat "$work/$t/result.txt" >> "$summary"
done
exit $failed
