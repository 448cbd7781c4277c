# Warnings and sanitizers for the project's own targets. Generated code (protobuf, gRPC)
# is compiled through ix_target_defaults too, so it must stay warning-clean at this level.
add_library(ix_compile_options INTERFACE)
target_compile_options(ix_compile_options INTERFACE
  -Wall -Wextra -Wpedantic -Wnon-virtual-dtor
  # GCC's spelling; clang has no -Wshadow=local (it would warn about an unknown option).
  $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local>
  $<$<BOOL:${IX_WERROR}>:-Werror>)

if(IX_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# Wall-clock budgets of tests ("within a second") are multiplied by this factor in sanitizer
# builds (tests/time_budget.hpp, docs/robustness.md): ASan + UBSan make the same work several
# times slower, while the slow algorithms the budgets guard against are orders of magnitude over.
set(IX_TEST_TIME_FACTOR 1)
if(IX_SANITIZE)
  set(IX_TEST_TIME_FACTOR 10)
endif()

# A module must resolve every symbol itself (the plugin: -z defs), except under clang's
# sanitizers, whose runtime lives in the executable that loads the module.
set(IX_MODULE_NO_UNDEFINED -Wl,--no-undefined -Wl,-z,defs)
if(IX_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(IX_MODULE_NO_UNDEFINED "")
endif()

# The fuzz build (docs/robustness.md): clang's libFuzzer. Every object gets the coverage
# instrumentation libFuzzer steers by (fuzzer-no-link); only the fuzz targets link libFuzzer
# itself (IX_FUZZER_LINK_OPTIONS), the other programs get the sanitizer runtime's no-op hooks.
# The same build runs the test suite under ASan+UBSan, so CI needs no extra full build.
if(IX_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang" OR NOT IX_SANITIZE)
    message(FATAL_ERROR "IX_FUZZ needs clang and IX_SANITIZE=ON (scripts/build.sh does both with IX_FUZZ=1)")
  endif()
  # -O1: libFuzzer's recommended level under ASan (fast enough, stack traces still exact).
  # -gline-tables-only: sanitizer reports keep file and line of every frame; the full debug
  # information of a Debug build made the cold build of this stage (CI) much slower.
  add_compile_options(-fsanitize=fuzzer-no-link -O1 -gline-tables-only)
  set(IX_FUZZER_LINK_OPTIONS -fsanitize=fuzzer)
  # A C program that loads the (C++, instrumented) plugin, tests/abi/c_host.c: clang links the
  # C++ half of the sanitizer runtime (UBSan's vptr checks) only into C++ programs, and dlopen
  # then fails on __ubsan_vptr_type_cache. C programs get it, and the C++ library it needs.
  add_link_options($<$<LINK_LANGUAGE:C>:-fsanitize-link-c++-runtime> $<$<LINK_LANGUAGE:C>:-lstdc++>)
  # The code protoc generates (cmake/IxProto.cmake) is compiled without sanitizers, coverage and
  # debug information: instrumented, its few huge functions took clang minutes each, most of the
  # build's time, and what they do (parse and serialize messages) is libprotobuf's tested runtime,
  # which is uninstrumented anyway. The project's code that reads the parsed messages keeps all
  # three. Uninstrumented code mixes with ASan (it only misses the checks).
  set(IX_GENERATED_CODE_OPTIONS -fno-sanitize=address,undefined,fuzzer-no-link -g0)
endif()
