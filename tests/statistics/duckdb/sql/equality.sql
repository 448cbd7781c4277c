-- equality (--from, --to): within each category on the intervention's start day, the women and
-- the men with an intervention started in the window, and how many of them got a work-oriented
-- and how many a rehabilitative one; among the categorised persons on assistance on `to`, how
-- many have RH (docs/statistics.md, "The reports", 4). "Categorised" = an AM or RH category:
-- further investigation (the picture is not clear yet) and not categorised are left out.
-- Variables: from, to.
-- Result: one row per published cell (table_id, row_label, column_label, count).
WITH started AS (
  SELECT i.person, p.sex, coalesce(c.category, 'Not categorised') AS category,
         i.orientation = 'INTERVENTION_ORIENTATION_WORK' AS work,
         i.orientation = 'INTERVENTION_ORIENTATION_REHABILITATIVE' AS rehabilitative
  FROM interventions i JOIN persons p ON p.person = i.person
  ASOF LEFT JOIN categorisations c ON c.person = i.person AND i.start_day >= c.effective
  WHERE i.start_day BETWEEN getvariable('from') AND getvariable('to') AND p.sex IN ('women', 'men')),
per_person AS (
  SELECT person, sex, category, bool_or(work) AS work, bool_or(rehabilitative) AS rehabilitative
  FROM started GROUP BY person, sex, category),
on_to AS (
  SELECT DISTINCT o.person, getvariable('to') AS day FROM periods o
  WHERE o.start_day <= getvariable('to') AND (o.end_day IS NULL OR o.end_day >= getvariable('to'))),
categorised AS (
  SELECT x.sex, c.category
  FROM on_to o JOIN persons x ON x.person = o.person
  ASOF JOIN categorisations c ON c.person = o.person AND o.day >= c.effective
  WHERE x.sex IN ('women', 'men') AND c.category NOT IN ('Not categorised', 'Further investigation'))
SELECT 'equality.interventions' AS table_id, category AS row_label,
       CASE sex WHEN 'women' THEN 'Women: ' ELSE 'Men: ' END || what AS column_label, n AS count
FROM (SELECT category, sex, count(*) AS n_all, count(*) FILTER (WHERE work) AS n_work,
             count(*) FILTER (WHERE rehabilitative) AS n_rehab
      FROM per_person GROUP BY category, sex)
UNPIVOT (n FOR what IN (n_all AS 'persons with an intervention', n_work AS 'work-oriented',
                        n_rehab AS 'rehabilitative'))
UNION ALL
SELECT 'equality.am_rh', CASE sex WHEN 'women' THEN 'Women' ELSE 'Men' END, what, n
FROM (SELECT sex, count(*) AS n_all,
             count(*) FILTER (WHERE category = 'RH only' OR category LIKE 'AM + RH%') AS n_rh
      FROM categorised GROUP BY sex)
UNPIVOT (n FOR what IN (n_all AS 'Categorised', n_rh AS 'With RH'));
