#!/usr/bin/env bash
# A new assessment prefilled from the previous one, through the real ixctl and plugin: the
# previous year's case response (docs/examples) into instrument-x@2024.1 with one answer the
# version cannot hold and one for a person who left; stderr lists what was carried and what was
# not, with why; the QuestionnaireResponse is valid R4 (FHIR.js and Medplum) and reads back to a
# response `ixctl validate` accepts as well-formed (exit 0 or 1: problems, never bad input).
set -euo pipefail
ixctl=$1 validator=$2 work=$3
here="$(cd "$(dirname "$0")" && pwd)"
examples="$here/../../../docs/examples"
rm -rf "$work" && mkdir -p "$work/fhir" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
expect() { grep -qF -- "$1" "$2" || fail "'$1' not in $2"; }

python3 - "$examples/case-response-2024-03-04.json" previous.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
n = len(r["answers"])
r["answers"].append({"item_id": "housing.no_such_item", "value": {"boolean": True}})
r["answers"].append({"item_id": r["answers"][0]["item_id"], "person_ref": "left-the-household",
                     "value": r["answers"][0]["value"]})
json.dump(r, open(sys.argv[2], "w"))
print(n)
PY
"$ixctl" fhir prefill previous.json --instrument instrument-x@2024.1 --response-ref hh-next \
  -o fhir/prefilled.json --canonical-out next.json 2> prefill-report.txt || { cat prefill-report.txt; fail "prefill refused"; }
expect "answer(s) carried into instrument-x@2024.1" prefill-report.txt
expect "answers[household/housing.no_such_item] — the item is not in instrument-x@2024.1" prefill-report.txt
expect "answers[left-the-household/" prefill-report.txt
expect '"status": "in-progress"' fhir/prefilled.json
expect '"response_ref": "hh-next"' next.json
# Exit 77 from the validator (node or its packages absent) is a skip, as in ctest.
check() {  # <kind> <what fails>
  local code=0
  "$validator" "$1" fhir > "validate-$1.txt" || code=$?
  [ "$code" -eq 77 ] && { cat "validate-$1.txt"; exit 77; }
  [ "$code" -eq 0 ] || { cat "validate-$1.txt"; fail "$2"; }
}
check fhir "the prefilled QuestionnaireResponse is not valid FHIR R4 (FHIR.js)"
check fhir-medplum "the prefilled QuestionnaireResponse is not valid for Medplum's validator"
"$ixctl" fhir to-canonical fhir/prefilled.json -o back.json 2> /dev/null
set +e
"$ixctl" validate back.json > validate.txt
code=$?
set -e
[ "$code" -le 1 ] || { cat validate.txt; fail "ixctl validate exited $code"; }
echo "ok: $(head -1 prefill-report.txt | sed 's/^ixctl: fhir prefill: //'); valid R4 for FHIR.js and Medplum; reads back"
