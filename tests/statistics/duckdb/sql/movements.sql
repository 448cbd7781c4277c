-- movements (--from, --to): every person on assistance at some time in the window, once, by
-- category on `from` (or new entrant) × category on `to` (or exit by the reason of the last
-- period that ended in the window) (docs/statistics.md, "The reports", 2). Variables: from, to.
-- Result: one row per published cell (table_id, row_label, column_label, count).
CREATE OR REPLACE TEMP TABLE movement_units AS
WITH in_window AS (
  SELECT DISTINCT person, getvariable('from') AS from_day, getvariable('to') AS to_day
  FROM periods
  WHERE start_day <= getvariable('to') AND (end_day IS NULL OR end_day >= getvariable('from'))),
on_from AS (
  SELECT DISTINCT person FROM periods
  WHERE start_day <= getvariable('from') AND (end_day IS NULL OR end_day >= getvariable('from'))),
on_to AS (
  SELECT DISTINCT person FROM periods
  WHERE start_day <= getvariable('to') AND (end_day IS NULL OR end_day >= getvariable('to'))),
last_exit AS (
  SELECT person, exit_reason FROM periods
  WHERE end_day BETWEEN getvariable('from') AND getvariable('to')
  QUALIFY row_number() OVER (PARTITION BY person ORDER BY end_day DESC, start_day DESC) = 1),
located AS (
  SELECT w.person, w.from_day, w.to_day, f.person IS NOT NULL AS on_from, t.person IS NOT NULL AS on_to,
         x.exit_reason
  FROM in_window w
  LEFT JOIN on_from f ON f.person = w.person
  LEFT JOIN on_to t ON t.person = w.person
  LEFT JOIN last_exit x ON x.person = w.person),
at_from AS (
  SELECT l.*, c.category AS category_from
  FROM located l ASOF LEFT JOIN categorisations c ON c.person = l.person AND l.from_day >= c.effective)
SELECT a.person, p.sex,
       CASE WHEN a.on_from THEN coalesce(a.category_from, 'Not categorised') ELSE 'New entrants' END AS row_label,
       CASE WHEN a.on_to THEN coalesce(c.category, 'Not categorised')
            ELSE CASE a.exit_reason WHEN 'EXIT_REASON_WORK' THEN 'Exit: work'
                                    WHEN 'EXIT_REASON_STUDIES' THEN 'Exit: studies'
                                    WHEN 'EXIT_REASON_OTHER_BENEFIT' THEN 'Exit: other benefit'
                                    WHEN 'EXIT_REASON_MOVED' THEN 'Exit: moved'
                                    WHEN 'EXIT_REASON_OTHER' THEN 'Exit: other'
                                    ELSE 'Exit: reason not recorded' END END AS column_label
FROM at_from a JOIN persons p ON p.person = a.person
ASOF LEFT JOIN categorisations c ON c.person = a.person AND a.to_day >= c.effective;

-- One table per sex group (women, men, women and men, other/not recorded), with totals.
SELECT 'movements.' || s.suffix AS table_id, coalesce(row_label, 'Total') AS row_label,
       coalesce(column_label, 'Total') AS column_label, count(*) AS count
FROM movement_units u JOIN sex_tables s ON s.sex = u.sex
GROUP BY s.suffix, CUBE (row_label, column_label);
