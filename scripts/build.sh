#!/usr/bin/env bash
# Configures and builds the project into BUILD_DIR (default: build).
#   IX_SANITIZE=1  build with AddressSanitizer + UndefinedBehaviorSanitizer (default dir: build-asan)
#   IX_FUZZ=1      clang-14 build with ASan + UBSan and libFuzzer fuzz targets (default dir:
#                  build-fuzz); its test suite runs under the sanitizers too (docs/robustness.md)
#   IX_WERROR=1    warnings are errors (CI sets it)
#   IX_CMAKE_ARGS  extra cmake arguments, e.g. -DIX_VERSION=0.1.1
# Uses ccache when installed (CCACHE_BASEDIR = the checkout, so build dirs share hits).
set -euo pipefail
cd "$(dirname "$0")/.."
sanitize=${IX_SANITIZE:-0}
fuzz=${IX_FUZZ:-0}
[ "$fuzz" = 1 ] && sanitize=1
default_dir=build
[ "$sanitize" = 1 ] && default_dir=build-asan
[ "$fuzz" = 1 ] && default_dir=build-fuzz
build_dir=${BUILD_DIR:-$default_dir}
build_type=RelWithDebInfo
[ "$sanitize" = 1 ] && build_type=Debug
jobs=${IX_JOBS:-$(nproc)}
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
launcher=()
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
compilers=()
[ "$fuzz" = 1 ] && compilers=(-DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14)
# shellcheck disable=SC2086  # IX_CMAKE_ARGS is a list of arguments
cmake -S . -B "$build_dir" "${generator[@]}" "${launcher[@]}" "${compilers[@]}" ${IX_CMAKE_ARGS:-} \
  -DCMAKE_BUILD_TYPE="$build_type" \
  -DIX_SANITIZE="$([ "$sanitize" = 1 ] && echo ON || echo OFF)" \
  -DIX_FUZZ="$([ "$fuzz" = 1 ] && echo ON || echo OFF)" \
  -DIX_WERROR="$([ "${IX_WERROR:-0}" = 1 ] && echo ON || echo OFF)" >/dev/null
cmake --build "$build_dir" -j "$jobs"
