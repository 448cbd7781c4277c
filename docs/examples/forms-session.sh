#!/usr/bin/env bash
# The forms CLI session of issue 3: a household of two adults and two children answered part
# by part through ixctl (every call goes through the plugin's C ABI, "ix.forms/1"), validated,
# completed, amended, migrated to 2025.1 and printed. Deterministic (fixed --at/--as-of), so
# tests/forms compares its transcript with a golden file.
#
# Usage: docs/examples/forms-session.sh IXCTL WORKDIR
set -u
IXCTL=${1:?usage: forms-session.sh IXCTL WORKDIR}
WORK=${2:?usage: forms-session.sh IXCTL WORKDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$WORK"
cd "$WORK"
cp "$HERE/household-new.json" hh.json

run() {  # echo the command as typed, then its output and exit code
  echo "\$ ixctl $*"
  "$IXCTL" "$@"
  echo "[exit $?]"
}
AS_OF=(--as-of 2025-01-15)

# --- Part 1: right to assistance (first visit, 2024-12-02) -----------------------------------
run answer hh.json --actor hand01 --at 2024-12-02T09:00:00Z --by together "${AS_OF[@]}" \
  --set housing.type=rental --set housing.rooms=3 --set housing.eviction_risk=no \
  --set economy.housing_cost=8950 --set economy.income_other=2650 --set family.children_elsewhere=0
run answer hh.json --person p1 --actor hand01 --at 2024-12-02T09:10:00Z --by together --interpreter ar "${AS_OF[@]}" \
  --set personal.citizenship=other --set personal.arrival_date=2016-05-10 --set personal.phone="070-123 45 67" \
  --set personal.needs_interpreter=yes --set personal.interpreter_language=arabiska \
  --set occupation.current=unemployed --set occupation.benefit_status=none --set occupation.registered_af=yes \
  --set economy.income_salary=0 --set economy.income_benefits=0 --set economy.debts=no \
  --set family.civil_status=married --set family.network_support=yes --set occupation.lacks_childcare=no
run answer hh.json --person p2 --actor hand01 --at 2024-12-02T09:30:00Z --by client "${AS_OF[@]}" \
  --set personal.citizenship=swedish --set personal.needs_interpreter=no \
  --set occupation.current=unemployed --set occupation.benefit_status=insufficient --set occupation.registered_af=yes \
  --set economy.income_salary=0 --set economy.income_benefits=9850 --set economy.debts=yes --set economy.debt_amount=42000 \
  --set family.civil_status=married --set family.network_support=no --set occupation.lacks_childcare=yes
# A mistake caught by the plugin: a phone number with letters, a date in the future.
run answer hh.json --person p2 --actor hand01 --at 2024-12-02T09:35:00Z --by client "${AS_OF[@]}" \
  --set personal.phone=ring-mig --set economy.debt_amount=tolvtusen
run validate hh.json "${AS_OF[@]}"
run complete hh.json --part 1 --actor hand01 --at 2024-12-02T09:40:00Z "${AS_OF[@]}"

# --- Part 2: basis for choosing interventions --------------------------------------------------
run answer hh.json --person p1 --actor hand01 --at 2024-12-02T10:00:00Z --by together --interpreter ar "${AS_OF[@]}" \
  --set education.highest=post_secondary --set education.foreign=yes --set am.education=2 \
  --set work.years_experience=6 --set work.last_employed=2015-08-31 --set am.work_experience=2 \
  --set interventions.earlier=sfi,job_coaching --set interventions.earlier_result="SFI avslutad, coachning utan arbete." \
  --set health.physical_limits_work=no --set am.health=1 \
  --set health.mental_limits_work=yes --set health.mental_care_contact=yes \
  --set substance.affects_daily_life=no --set work_capacity.today=reduced --set work_capacity.hours_per_week=20 \
  --set am.motivation=1 --set am.job_seeking=2 --set swedish.sfi=completed --set am.swedish=3 \
  --set violence.exposed=no --set summary.present_situation="Arbetslös sedan 2015, nedsatt arbetsförmåga." \
  --set summary.own_goals="Få ett arbete inom vården."
run answer hh.json --person p2 --actor hand01 --at 2024-12-02T10:30:00Z --by client "${AS_OF[@]}" \
  --set education.highest=secondary --set education.foreign=no --set am.education=1 \
  --set work.years_experience=15 --set work.last_employed=2024-06-30 --set am.work_experience=1 \
  --set interventions.earlier=none --set health.physical_limits_work=no --set am.health=2 \
  --set health.mental_limits_work=no --set substance.affects_daily_life=no --set work_capacity.today=full \
  --set am.job_seeking=1 --set am.swedish=1 --set violence.exposed=no
run answer hh.json --actor hand01 --at 2024-12-02T10:40:00Z --by together "${AS_OF[@]}" --set children.needs_support=no
run complete hh.json --part 2 --actor hand01 --at 2024-12-02T10:45:00Z "${AS_OF[@]}"
run answer hh.json --person p2 --actor hand01 --at 2024-12-02T10:50:00Z --by client "${AS_OF[@]}" --set am.motivation=1
run complete hh.json --part 2 --actor hand01 --at 2024-12-02T10:55:00Z "${AS_OF[@]}"

# --- Part 3: the individual plan --------------------------------------------------------------
for p in p1 p2; do
  run answer hh.json --person $p --actor hand01 --at 2024-12-09T13:00:00Z --by together "${AS_OF[@]}" \
    --set plan.goal="Egen försörjning genom arbete." --set plan.interventions=job_search_support,work_practice \
    --set plan.responsible=municipality,arbetsformedlingen --set plan.start_date=2024-12-09 \
    --set plan.follow_up_date=2025-01-13 --set plan.client_agrees=yes
done
run complete hh.json --part 3 --actor hand01 --at 2024-12-09T13:30:00Z "${AS_OF[@]}"

# --- Part 4: the follow-up (one day late for p1) ----------------------------------------------
run answer hh.json --person p1 --actor hand02 --at 2025-01-14T14:00:00Z --by together --interpreter ar "${AS_OF[@]}" \
  --set followup.date=2025-01-14 --set followup.plan_helped=partly --set followup.outcome=ongoing \
  --set followup.new_plan_needed=no
run complete hh.json --part 4 --actor hand02 --at 2025-01-14T14:20:00Z "${AS_OF[@]}"
run answer hh.json --person p1 --actor hand02 --at 2025-01-14T14:25:00Z --by together --interpreter ar "${AS_OF[@]}" \
  --set followup.late_reason="Tolken var sjuk den planerade dagen."
run answer hh.json --person p2 --actor hand02 --at 2025-01-13T15:00:00Z --by client "${AS_OF[@]}" \
  --set followup.date=2025-01-13 --set followup.plan_helped=yes --set followup.outcome=subsidised_work \
  --set followup.new_plan_needed=no
run complete hh.json --part 4 --actor hand02 --at 2025-01-14T14:30:00Z "${AS_OF[@]}"
run validate hh.json "${AS_OF[@]}"
cp hh.json hh-completed.json  # docs/examples/household.json is this state

# --- Amend a completed part: p2's salary was reported late -------------------------------------
run answer hh.json --person p2 --actor hand01 --at 2025-01-15T08:00:00Z "${AS_OF[@]}" --set economy.income_salary=3500
run amend hh.json --person p2 --actor hand01 --at 2025-01-15T08:05:00Z "${AS_OF[@]}" \
  --set economy.income_salary=3500 --reason "Lönebesked för december inkom 2025-01-15."
run trail hh.json

# --- Migrate to 2025.1, validate both versions, print the forms ---------------------------------
run migrate hh.json --to 2025.1 -o hh-2025.1.json --report migration-report.json --actor hand01 \
  --at 2025-01-15T09:00:00Z "${AS_OF[@]}"
run validate hh.json "${AS_OF[@]}"
run answer hh-2025.1.json --person p1 --actor hand01 --at 2025-01-15T09:10:00Z --by together "${AS_OF[@]}" \
  --set personal.digital_id=yes --set family.support_family=yes --set family.support_friends=no \
  --set education.highest=university
run answer hh-2025.1.json --person p2 --actor hand01 --at 2025-01-15T09:20:00Z --by client "${AS_OF[@]}" \
  --set personal.digital_id=no
run complete hh-2025.1.json --part 1 --actor hand01 --at 2025-01-15T09:25:00Z "${AS_OF[@]}"
run complete hh-2025.1.json --part 2 --actor hand01 --at 2025-01-15T09:26:00Z "${AS_OF[@]}"
run validate hh-2025.1.json "${AS_OF[@]}"
run render-form --lang sv --version 2025.1 --municipality "Södertälje kommun" -o blankett-sv.html
run render-form --lang en --version 2024.1 --municipality "Nynäshamn municipality" -o form-en.html
