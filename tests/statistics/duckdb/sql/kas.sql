-- kas (--from, --to): each intervention in scope that ended in the window counts once (a
-- participation), with the need category effective on its start day, age on the start day,
-- whole months from start to end, and its KAS outcome (docs/statistics.md, "The reports", 3).
-- Variables: from, to, age_bands, kas_time_bands, kas_actors, kas_kinds ('*' = all).
-- Result: one row per published cell (table_id, row_label, column_label, count).
CREATE OR REPLACE TEMP TABLE kas_units AS
SELECT i.person, p.sex, coalesce(i.intervention_kind, '') AS kind,
       coalesce(c.category, 'Not categorised') AS category,
       band(age_on(p.birth_year, p.birth_month, i.start_day), getvariable('age_bands'), 'other/unknown') AS age_band,
       band(whole_months(i.start_day, i.end_day), getvariable('kas_time_bands'), 'below the first band') AS time_band,
       kas_outcome_label(i.outcome) AS outcome
FROM interventions i JOIN persons p ON p.person = i.person
ASOF LEFT JOIN categorisations c ON c.person = i.person AND i.start_day >= c.effective
WHERE i.end_day BETWEEN getvariable('from') AND getvariable('to')
  AND (list_contains(getvariable('kas_actors'), '*') OR list_contains(getvariable('kas_actors'), i.actor))
  AND (list_contains(getvariable('kas_kinds'), '*') OR list_contains(getvariable('kas_kinds'), i.intervention_kind));

-- Five families of tables, each for women, men, women and men, and other/not recorded; rows ×
-- outcome with totals: category at start, kind, kind / category at start, age band, time band.
SELECT u.family || '.' || s.suffix AS table_id, coalesce(row_label, 'Total') AS row_label,
       coalesce(outcome, 'Total') AS column_label, count(*) AS count
FROM (SELECT 'kas' AS family, sex, category AS row_label, outcome FROM kas_units
      UNION ALL SELECT 'kas.kind', sex, kind, outcome FROM kas_units
      UNION ALL SELECT 'kas.kind_category', sex, kind || ' / ' || category, outcome FROM kas_units
      UNION ALL SELECT 'kas.age', sex, age_band, outcome FROM kas_units
      UNION ALL SELECT 'kas.time', sex, time_band, outcome FROM kas_units) u
JOIN sex_tables s ON s.sex = u.sex
GROUP BY u.family, s.suffix, CUBE (row_label, outcome);
