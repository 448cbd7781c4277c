-- indicators (--from, --to, --assessed-within-days N, --recategorisation-months M): the process
-- indicators, each case met or not met by sex; distance travelled on the AM scale and in each AM
-- rating; self-assessment and caseworker/client disagreement per unit; whether the events record
-- the indicator facts (docs/statistics.md, "The reports", indicators).
-- Variables: from, to, assessed_within_days, recategorisation_months.
-- Result: one row per published cell (table_id, row_label, column_label, count).

-- Swedish working days (docs/categorisation.md, "Calendar and clocks"): Monday–Friday except the
-- public holidays (New Year's Day, Epiphany, Good Friday, Easter Monday, 1 May, Ascension Day,
-- Whit Monday up to 2004, National Day from 2005, Christmas Day, Boxing Day; the others fall on a
-- Sunday or Saturday) and Midsummer Eve, Christmas Eve and New Year's Eve. Easter Sunday by the
-- Gregorian computus (anonymous algorithm). For every calendar day: `worked`, the number of
-- working days up to and including it, so "N working days after day d" is the working day whose
-- count is worked(d) + N.
CREATE OR REPLACE TEMP TABLE calendar AS
WITH years AS (SELECT y::INTEGER AS y FROM range(1970, 2101) r(y)),
computus AS (
  SELECT y, a, b, c, (19 * a + b - b // 4 - (b - (b + 8) // 25 + 1) // 3 + 15) % 30 AS h
  FROM (SELECT y, y % 19 AS a, y // 100 AS b, y % 100 AS c FROM years)),
easter AS (
  SELECT y, make_date(y, (h + l - 7 * m + 114) // 31, (h + l - 7 * m + 114) % 31 + 1) AS easter
  FROM (SELECT *, (a + 11 * h + 22 * l) // 451 AS m
        FROM (SELECT *, (32 + 2 * (b % 4) + 2 * (c // 4) - h - c % 4) % 7 AS l FROM computus))),
holidays AS (
  SELECT make_date(y, m, d) AS day
  FROM easter, (VALUES (1, 1), (1, 6), (5, 1), (12, 24), (12, 25), (12, 26), (12, 31)) t(m, d)
  UNION ALL SELECT make_date(y, 6, 6) FROM easter WHERE y >= 2005
  UNION ALL SELECT easter + o FROM easter, (VALUES (-2), (1), (39)) t(o)
  UNION ALL SELECT easter + 50 FROM easter WHERE y <= 2004
  -- Midsummer Eve: the Friday from 19 to 25 June.
  UNION ALL SELECT make_date(y, 6, 19) + ((5 - dayofweek(make_date(y, 6, 19)) + 7) % 7)::INTEGER FROM easter),
days AS (
  SELECT day, isodow(day) <= 5 AND day NOT IN (SELECT day FROM holidays) AS working
  FROM (SELECT CAST(d AS DATE) AS day
        FROM generate_series(TIMESTAMP '1970-01-01', TIMESTAMP '2100-12-31', INTERVAL 1 DAY) g(d)))
SELECT day, working, sum(working::INTEGER) OVER (ORDER BY day) AS worked FROM days;

-- The unit responsible on a day: the unit named by the person's latest event with an effective
-- day up to then (the same day: the later recorded, then the later imported); an event that
-- names none gives "(no unit)".
CREATE OR REPLACE TEMP TABLE unit_days AS
SELECT person, effective AS day, coalesce(unit, '(no unit)') AS unit
FROM ev
QUALIFY row_number() OVER (PARTITION BY person, effective ORDER BY recorded_at DESC, rowid DESC) = 1;

-- Categorisation events in import order, with the facts the indicators read.
CREATE OR REPLACE TEMP TABLE assessments AS
SELECT person, effective AS day, recorded_at, rowid AS seq, report_category(category) AS category,
       category.am_level AS am_level, form_parts, views, am_ratings
FROM ev WHERE kind = 'categorisation';

-- Categorisation days: the last event of each day (the later recorded, then the later imported)
-- holds the category in force at the end of the day: its AM level (1–3, NULL for none) and its
-- ratings.
CREATE OR REPLACE TEMP TABLE assessment_days AS
SELECT person, day,
       CASE WHEN am_level IN ('AM_LEVEL_AM1', 'AM_LEVEL_AM2', 'AM_LEVEL_AM3') THEN right(am_level, 1)::INTEGER END
         AS am_level,
       am_ratings
FROM assessments
QUALIFY row_number() OVER (PARTITION BY person, day ORDER BY recorded_at DESC, seq DESC) = 1;

-- Distinct first-visit days, each with the next one (none: no limit).
CREATE OR REPLACE TEMP TABLE visits AS
SELECT person, day AS f, coalesce(lead(day) OVER (PARTITION BY person ORDER BY day), DATE '9999-12-31') AS f_next
FROM milestones WHERE milestone = 'first_visit';

-- Met or not met, one row per case: indicator, person, met (NULL: not recorded, out of the
-- denominator).
CREATE OR REPLACE TEMP TABLE indicator_cases AS
-- First visits in the window; met when a categorisation takes effect in [visit, visit + N days].
SELECT 'First visits assessed with Instrument X' AS indicator, v.person,
       EXISTS (SELECT 1 FROM categorisations c WHERE c.person = v.person
                 AND c.effective BETWEEN v.f AND v.f + getvariable('assessed_within_days')) AS met
FROM visits v WHERE v.f BETWEEN getvariable('from') AND getvariable('to')
UNION ALL
-- Each first visit's chain as the lead times define it: A the earliest complete application in
-- [F, F′), D the earliest decision in [A, F′). The deadline is 10 working days after A (the
-- default profile's decision clock); counted when it lies in the window, met when D ≤ deadline
-- (a decision in [A, F′) up to the deadline: then the earliest one is too).
SELECT 'Decisions in time after a complete application', x.person,
       EXISTS (SELECT 1 FROM milestones m WHERE m.person = x.person AND m.milestone = 'decision'
                 AND m.day >= x.a AND m.day < x.f_next AND m.day <= w.day)
FROM (SELECT v.*, (SELECT min(m.day) FROM milestones m WHERE m.person = v.person AND m.milestone = 'application'
                     AND m.day >= v.f AND m.day < v.f_next) AS a
      FROM visits v) x
JOIN calendar s ON s.day = x.a
JOIN calendar w ON w.working AND w.worked = s.worked + 10
WHERE w.day BETWEEN getvariable('from') AND getvariable('to')
UNION ALL
-- First visits whose deadline, 3 months on (the default profile's action-plan clock; the same
-- day of the month, clamped to the month's length), lies in the window; met when a plan in
-- [F, F′) is on or before it.
SELECT 'Plans in time after the first visit', person,
       EXISTS (SELECT 1 FROM milestones m WHERE m.person = p.person AND m.milestone = 'plan'
                 AND m.day >= p.f AND m.day < p.f_next AND m.day <= p.deadline)
FROM (SELECT v.*, CAST(v.f + INTERVAL 3 MONTH AS DATE) AS deadline FROM visits v) p
WHERE deadline BETWEEN getvariable('from') AND getvariable('to')
UNION ALL
-- Persons whose first categorisation day + M months lies in the window; met when a
-- categorisation on a later day up to then has another report category than the one in force
-- at the end of the first day: any event of that day, also one a later-recorded event of the same
-- day overrides.
SELECT 'Recategorised soon after the first assessment', f.person,
       EXISTS (SELECT 1 FROM assessments a WHERE a.person = f.person AND a.day > f.day
                 AND a.day <= f.deadline AND a.category <> f.category)
FROM (SELECT person, effective AS day, category,
             CAST(effective + to_months(getvariable('recategorisation_months')) AS DATE) AS deadline
      FROM categorisations QUALIFY row_number() OVER (PARTITION BY person ORDER BY effective) = 1) f
WHERE f.deadline BETWEEN getvariable('from') AND getvariable('to')
UNION ALL
-- Persons whose first categorisation event (the earliest: first day, earliest recorded, first
-- imported) is in the window; met when it records parts 1 and 2 completed.
SELECT 'Parts 1–2 completed at the first assessment', person,
       CASE WHEN form_parts IS NOT NULL
            THEN list_contains(coalesce(form_parts.completed, []), 1) AND list_contains(coalesce(form_parts.completed, []), 2) END
FROM (SELECT * FROM assessments QUALIFY row_number() OVER (PARTITION BY person ORDER BY day, recorded_at, seq) = 1)
WHERE day BETWEEN getvariable('from') AND getvariable('to');

-- Categorisation events in the window that record the views, by the unit responsible on their
-- day: with or without the client's self-assessment; where both assessed, same or different (a
-- different AM level or different R kinds).
CREATE OR REPLACE TEMP TABLE view_events AS
WITH v AS (
  SELECT a.person, a.day, a.views,
         views.client IS NOT NULL AS self_assessed, views.caseworker IS NOT NULL AND views.client IS NOT NULL AS both
  FROM assessments a
  WHERE a.day BETWEEN getvariable('from') AND getvariable('to') AND a.views IS NOT NULL)
SELECT v.person, u.unit, v.self_assessed,
       CASE WHEN v.both THEN
         coalesce(nullif(v.views.caseworker.am_level, 'AM_LEVEL_UNSPECIFIED'), '') <>
           coalesce(nullif(v.views.client.am_level, 'AM_LEVEL_UNSPECIFIED'), '')
         OR list_sort(list_distinct(list_filter(coalesce(v.views.caseworker.r_kinds, []), lambda r: r <> 'R_KIND_UNSPECIFIED'))) <>
            list_sort(list_distinct(list_filter(coalesce(v.views.client.r_kinds, []), lambda r: r <> 'R_KIND_UNSPECIFIED')))
       END AS differ
FROM v ASOF JOIN unit_days u ON u.person = v.person AND v.day >= u.day;

-- Consecutive categorisation days of a person, the later one in the window.
CREATE OR REPLACE TEMP TABLE day_pairs AS
SELECT * FROM (
  SELECT person, day, am_level, am_ratings,
         lag(am_level) OVER (PARTITION BY person ORDER BY day) AS previous_level
  FROM assessment_days)
WHERE day BETWEEN getvariable('from') AND getvariable('to');

-- Each rating of a categorisation day in the window whose last event records the ratings,
-- against the person's previous day with ratings (any earlier day; days without are skipped).
CREATE OR REPLACE TEMP TABLE rating_changes AS
WITH rated AS (
  SELECT person, day, am_ratings AS now,
         lag(am_ratings) OVER (PARTITION BY person ORDER BY day) AS before
  FROM assessment_days WHERE am_ratings IS NOT NULL),
pairs AS (
  SELECT r.person, t.label, coalesce(t.now, 0) AS now, coalesce(t.before, 0) AS before
  FROM rated r, LATERAL (VALUES
    ('Education', r.now.education, r.before.education),
    ('Swedish', r.now.swedish, r.before.swedish),
    ('Work experience', r.now.work_experience, r.before.work_experience),
    ('Health', r.now.health, r.before.health),
    ('Motivation', r.now.motivation, r.before.motivation),
    ('Job seeking', r.now.job_seeking, r.before.job_seeking)) t(label, now, before)
  WHERE r.before IS NOT NULL AND r.day BETWEEN getvariable('from') AND getvariable('to'))
SELECT person, label, CASE WHEN now < before THEN 'Closer to work' WHEN now = before THEN 'Unchanged'
                           ELSE 'Further from work' END AS change
FROM pairs WHERE now <> 0 AND before <> 0;

-- Whether the events record each fact: the first assessments in the window (parts), the
-- categorisation events in the window (views), the categorisation days in the window (ratings,
-- the day's last event).
CREATE OR REPLACE TEMP TABLE recorded_facts AS
SELECT 'Parts completed (first assessment)' AS fact, person, met IS NOT NULL AS recorded
FROM indicator_cases WHERE indicator = 'Parts 1–2 completed at the first assessment'
UNION ALL
SELECT 'Caseworker''s and client''s assessments', person, views IS NOT NULL FROM assessments
WHERE day BETWEEN getvariable('from') AND getvariable('to')
UNION ALL
SELECT 'The six AM ratings', person, am_ratings IS NOT NULL FROM assessment_days
WHERE day BETWEEN getvariable('from') AND getvariable('to');

-- Six families, each for women, men, women and men, and other/not recorded, rows × columns with
-- totals.
SELECT u.family || '.' || s.suffix AS table_id, coalesce(row_label, 'Total') AS row_label,
       coalesce(column_label, 'Total') AS column_label, count(*) AS count
FROM (SELECT 'indicators' AS family, person, indicator AS row_label,
             CASE WHEN met THEN 'Met' ELSE 'Not met' END AS column_label
      FROM indicator_cases WHERE met IS NOT NULL
      UNION ALL
      SELECT 'indicators.am_steps', person, 'AM' || previous_level,
             CASE WHEN am_level < previous_level THEN 'Closer to work' WHEN am_level = previous_level THEN 'Unchanged'
                  ELSE 'Further from work' END
      FROM day_pairs WHERE am_level IS NOT NULL AND previous_level IS NOT NULL
      UNION ALL
      SELECT 'indicators.self_assessment', person, unit,
             CASE WHEN self_assessed THEN 'With self-assessment' ELSE 'Without self-assessment' END
      FROM view_events
      UNION ALL
      SELECT 'indicators.disagreement', person, unit, CASE WHEN differ THEN 'Differ' ELSE 'Agree' END
      FROM view_events WHERE differ IS NOT NULL
      UNION ALL
      SELECT 'indicators.ratings', person, label, change FROM rating_changes
      UNION ALL
      SELECT 'indicators.recorded', person, fact, CASE WHEN recorded THEN 'Recorded' ELSE 'Not recorded' END
      FROM recorded_facts) u
JOIN persons p ON p.person = u.person
JOIN sex_tables s ON s.sex = p.sex
GROUP BY u.family, s.suffix, CUBE (row_label, column_label);
