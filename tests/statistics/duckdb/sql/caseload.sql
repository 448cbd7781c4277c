-- caseload (--at): open cases per caseworker by category on `at`, and what is due on `at` from
-- the profile's process clocks (docs/statistics.md, "The reports", 5; the clocks:
-- docs/categorisation.md, "Calendar and clocks").
-- Variables: at, due_soon_days, process_clocks (the default profile's clocks as its file
-- instrument-x/definitions/profiles/default.json states them, read by recompute.mjs: name,
-- label, start, amount, unit, conditions, done, on).
-- Result: one row per published cell (table_id, row_label, column_label, count); zeros are left
-- out.

-- Open cases: the persons on assistance on `at`, each with
--  - the start of the run of assistance holding `at` (assistance_runs, events.sql), for the
--    `assistance_run` clocks;
--  - the category in force on `at` (the latest categorisation effective on or before it; a
--    later-recorded one on the same day wins, then the later imported), the day it took effect
--    (`categorised` clocks) and its AM level and R kinds (the clocks' category conditions);
--  - the first categorisation of the person, which stands for the first visit (`first_visit`
--    clocks), and whether an intervention has begun on or before `at`, which means a plan exists
--    (done `action_plan`; the first plan counts even when made before the visit);
--  - the caseworker on `at`: the one named by the person's latest event on or before `at` (the
--    latest effective day, then the latest recorded, then the later imported); when that event
--    names none, the person is "(not assigned)".
CREATE OR REPLACE TEMP TABLE caseload_open AS
WITH held AS (
  SELECT person, start_day AS run_start
  FROM assistance_runs WHERE start_day <= getvariable('at') AND end_day >= getvariable('at')),
in_force AS (
  SELECT person, effective, category AS domain_category
  FROM ev WHERE kind = 'categorisation' AND effective <= getvariable('at')
  QUALIFY row_number() OVER (PARTITION BY person ORDER BY effective DESC, recorded_at DESC, rowid DESC) = 1),
worker AS (
  SELECT person, nullif(caseworker, '') AS caseworker
  FROM ev WHERE effective <= getvariable('at')
  QUALIFY row_number() OVER (PARTITION BY person ORDER BY effective DESC, recorded_at DESC, rowid DESC) = 1)
SELECT h.person, h.run_start, w.caseworker,
       coalesce(c.category, 'Not categorised') AS category, f.effective AS categorised_on,
       f.domain_category.am_level AS am_level,
       len(list_filter(coalesce(f.domain_category.r_kinds, []), lambda r: r <> 'R_KIND_UNSPECIFIED')) > 0 AS rh,
       (SELECT min(x.effective) FROM categorisations x WHERE x.person = h.person) AS first_categorised_on,
       EXISTS (SELECT 1 FROM interventions i WHERE i.person = h.person AND i.start_day <= getvariable('at'))
         AS plan_exists
FROM held h
LEFT JOIN in_force f ON f.person = h.person
LEFT JOIN categorisations c ON c.person = f.person AND c.effective = f.effective
LEFT JOIN worker w ON w.person = h.person;

-- The clocks the events can start, as the definition names them: `first_visit` (the first
-- categorisation), `categorised` and `assistance_run`; the clocks that start at a complete
-- application (the decision) or a form sent are left out. A start or done this file does not
-- know (`intervention_start`, `intervention_meeting`, …: not in the default profile) is an
-- error, not a silent zero. One due item per open case and clock whose conditions hold on `at`
-- (`on_assistance` holds for every open case; `category_amN` is the AM level in force,
-- whatever R kinds come with it; `category_rh` any R kind), due on its start + the clock's
-- amount (months: the same day of the month, clamped to the month's length; weeks: 7 days
-- each). Done: `action_plan` when a plan exists on `at`; `none` and `in_depth_offered` (no
-- event records an offer) never. What is not done is overdue when its due day has passed
-- (before `at`) and due soon when it falls on `at` or within due_soon_days after it.
CREATE OR REPLACE TEMP TABLE caseload_due AS
WITH clocks AS (
  SELECT c.label, c.start, c.amount, c.unit, c.conditions, c.done
  FROM (SELECT unnest(getvariable('process_clocks')) AS c)
  WHERE c."on" AND CASE WHEN c.start IN ('first_visit', 'categorised', 'assistance_run') THEN true
                        WHEN c.start IN ('application_complete', 'form_sent') THEN false
                        ELSE error('caseload.sql: no recomputation for the clock start ' || c.start) END),
items AS (
  SELECT o.caseworker, k.label, k.unit, k.amount,
         CASE k.start WHEN 'first_visit' THEN o.first_categorised_on
                      WHEN 'categorised' THEN o.categorised_on
                      WHEN 'assistance_run' THEN o.run_start END AS start_day,
         CASE k.done WHEN 'action_plan' THEN o.plan_exists
                     WHEN 'none' THEN false WHEN 'in_depth_offered' THEN false
                     ELSE error('caseload.sql: no recomputation for the clock done ' || k.done) END AS done
  FROM caseload_open o, clocks k
  WHERE list_bool_and(list_transform(k.conditions, lambda c:
          CASE c WHEN 'on_assistance' THEN true
                 WHEN 'category_am1' THEN coalesce(o.am_level = 'AM_LEVEL_AM1', false)
                 WHEN 'category_am2' THEN coalesce(o.am_level = 'AM_LEVEL_AM2', false)
                 WHEN 'category_am3' THEN coalesce(o.am_level = 'AM_LEVEL_AM3', false)
                 WHEN 'category_rh' THEN coalesce(o.rh, false)
                 WHEN 'category_am3_or_rh' THEN coalesce(o.am_level = 'AM_LEVEL_AM3' OR o.rh, false)
                 ELSE error('caseload.sql: unknown clock condition ' || c) END)) IS NOT false),
dated AS (
  SELECT caseworker, label, done, start_day,
         CASE unit WHEN 'months' THEN CAST(start_day + to_months(amount) AS DATE)
                   WHEN 'weeks' THEN start_day + 7 * amount
                   ELSE error('caseload.sql: no calendar for the unit ' || unit) END AS due_day
  FROM items WHERE start_day IS NOT NULL AND start_day <= getvariable('at'))
SELECT caseworker, label,
       CASE WHEN due_day < getvariable('at') THEN 'overdue' ELSE 'due soon' END AS state
FROM dated
WHERE NOT done AND due_day <= getvariable('at') + getvariable('due_soon_days');

-- Open cases per caseworker (rows, and Total) and category (columns, and Total); what is due per
-- caseworker (rows, and Total), one column per clock and state ("<label>: overdue", "<label>:
-- due soon").
SELECT 'caseload.open_by_category' AS table_id, coalesce(caseworker, 'Total') AS row_label,
       coalesce(category, 'Total') AS column_label, count(*) AS count
FROM (SELECT coalesce(caseworker, '(not assigned)') AS caseworker, category FROM caseload_open)
GROUP BY CUBE (caseworker, category)
UNION ALL
SELECT 'caseload.due', coalesce(caseworker, 'Total'), label || ': ' || state, count(*)
FROM (SELECT coalesce(caseworker, '(not assigned)') AS caseworker, label, state FROM caseload_due)
GROUP BY GROUPING SETS ((caseworker, label, state), (label, state));
