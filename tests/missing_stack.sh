# Sourced by the test scripts that drive the build from another stack (Node, PostgreSQL).
# missing_stack MESSAGE: the stack the test needs is absent. Outside CI that is a skip (exit 77,
# ctest's SKIP_RETURN_CODE) with MESSAGE saying how to install it; under CI=true it is a failure,
# so a CI machine without the stack cannot pass by testing less.
missing_stack() {
  if [ "${CI:-}" = true ]; then
    echo "FAIL (CI=true): $*" >&2
    exit 1
  fi
  echo "SKIP: $*"
  exit 77
}
