-- The raw events (NDJSON of ix.v1.Event, protobuf's JSON mapping, as `ixctl generate` writes
-- and `ixctl import` reads), loaded into DuckDB and reduced to the rows the definitions in
-- docs/statistics.md ("Event store", "Definitions the reports use") speak of. Written from those
-- definitions, not from the C++ code, so that a shared misreading is not recomputed twice.
-- Variables (SET VARIABLE by recompute.mjs): events_file, municipality.

-- One row per event of the municipality, flattened to what the definitions use. Insertion order
-- is the file order: CREATE TABLE AS keeps it (preserve_insertion_order), and rowid numbers the
-- rows in that order.
CREATE TABLE ev AS
WITH raw AS (
  SELECT coalesce(categorisation.header, assistance_period.header, intervention.header, milestone.header) AS h,
         categorisation.category AS category,
         assistance_period.start_date AS period_start, assistance_period.end_date AS period_end,
         assistance_period.exit_reason AS exit_reason,
         intervention.intervention_id AS intervention_id, intervention.kind AS intervention_kind,
         intervention.responsible_actor AS actor, intervention.orientation AS orientation,
         intervention.start_date AS intervention_start, intervention.end_date AS intervention_end,
         intervention.outcome AS outcome, milestone.milestone AS milestone,
         categorisation.form_parts AS form_parts, categorisation.views AS views,
         categorisation.am_ratings AS am_ratings,
         CASE WHEN categorisation IS NOT NULL THEN 'categorisation'
              WHEN assistance_period IS NOT NULL THEN 'period'
              WHEN milestone IS NOT NULL THEN 'milestone' ELSE 'intervention' END AS kind
  FROM read_json(getvariable('events_file'), format = 'newline_delimited', columns = {
    categorisation: 'STRUCT(header STRUCT(event_id VARCHAR, municipality_code VARCHAR,
        subject STRUCT(personnummer VARCHAR, pseudonym VARCHAR, sex VARCHAR, birth_year INTEGER, birth_month INTEGER),
        effective_date DATE, recorded_at TIMESTAMPTZ, unit VARCHAR, caseworker VARCHAR),
      category STRUCT(am_level VARCHAR, r_kinds VARCHAR[], further_investigation BOOLEAN),
      form_parts STRUCT(completed INTEGER[]),
      views STRUCT(caseworker STRUCT(am_level VARCHAR, r_kinds VARCHAR[], further_investigation BOOLEAN),
                   client STRUCT(am_level VARCHAR, r_kinds VARCHAR[], further_investigation BOOLEAN)),
      am_ratings STRUCT(education INTEGER, swedish INTEGER, work_experience INTEGER, health INTEGER,
                        motivation INTEGER, job_seeking INTEGER))',
    assistance_period: 'STRUCT(header STRUCT(event_id VARCHAR, municipality_code VARCHAR,
        subject STRUCT(personnummer VARCHAR, pseudonym VARCHAR, sex VARCHAR, birth_year INTEGER, birth_month INTEGER),
        effective_date DATE, recorded_at TIMESTAMPTZ, unit VARCHAR, caseworker VARCHAR),
      start_date DATE, end_date DATE, exit_reason VARCHAR)',
    intervention: 'STRUCT(header STRUCT(event_id VARCHAR, municipality_code VARCHAR,
        subject STRUCT(personnummer VARCHAR, pseudonym VARCHAR, sex VARCHAR, birth_year INTEGER, birth_month INTEGER),
        effective_date DATE, recorded_at TIMESTAMPTZ, unit VARCHAR, caseworker VARCHAR),
      intervention_id VARCHAR, kind VARCHAR, orientation VARCHAR, responsible_actor VARCHAR,
      start_date DATE, end_date DATE, outcome VARCHAR)',
    milestone: 'STRUCT(header STRUCT(event_id VARCHAR, municipality_code VARCHAR,
        subject STRUCT(personnummer VARCHAR, pseudonym VARCHAR, sex VARCHAR, birth_year INTEGER, birth_month INTEGER),
        effective_date DATE, recorded_at TIMESTAMPTZ, unit VARCHAR, caseworker VARCHAR),
      milestone VARCHAR)'}))
SELECT kind, h.event_id AS event_id, coalesce(nullif(h.subject.personnummer, ''), h.subject.pseudonym) AS person,
       h.subject.sex AS sex, h.subject.birth_year AS birth_year, h.subject.birth_month AS birth_month,
       h.effective_date AS effective, h.recorded_at AS recorded_at,
       category, period_start, period_end, exit_reason, intervention_id, intervention_kind, actor, orientation,
       intervention_start, intervention_end, outcome, milestone,
       h.caseworker AS caseworker,
       -- The indicators' facts (each NULL when the event does not record it) and the event's unit.
       form_parts, views, am_ratings, nullif(h.unit, '') AS unit
FROM raw
WHERE h.municipality_code = getvariable('municipality');

-- An event id seen before is a repeat and counts once (the first one stays, as an idempotent
-- import keeps it).
DELETE FROM ev WHERE rowid IN (
  SELECT rowid FROM ev QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY rowid) > 1);

-- Persons: sex as recorded and birth year/month. Sex groups: women, men, other/not recorded.
CREATE TABLE persons AS
SELECT person,
       CASE sex WHEN 'SEX_FEMALE' THEN 'women' WHEN 'SEX_MALE' THEN 'men' ELSE 'other' END AS sex,
       nullif(birth_year, 0) AS birth_year,
       CASE WHEN birth_month BETWEEN 1 AND 12 THEN birth_month ELSE 7 END AS birth_month
FROM ev
QUALIFY row_number() OVER (PARTITION BY person ORDER BY rowid DESC) = 1;

-- Repeated events about one period (same person and start date) or one intervention (same
-- person and intervention id) merge: the latest recorded_at wins, then the later insertion.
CREATE TABLE periods AS
SELECT person, period_start AS start_day, period_end AS end_day, exit_reason
FROM ev WHERE kind = 'period'
QUALIFY row_number() OVER (PARTITION BY person, period_start ORDER BY recorded_at DESC, rowid DESC) = 1;

-- Runs of assistance: periods that overlap or follow one another day by day are one run; a day
-- without assistance ends it. A run starts where a period starts more than one day after every
-- earlier period of the person has ended. One row per run: its first and last day (still open:
-- 9999-12-31).
CREATE TABLE assistance_runs AS
WITH ordered AS (
  SELECT person, start_day, coalesce(end_day, DATE '9999-12-31') AS end_day,
         max(coalesce(end_day, DATE '9999-12-31')) OVER (
           PARTITION BY person ORDER BY start_day, end_day
           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
  FROM periods),
runs AS (
  SELECT person, start_day, end_day,
         sum(CASE WHEN reach IS NULL OR start_day > reach + 1 THEN 1 ELSE 0 END) OVER (
           PARTITION BY person ORDER BY start_day, end_day ROWS UNBOUNDED PRECEDING) AS run
  FROM ordered)
SELECT person, min(start_day) AS start_day, max(end_day) AS end_day FROM runs GROUP BY person, run;

CREATE TABLE interventions AS
SELECT person, intervention_id, intervention_kind, actor, orientation, intervention_start AS start_day,
       intervention_end AS end_day, outcome
FROM ev WHERE kind = 'intervention'
QUALIFY row_number() OVER (PARTITION BY person, intervention_id ORDER BY recorded_at DESC, rowid DESC) = 1;

-- Milestones (first visit, complete application, decision, plan), each reached on its event's
-- effective day; a milestone recorded twice on one day is one.
CREATE TABLE milestones AS
SELECT DISTINCT person,
       CASE milestone WHEN 'MILESTONE_FIRST_VISIT' THEN 'first_visit'
                      WHEN 'MILESTONE_COMPLETE_APPLICATION' THEN 'application'
                      WHEN 'MILESTONE_DECISION' THEN 'decision'
                      WHEN 'MILESTONE_PLAN' THEN 'plan' END AS milestone,
       effective AS day
FROM ev WHERE kind = 'milestone' AND milestone IN ('MILESTONE_FIRST_VISIT', 'MILESTONE_COMPLETE_APPLICATION',
                                                   'MILESTONE_DECISION', 'MILESTONE_PLAN');

-- The published category label of a category (a categorisation event's or a view's).
CREATE MACRO report_category(c) AS
  CASE
    WHEN coalesce(c.further_investigation, false) THEN 'Further investigation'
    WHEN len(list_filter(coalesce(c.r_kinds, []), lambda r: r <> 'R_KIND_UNSPECIFIED')) = 0 THEN
      CASE c.am_level WHEN 'AM_LEVEL_AM1' THEN 'AM1' WHEN 'AM_LEVEL_AM2' THEN 'AM2'
                      WHEN 'AM_LEVEL_AM3' THEN 'AM3' ELSE 'Not categorised' END
    WHEN coalesce(c.am_level, 'AM_LEVEL_UNSPECIFIED') NOT IN ('AM_LEVEL_AM1', 'AM_LEVEL_AM2', 'AM_LEVEL_AM3')
      THEN 'RH only'
    WHEN len(list_distinct(list_filter(c.r_kinds, lambda r: r <> 'R_KIND_UNSPECIFIED'))) > 1
      THEN 'AM + RH several R kinds'
    ELSE CASE list_filter(c.r_kinds, lambda r: r <> 'R_KIND_UNSPECIFIED')[1]
           WHEN 'R_KIND_R1_PHYSICAL' THEN 'AM + RH R1 (physical)'
           WHEN 'R_KIND_R2_MENTAL' THEN 'AM + RH R2 (mental)'
           ELSE 'AM + RH R3 (substance use)' END
  END;

-- Categorisations, one per person and effective day (a later-recorded event on the same day
-- wins), as the published category label. "Category on D" is an ASOF join on this table: the
-- latest effective day <= D; none means not categorised.
CREATE TABLE categorisations AS
SELECT person, effective, report_category(category) AS category
FROM ev WHERE kind = 'categorisation'
QUALIFY row_number() OVER (PARTITION BY person, effective ORDER BY recorded_at DESC, rowid DESC) = 1;

-- Which published table(s) each sex group's counts go into: women and men each have their own
-- table and are added in "women and men"; the other/not recorded group has its own tables.
CREATE TABLE sex_tables AS
SELECT * FROM (VALUES ('women', 'women'), ('women', 'women_and_men'), ('men', 'men'),
                      ('men', 'women_and_men'), ('other', 'other')) t(sex, suffix);

-- Whole months from day a to day b, counted like an age: calendar months from a, the
-- anniversary day clamped to the length of b's month (31 January + 1 month = 28/29 February).
CREATE MACRO whole_months(a, b) AS
  (year(b) - year(a)) * 12 + month(b) - month(a)
  - CASE WHEN day(b) < least(day(a), day(last_day(b))) THEN 1 ELSE 0 END;

-- Age on day d from birth year and month (the birthday counts from the first of the month;
-- unknown month = July); NULL when the year is unknown.
CREATE MACRO age_on(birth_year, birth_month, d) AS
  year(d) - birth_year - CASE WHEN month(d) < birth_month THEN 1 ELSE 0 END;

-- Bands are lower bounds: the label of the band holding v ('18–24', …, '65+'), or `below`
-- when v is NULL or below the first bound.
CREATE MACRO band_label(bounds, i) AS
  CASE WHEN i = len(bounds) THEN bounds[i]::VARCHAR || '+'
       ELSE bounds[i]::VARCHAR || '–' || (bounds[i + 1] - 1)::VARCHAR END;
CREATE MACRO band(v, bounds, below) AS
  CASE WHEN v IS NULL OR v < bounds[1] THEN below
       ELSE band_label(bounds, len(list_filter(bounds, lambda b: b <= v))) END;

-- The KAS outcome of an intervention as published (the report's columns); none recorded or an
-- unknown value is "Not recorded".
CREATE MACRO kas_outcome_label(o) AS
  CASE o WHEN 'KAS_OUTCOME_UNSUBSIDISED_WORK' THEN 'Unsubsidised work'
         WHEN 'KAS_OUTCOME_SUBSIDISED_WORK' THEN 'Subsidised work'
         WHEN 'KAS_OUTCOME_STUDIES' THEN 'Studies'
         WHEN 'KAS_OUTCOME_COMPLETED_ASSIGNMENT' THEN 'Completed assignment'
         WHEN 'KAS_OUTCOME_RETURNED_TO_REFERRER' THEN 'Returned to referrer'
         WHEN 'KAS_OUTCOME_OTHER' THEN 'Other'
         ELSE 'Not recorded' END;
