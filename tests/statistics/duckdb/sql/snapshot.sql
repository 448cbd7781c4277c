-- snapshot (--at): persons on assistance on the day, by category × sex × age band × time on
-- assistance (docs/statistics.md, "The reports", 1). Variables: at, age_bands, duration_bands.
-- Result: one row per published cell (table_id, row_label, column_label, count); zeros may be
-- left out.

-- Time on assistance: whole months of the unbroken run of assistance days that holds the day
-- (assistance_runs, events.sql).
CREATE OR REPLACE TEMP TABLE snapshot_units AS
WITH on_day AS (
  SELECT person, start_day AS run_start, getvariable('at') AS day
  FROM assistance_runs WHERE start_day <= getvariable('at') AND end_day >= getvariable('at'))
SELECT o.person, p.sex, coalesce(c.category, 'Not categorised') AS category,
       band(age_on(p.birth_year, p.birth_month, o.day), getvariable('age_bands'), 'other/unknown') AS age_band,
       band(whole_months(o.run_start, o.day), getvariable('duration_bands'), 'below the first band') AS duration_band
FROM on_day o JOIN persons p ON p.person = o.person
ASOF LEFT JOIN categorisations c ON c.person = o.person AND o.day >= c.effective;

-- Category × sex for women and men (columns Women, Men, Total); the other/not recorded group
-- as a table of its own (one column); category × age band and category × duration band for
-- women and for men.
SELECT 'snapshot.category_by_sex' AS table_id, coalesce(category, 'Total') AS row_label,
       coalesce(sex_label, 'Total') AS column_label, count(*) AS count
FROM (SELECT category, CASE sex WHEN 'women' THEN 'Women' ELSE 'Men' END AS sex_label
      FROM snapshot_units WHERE sex IN ('women', 'men'))
GROUP BY CUBE (category, sex_label)
UNION ALL
SELECT 'snapshot.other', coalesce(category, 'Total'), 'Other/not recorded', count(*)
FROM snapshot_units WHERE sex = 'other'
GROUP BY ROLLUP (category)
UNION ALL
SELECT 'snapshot.' || family || '.' || sex, coalesce(category, 'Total'), coalesce(band, 'Total'), count(*)
FROM (SELECT 'category_by_age' AS family, sex, category, age_band AS band FROM snapshot_units
      UNION ALL
      SELECT 'category_by_duration', sex, category, duration_band FROM snapshot_units)
WHERE sex IN ('women', 'men')
GROUP BY family, sex, CUBE (category, band);
