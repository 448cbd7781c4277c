-- outcomes (--from, --to, --self-support-months N): every intervention of any actor that ended
-- in the window counts once (a participation), by intervention kind / category effective on its
-- start day and sex: whether the person left assistance for self-support (an assistance period
-- of theirs ended with exit reason work or studies between the intervention's start and N
-- months after its end, both days included), its KAS outcome, and whole months from start to
-- end in the KAS time bands; and, for the categories AM1–AM3 at start, the outcome against the
-- target (work or studies: unsubsidised work, subsidised work, studies) (docs/statistics.md,
-- "The reports", outcomes).
-- Variables: from, to, kas_time_bands, self_support_months, targets (AM1, AM2, AM3 percent).
-- Result: one row per published cell (table_id, row_label, column_label, count).
CREATE OR REPLACE TEMP TABLE outcome_units AS
SELECT p.sex,
       coalesce(nullif(i.intervention_kind, ''), '(kind not recorded)') || ' / ' ||
         coalesce(c.category, 'Not categorised') AS row_label,
       coalesce(c.category, 'Not categorised') AS category,
       -- "N months after": the same calendar day N months on, clamped to that month's length.
       EXISTS (SELECT 1 FROM periods x
               WHERE x.person = i.person AND x.exit_reason IN ('EXIT_REASON_WORK', 'EXIT_REASON_STUDIES')
                 AND x.end_day BETWEEN i.start_day
                                   AND CAST(i.end_day + to_months(getvariable('self_support_months')) AS DATE))
         AS self_support,
       kas_outcome_label(i.outcome) AS outcome,
       band(whole_months(i.start_day, i.end_day), getvariable('kas_time_bands'), 'below the first band') AS time_band
FROM interventions i JOIN persons p ON p.person = i.person
ASOF LEFT JOIN categorisations c ON c.person = i.person AND i.start_day >= c.effective
WHERE i.end_day BETWEEN getvariable('from') AND getvariable('to');

-- Four families, each for women, men, women and men, and other/not recorded, rows × columns with
-- totals: self-support or not, KAS outcome, time band (rows kind / category at start), and the
-- targets (rows AM1–AM3 at start, labelled with their target).
SELECT u.family || '.' || s.suffix AS table_id, coalesce(row_label, 'Total') AS row_label,
       coalesce(column_label, 'Total') AS column_label, count(*) AS count
FROM (SELECT 'outcomes.self_support' AS family, sex, row_label,
             CASE WHEN self_support THEN 'Self-support (work, studies)' ELSE 'No self-support' END AS column_label
      FROM outcome_units
      UNION ALL SELECT 'outcomes.kas', sex, row_label, outcome FROM outcome_units
      UNION ALL SELECT 'outcomes.time', sex, row_label, time_band FROM outcome_units
      UNION ALL
      SELECT 'outcomes.targets', sex,
             category || CASE WHEN t.target < 0 THEN ' (no target)' ELSE ' (target ' || t.target || ' %)' END,
             CASE WHEN outcome IN ('Unsubsidised work', 'Subsidised work', 'Studies') THEN 'Work or studies'
                  ELSE 'Other outcome' END
      FROM outcome_units
      JOIN (SELECT 'AM' || n AS level, getvariable('targets')[n] AS target FROM range(1, 4) r(n)) t
        ON t.level = category) u
JOIN sex_tables s ON s.sex = u.sex
GROUP BY u.family, s.suffix, CUBE (row_label, column_label);
