#!/usr/bin/env bash
# The main job on embedded defaults: install what is missing, build, and let ixctl load the
# bundled plugin, describe it and validate the bundled sample household (two adults, two
# children), then show what an invalid household looks like.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
ixctl=build/adapters/cli/ixctl
echo
echo "== ixctl describe"
"$ixctl" describe
echo
echo "== ixctl validate docs/examples/household.json"
"$ixctl" validate docs/examples/household.json
echo
echo "== ixctl validate docs/examples/household-invalid.json (expected to report problems)"
"$ixctl" validate docs/examples/household-invalid.json || echo "(exit code $?: problems found, as expected)"
