-- trend: persons on assistance on the last day of each month, by sex (docs/statistics.md, "The
-- reports", 6), for every month from the one holding `from` to the one holding `to`.
-- Variables: from, to. Result: one row per published cell (table_id, row_label, column_label,
-- count).
WITH month_ends AS (
  SELECT strftime(m, '%Y-%m') AS month, last_day(m) AS day
  FROM range(date_trunc('month', getvariable('from')), getvariable('to') + 1, INTERVAL 1 MONTH) r(m)),
on_day AS (
  SELECT DISTINCT e.month, p.person
  FROM month_ends e JOIN periods p ON p.start_day <= e.day AND (p.end_day IS NULL OR p.end_day >= e.day))
SELECT 'trend.by_sex' AS table_id, o.month AS row_label,
       CASE WHEN grouping(x.sex) = 1 THEN 'Total' WHEN x.sex = 'women' THEN 'Women' WHEN x.sex = 'men' THEN 'Men'
            ELSE 'Other/not recorded' END AS column_label, count(*) AS count
FROM on_day o JOIN persons x ON x.person = o.person
GROUP BY o.month, ROLLUP (x.sex);
