#!/usr/bin/env bash
# Writes the example statistics report of a mid-sized municipality from synthetic, seeded events:
# docs/examples/statistics-report-<kommunkod>.html (every report, published: disclosure control
# on, as it would leave the municipality) and, when Chromium is installed, a screenshot of its
# top beside it (.png). The data are generated (ixctl generate), not any municipality's figures.
#
# Size: a municipality of about 25 000–30 000 inhabitants (Nynäshamn, kommunkod 0192, the
# project's running example, has about 29 000). Some 3 % of the population lives in a household
# that receives economic assistance (ekonomiskt bistånd) in a year, children included, so about
# 500–600 adults a year and 350–400 at any one time. 1 200 generated adults whose first period
# starts in 2020–2023 (with the generator's exits and returns) give 365–395 adults on assistance at
# the end of each quarter of 2023, the report year: that size.
#
#   scripts/example-report.sh [--ixctl PATH] [--out-dir DIR] [--no-screenshot]
#
# The same ixctl gives the same HTML byte for byte (the seed, the dates and the pseudonym secret
# are fixed here; the report carries no clock time).
set -euo pipefail
cd "$(dirname "$0")/.."

ixctl=build/adapters/cli/ixctl
out_dir=docs/examples
screenshot=1
municipality=0192
persons=1200
years=4
seed=25
start=2020-01-01
from=2023-01-01
to=2023-12-31

usage() {
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
  case "$1" in
    --ixctl) ixctl=$2; shift 2 ;;
    --out-dir) out_dir=$2; shift 2 ;;
    --no-screenshot) screenshot=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "example-report: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [ ! -x "$ixctl" ]; then
  echo "example-report: no ixctl at '$ixctl' (build first: ./scripts/build.sh, or pass --ixctl)" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A fixed pseudonym secret: the published counts do not depend on it, and a fixed one keeps the
# store the same from run to run. Never use it for real data.
printf 'example-report-demo-secret-not-for-real-data\n' > "$work/secret.key"
"$ixctl" generate --persons "$persons" --years "$years" --seed "$seed" --start "$start" \
  --municipality "$municipality" -o "$work/events.ndjson"
"$ixctl" import "$work/events.ndjson" --store "$work/events.sqlite" --secret-file "$work/secret.key"

mkdir -p "$out_dir"
html="$out_dir/statistics-report-$municipality.html"
"$ixctl" report all --format html --municipality "$municipality" --from "$from" --to "$to" --at "$to" \
  --store "$work/events.sqlite" -o "$html"
chmod 0644 "$html"  # ixctl writes reports owner-only; this one is for everyone to read
echo "wrote $html"

png="$out_dir/statistics-report-$municipality.png"
if [ "$screenshot" = 1 ]; then
  if command -v chromium >/dev/null; then
    rm -f "$png"
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
      --disable-component-update --disable-sync --user-data-dir="$work/chromium" --hide-scrollbars \
      --screenshot="$png" --window-size=1280,2400 "file://$(realpath "$html")" >/dev/null 2>&1 || true
    if [ -s "$png" ]; then echo "wrote $png"; else echo "example-report: Chromium wrote no screenshot" >&2; exit 1; fi
  else
    echo "example-report: chromium is not installed; no screenshot (scripts/install-deps.sh installs it)" >&2
  fi
fi
