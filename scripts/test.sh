#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test suite with ctest.
#   IX_SANITIZE=1  the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   IX_FUZZ=1      the same in the clang fuzz build (build-fuzz/: ASan + UBSan, fuzz targets
#                  linked with libFuzzer and replayed over their corpora; scripts/fuzz.sh fuzzes)
#   IX_SKIP_EXTERNAL=1  leave out the tests labelled `external` (those that drive the build from
#                  another stack: PostgreSQL, Node, Chromium); the sanitizer stage of CI uses it,
#                  since the instrumented code is the same those tests reach in the normal run
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
build_dir=${BUILD_DIR:-build}
[ "${IX_SANITIZE:-0}" = 1 ] && build_dir=${BUILD_DIR:-build-asan}
[ "${IX_FUZZ:-0}" = 1 ] && build_dir=${BUILD_DIR:-build-fuzz}
ctest_args=()
[ "${IX_SKIP_EXTERNAL:-0}" = 1 ] && ctest_args+=(--label-exclude external)
ctest --test-dir "$build_dir" --output-on-failure -j "${IX_JOBS:-$(nproc)}" "${ctest_args[@]}"
