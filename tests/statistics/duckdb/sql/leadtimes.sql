-- lead-times (--from, --to, --passive-days): the days between the steps of a case (first visit →
-- complete application → decision → plan → first intervention), the gaps between interventions,
-- their medians and 90th percentiles, and the AM2/AM3 adults without an active intervention
-- (docs/statistics.md, "The reports", lead-times). Variables: from, to, passive_days.
-- Result: one row per published cell (table_id, row_label, column_label, count); for the median
-- and p90 tables the "count" is the number of days; zeros and quantiles without values are left
-- out.

-- The steps, their codes (lead_times.<code>.*) and labels (columns of the quantile tables).
CREATE OR REPLACE TEMP TABLE lead_steps AS
SELECT * FROM (VALUES
  ('visit_to_application', 'First visit → complete application'),
  ('application_to_decision', 'Complete application → decision'),
  ('decision_to_plan', 'Decision → plan'),
  ('plan_to_intervention', 'Plan → first intervention'),
  ('visit_to_intervention', 'First visit → first intervention'),
  ('intervention_gap', 'Gap between interventions')) t(step, label);

-- The chain of each distinct first-visit day F of a person, up to the next first-visit day F′
-- (none: no limit): each step the earliest milestone of its kind on or after the previous step
-- and before F′; a missing step leaves the later ones missing. I₀ needs only F.
CREATE OR REPLACE TEMP TABLE chains AS
WITH visits AS (
  SELECT person, day AS f, lead(day) OVER (PARTITION BY person ORDER BY day) AS f_next
  FROM milestones WHERE milestone = 'first_visit'),
bounded AS (SELECT person, f, coalesce(f_next, DATE '9999-12-31') AS f_next FROM visits),
with_a AS (
  SELECT v.*, (SELECT min(m.day) FROM milestones m WHERE m.person = v.person AND m.milestone = 'application'
                 AND m.day >= v.f AND m.day < v.f_next) AS a,
         (SELECT min(i.start_day) FROM interventions i WHERE i.person = v.person
                 AND i.start_day >= v.f AND i.start_day < v.f_next) AS i0
  FROM bounded v),
with_d AS (
  SELECT v.*, (SELECT min(m.day) FROM milestones m WHERE m.person = v.person AND m.milestone = 'decision'
                 AND m.day >= v.a AND m.day < v.f_next) AS d
  FROM with_a v),
with_p AS (
  SELECT v.*, (SELECT min(m.day) FROM milestones m WHERE m.person = v.person AND m.milestone = 'plan'
                 AND m.day >= v.d AND m.day < v.f_next) AS p
  FROM with_d v)
SELECT v.*, (SELECT min(i.start_day) FROM interventions i WHERE i.person = v.person
               AND i.start_day >= v.p AND i.start_day < v.f_next) AS i
FROM with_p v;

-- Every lead time: step, category, sex, days (above 3650 counted as 3650), counted when the later
-- date lies in the window. Steps in the category effective on F; gaps in the category effective
-- on the new intervention's start.
CREATE OR REPLACE TEMP TABLE lead_times AS
WITH steps AS (
  SELECT c.person, c.f, s.step, s.earlier, s.later
  FROM chains c, LATERAL (VALUES ('visit_to_application', c.f, c.a), ('application_to_decision', c.a, c.d),
                                 ('decision_to_plan', c.d, c.p), ('plan_to_intervention', c.p, c.i),
                                 ('visit_to_intervention', c.f, c.i0)) s(step, earlier, later)
  WHERE s.earlier IS NOT NULL AND s.later IS NOT NULL),
-- Gaps: for each intervention, the ones of the person that started strictly before it; none, or
-- one of them still running (no end): no gap. E = their latest end; the gap counts when one
-- assistance period holds both E and the new start (E may lie after the start when they overlap,
-- or after the period's end: then no period holds it).
earlier AS (
  SELECT i.person, i.intervention_id, i.start_day,
         (SELECT count(*) FROM interventions e WHERE e.person = i.person AND e.start_day < i.start_day) AS n_earlier,
         (SELECT count(*) FROM interventions e WHERE e.person = i.person AND e.start_day < i.start_day
                 AND e.end_day IS NULL) AS n_open,
         (SELECT max(e.end_day) FROM interventions e WHERE e.person = i.person AND e.start_day < i.start_day) AS e
  FROM interventions i),
gaps AS (
  SELECT g.person, 'intervention_gap' AS step, g.start_day AS later,
         greatest(0, g.start_day - g.e - 1) AS days
  FROM earlier g
  WHERE g.n_earlier > 0 AND g.n_open = 0
    AND EXISTS (SELECT 1 FROM periods o WHERE o.person = g.person AND o.start_day <= least(g.e, g.start_day)
                  AND (o.end_day IS NULL OR o.end_day >= greatest(g.e, g.start_day))))
SELECT u.person, p.sex, u.step, coalesce(c.category, 'Not categorised') AS category, least(u.days, 3650) AS days
FROM (SELECT person, step, f AS category_day, later, later - earlier AS days FROM steps
      UNION ALL SELECT person, step, later, later, days FROM gaps) u
JOIN persons p ON p.person = u.person
ASOF LEFT JOIN categorisations c ON c.person = u.person AND u.category_day >= c.effective
WHERE u.later BETWEEN getvariable('from') AND getvariable('to');

-- Passive adults: on assistance on `to`, category AM2 or AM3 on `to`. Active: an intervention
-- with start ≤ to and no end or end ≥ to. Otherwise passive since S = the later of the start of
-- the period holding `to` and the day after the latest end before `to`.
CREATE OR REPLACE TEMP TABLE passive AS
WITH on_to AS (
  SELECT person, max(start_day) AS period_start, getvariable('to') AS day FROM periods
  WHERE start_day <= getvariable('to') AND (end_day IS NULL OR end_day >= getvariable('to'))
  GROUP BY person)
SELECT o.person, p.sex, c.category,
       CASE WHEN EXISTS (SELECT 1 FROM interventions i WHERE i.person = o.person AND i.start_day <= getvariable('to')
                           AND (i.end_day IS NULL OR i.end_day >= getvariable('to'))) THEN 'Active intervention'
            WHEN getvariable('to') - greatest(o.period_start, coalesce(
                   (SELECT max(i.end_day) + 1 FROM interventions i WHERE i.person = o.person
                      AND i.end_day < getvariable('to')), o.period_start)) + 1 > getvariable('passive_days')
              THEN 'No intervention for more than ' || getvariable('passive_days')::VARCHAR || ' days'
            ELSE 'No intervention, at most ' || getvariable('passive_days')::VARCHAR || ' days' END AS state
FROM on_to o JOIN persons p ON p.person = o.person
ASOF JOIN categorisations c ON c.person = o.person AND o.day >= c.effective
WHERE c.category IN ('AM2', 'AM3');

-- Quantiles: with the n values sorted, the value at 0-based position floor((n − 1) · q) for
-- q = 1/2 and 9/10 (integer arithmetic, computed here rather than with quantile_disc, whose
-- position for 0.9 is ceil(n · 0.9) − 1: another value for n = 2, 12, …).
CREATE OR REPLACE TEMP TABLE quantiles AS
WITH groups AS (
  SELECT step, category AS row_label, s.suffix, days FROM lead_times JOIN sex_tables s USING (sex)
  WHERE s.suffix <> 'other'
  UNION ALL
  SELECT step, 'All categories', s.suffix, days FROM lead_times JOIN sex_tables s USING (sex)
  WHERE s.suffix <> 'other'),
ranked AS (
  SELECT *, row_number() OVER (PARTITION BY step, row_label, suffix ORDER BY days) - 1 AS pos,
         count(*) OVER (PARTITION BY step, row_label, suffix) AS n
  FROM groups)
SELECT q.id, r.step, r.row_label, r.suffix, r.days
FROM ranked r, (VALUES ('median', 1, 2), ('p90', 9, 10)) q(id, num, den)
WHERE r.pos = (r.n - 1) * q.num // q.den;

SELECT 'lead_times.' || q.id || '.' || q.suffix AS table_id, q.row_label, s.label AS column_label, q.days AS count
FROM quantiles q JOIN lead_steps s USING (step)
UNION ALL
-- Per step: category × day bands, for women, men, women and men, other/not recorded.
SELECT 'lead_times.' || step || '.' || s.suffix, coalesce(category, 'Total'), coalesce(band, 'Total'), count(*)
FROM (SELECT step, sex, category, band(days, [0, 8, 15, 31, 61, 91, 181], 'below') || ' days' AS band FROM lead_times) u
JOIN sex_tables s USING (sex)
GROUP BY step, s.suffix, CUBE (category, band)
UNION ALL
SELECT 'lead_times.passive.' || s.suffix, coalesce(category, 'Total'), coalesce(state, 'Total'), count(*)
FROM passive JOIN sex_tables s USING (sex)
GROUP BY s.suffix, CUBE (category, state);
