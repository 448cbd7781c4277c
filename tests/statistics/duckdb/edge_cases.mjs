// Hand-made events appended to the generated ones: each person is a case the generator never
// (or too rarely) produces, where a misreading of a definition would change a cell. The
// personnummer are synthetic (born 30 November, a day the generator never uses).
//
// Each case and the cell it moves (for the default scenario: at 2022-12-31, window
// 2022-01-01 … 2023-06-30):
//  run      two periods that follow one another day by day are one run of assistance: from
//           2021-10-01, on 2022-12-31 that is 14 whole months (13–24), not 11 (7–12) from the
//           second period's start;
//  clamp    an intervention from 31 January to 30 April lasts 3 whole months (3–5): the
//           anniversary day is clamped to the end month's length;
//  late     a period's end corrected by a later-recorded event wins; an event recorded earlier
//           but imported later does not;
//  tie      two categorisations on the same day: the later-recorded wins, and with the same
//           recorded_at the later-imported;
//  kas      an intervention that ends on the day a follow-up recategorises counts in the
//           category of its start day (a categorisation on the start day counts);
//  sex      sex not recorded and sex other are the other/not recorded group; an unknown birth
//           month counts as July, an unknown birth year is the other/unknown age band, an age
//           below the first band too; a person's sex is the latest imported event's (first
//           imported as not recorded, then as a woman: a woman);
//  actor    an intervention without a responsible actor is outside the default KAS scope;
//  exits    of two periods ended in the window, the last one's exit reason counts; a period
//           ended without a reason is "reason not recorded".
//  chain    lead times: two first visits on one day are one; a step on the visit's day is 0 days;
//           the next first visit ends the chain (a plan after it is not the first chain's, and
//           the second chain has no application, so no decision or plan); the first
//           intervention after the second visit is that visit's; in the category of the visit
//           day (set on that day);
//  clamp    a lead time above 3650 days counts as 3650 (181+), counted by its later date;
//  gaps     an intervention starting the day after the last ended: gap 0; 9 days without one:
//           gap 9; after one still running: no gap; across an exit and a new period: no gap;
//           two starting on one day: each has the gap; after one that outlasted the period (its
//           end after the period's): no gap, though the new one starts inside the period;
//  msex     a milestone is one of the person's events: imported last, its sex counts;
//  passive  AM2 whose last intervention ended 1 April: passive exactly 90 days on 30 June (at
//           most 90), one whose ended 31 March: 91 (more than 90); AM3 without any since its period started 1 January (more than 90; one
//           starting after `to` does not count); AM2 with one ending on `to`: active.
//  selfsup  outcomes, self-support within 6 months of an intervention from 31 January to
//           31 March (a region's: outcomes take every actor): an exit to work on 30 September
//           (31 March + 6 months, clamped) counts, an exit to studies on 1 October does not; an
//           exit to work the day before the start does not, on the start day it does; an exit
//           for another reason inside the window does not.

function personnummer(year, serial) {
  const body = `${String(year).slice(2)}1130${String(serial).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < body.length; ++i) {
    const p = Number(body[i]) * (i % 2 === 0 ? 2 : 1);
    sum += p > 9 ? p - 9 : p;
  }
  return `${year}1130${String(serial).padStart(3, '0')}${(10 - (sum % 10)) % 10}`;
}

export function edgeCaseEvents(municipality) {
  const lines = [];
  let n = 0;
  const person = (year, serial, sex, birthMonth = 11, birthYear = year) => ({
    personnummer: personnummer(year, serial), sex, birth_year: birthYear, birth_month: birthMonth,
  });
  const header = (subject, day, recorded = `${day}T12:00:00Z`) => ({
    event_id: `edge-${++n}`, municipality_code: municipality, subject, effective_date: day, recorded_at: recorded,
    unit: 'unit-1', caseworker: 'cw-1',
  });
  const period = (s, start, end, exit, recorded) => lines.push({ assistance_period: {
    header: header(s, end ?? start, recorded), start_date: start,
    ...(end ? { end_date: end } : {}), ...(exit ? { exit_reason: exit } : {}) } });
  const categorise = (s, day, category, recorded) => lines.push({ categorisation: {
    header: header(s, day, recorded), category, governing_view: 'ASSESSMENT_VIEW_CASEWORKER', occasion: 'follow_up' } });
  const intervention = (s, id, kind, actor, start, end, outcome) => lines.push({ intervention: {
    header: header(s, end ?? start), intervention_id: id, kind, orientation: 'INTERVENTION_ORIENTATION_WORK',
    ...(actor ? { responsible_actor: actor } : {}), start_date: start,
    ...(end ? { end_date: end } : {}), ...(outcome ? { outcome } : {}) } });
  const milestone = (s, day, kind) => lines.push({ milestone: { header: header(s, day), milestone: `MILESTONE_${kind}` } });
  const am = (level) => ({ am_level: `AM_LEVEL_AM${level}` });

  // run: one run from 2021-10-01.
  const run = person(1980, 901, 'SEX_FEMALE');
  period(run, '2021-10-01', '2021-12-31', 'EXIT_REASON_OTHER');
  period(run, '2022-01-01');
  categorise(run, '2021-10-05', am(2));

  // clamp: 31 January → 30 April, municipal, ended in the window.
  const clamp = person(1985, 902, 'SEX_MALE');
  period(clamp, '2021-12-01');
  categorise(clamp, '2021-12-10', am(1));
  intervention(clamp, 'iv-1', 'work_training', 'municipality', '2022-01-31', '2022-04-30', 'KAS_OUTCOME_STUDIES');

  // late: the end 2022-05-31 recorded last wins over 2022-12-31 (so not on assistance on
  // 2022-12-31); an end 2023-02-28 recorded before both, imported after, loses.
  const late = person(1975, 903, 'SEX_FEMALE');
  period(late, '2021-05-01');
  categorise(late, '2021-05-03', am(3));
  period(late, '2021-05-01', '2022-12-31', 'EXIT_REASON_MOVED', '2023-01-02T09:00:00Z');
  period(late, '2021-05-01', '2022-05-31', 'EXIT_REASON_WORK', '2023-01-03T09:00:00Z');
  period(late, '2021-05-01', '2023-02-28', 'EXIT_REASON_OTHER', '2022-06-01T09:00:00Z');

  // tie: on 2022-03-01 AM1 recorded at 15:00 beats AM3 recorded at 10:00 though imported
  // first; on 2022-06-01 two at the same time: the later-imported (AM2 + R2) wins.
  const tie = person(1990, 904, 'SEX_MALE');
  period(tie, '2022-02-01');
  categorise(tie, '2022-03-01', am(1), '2022-03-01T15:00:00Z');
  categorise(tie, '2022-03-01', am(3), '2022-03-01T10:00:00Z');
  categorise(tie, '2022-06-01', am(3), '2022-06-01T12:00:00Z');
  categorise(tie, '2022-06-01', { am_level: 'AM_LEVEL_AM2', r_kinds: ['R_KIND_R2_MENTAL'] }, '2022-06-01T12:00:00Z');

  // kas: AM3 set on the start day; the follow-up on the end day sets AM1 → counted as AM3.
  const kas = person(1970, 905, 'SEX_FEMALE');
  period(kas, '2021-01-10');
  categorise(kas, '2021-01-20', { further_investigation: true });
  categorise(kas, '2022-03-01', am(3));
  intervention(kas, 'iv-1', 'work_placement', 'municipality', '2022-03-01', '2022-09-15', 'KAS_OUTCOME_UNSUBSIDISED_WORK');
  categorise(kas, '2022-09-15', am(1));

  // sex and age: not recorded, unknown birth month; other, unknown birth year.
  const unrecorded = person(2001, 906, 'SEX_UNSPECIFIED', 0);
  period(unrecorded, '2022-01-15');
  categorise(unrecorded, '2022-01-20', am(2));
  intervention(unrecorded, 'iv-1', 'sfi', 'municipality', '2022-02-01', '2022-08-31', 'KAS_OUTCOME_OTHER');
  const other = person(1960, 907, 'SEX_OTHER', 11, 0);
  period(other, '2021-08-01');
  categorise(other, '2021-08-02', { r_kinds: ['R_KIND_R1_PHYSICAL', 'R_KIND_R3_SUBSTANCE'] });
  const young = person(2006, 910, 'SEX_MALE');
  period(young, '2022-09-01');
  categorise(young, '2022-09-05', am(1));
  const corrected = person(1988, 911, 'SEX_UNSPECIFIED');
  period(corrected, '2022-04-01');
  categorise({ ...corrected, sex: 'SEX_FEMALE' }, '2022-04-04', am(3));

  // actor: no responsible actor → outside the default scope (inside with '*').
  const actor = person(1982, 908, 'SEX_MALE');
  period(actor, '2021-03-01');
  categorise(actor, '2021-03-02', am(2));
  intervention(actor, 'iv-1', 'work_training', null, '2022-02-01', '2022-05-01', 'KAS_OUTCOME_SUBSIDISED_WORK');

  // exits: two periods end in the window; the last (no reason recorded) counts.
  const exits = person(1995, 909, 'SEX_FEMALE');
  period(exits, '2021-11-01', '2022-02-28', 'EXIT_REASON_WORK');
  period(exits, '2022-06-01', '2022-10-31');
  categorise(exits, '2021-11-02', am(1));

  // chain: first visit 10 February twice (AM2 from that day), application the same day (0),
  // decision 28 February (18); next first visit 2 May; plan 20 May; intervention 1 June (the
  // second visit's: 30 days; the first chain has none before 2 May).
  const chain = person(1983, 912, 'SEX_FEMALE');
  period(chain, '2022-02-01');
  categorise(chain, '2022-02-10', am(2));
  milestone(chain, '2022-02-10', 'FIRST_VISIT');
  milestone(chain, '2022-02-10', 'FIRST_VISIT');
  milestone(chain, '2022-02-10', 'COMPLETE_APPLICATION');
  milestone(chain, '2022-02-28', 'DECISION');
  milestone(chain, '2022-05-02', 'FIRST_VISIT');
  milestone(chain, '2022-05-20', 'PLAN');
  // gaps: 1 June – 31 July; 1 August (gap 0) – 30 September; 10 October (gap 9), still running;
  // 1 December (after a running one: no gap).
  intervention(chain, 'iv-1', 'work_training', 'municipality', '2022-06-01', '2022-07-31', 'KAS_OUTCOME_OTHER');
  intervention(chain, 'iv-2', 'work_training', 'municipality', '2022-08-01', '2022-09-30', 'KAS_OUTCOME_OTHER');
  intervention(chain, 'iv-3', 'work_placement', 'municipality', '2022-10-10');
  intervention(chain, 'iv-4', 'sfi', 'municipality', '2022-12-01', '2022-12-31', 'KAS_OUTCOME_STUDIES');

  // clamp: first visit 1 March 2011, complete application 1 March 2022 (4018 days → 3650).
  const clampLt = person(1972, 913, 'SEX_MALE');
  period(clampLt, '2011-03-01');
  milestone(clampLt, '2011-03-01', 'FIRST_VISIT');
  milestone(clampLt, '2022-03-01', 'COMPLETE_APPLICATION');

  // gaps across an exit: 10 January – 31 March in a period ended 31 March; a new period from
  // 1 June: 1–10 June, then two on 15 June (gap 4 each); the first one's end is in the old
  // period, so 1 June has no gap.
  const gaps = person(1987, 914, 'SEX_MALE');
  period(gaps, '2022-01-01', '2022-03-31', 'EXIT_REASON_OTHER');
  period(gaps, '2022-06-01');
  categorise(gaps, '2022-01-05', am(3));
  intervention(gaps, 'iv-1', 'work_training', 'municipality', '2022-01-10', '2022-03-31', 'KAS_OUTCOME_OTHER');
  intervention(gaps, 'iv-2', 'work_training', 'municipality', '2022-06-01', '2022-06-10', 'KAS_OUTCOME_OTHER');
  intervention(gaps, 'iv-3', 'work_placement', 'municipality', '2022-06-15', '2022-07-15', 'KAS_OUTCOME_OTHER');
  intervention(gaps, 'iv-4', 'sfi', 'municipality', '2022-06-15', '2022-08-15', 'KAS_OUTCOME_STUDIES');

  // outlasting: the period ends 31 May; 10 January – 30 June outlasts it; 20–25 May starts
  // inside it, but E = 30 June is outside: no gap.
  const outlast = person(1984, 919, 'SEX_FEMALE');
  period(outlast, '2022-01-01', '2022-05-31', 'EXIT_REASON_WORK');
  categorise(outlast, '2022-01-03', am(2));
  intervention(outlast, 'iv-1', 'work_training', 'municipality', '2022-01-10', '2022-06-30', 'KAS_OUTCOME_OTHER');
  intervention(outlast, 'iv-2', 'work_placement', 'municipality', '2022-05-20', '2022-05-25', 'KAS_OUTCOME_OTHER');

  // msex: recorded as not recorded, then a first visit recorded for a man: a man.
  const msex = person(1989, 920, 'SEX_UNSPECIFIED');
  period(msex, '2022-03-01');
  categorise(msex, '2022-03-02', am(1));
  milestone({ ...msex, sex: 'SEX_MALE' }, '2022-03-02', 'FIRST_VISIT');

  // passive (on 2023-06-30, 90 days).
  const boundary = person(1978, 915, 'SEX_FEMALE');
  period(boundary, '2022-11-01');
  categorise(boundary, '2022-11-03', am(2));
  intervention(boundary, 'iv-1', 'work_training', 'municipality', '2022-12-01', '2023-04-01', 'KAS_OUTCOME_OTHER');
  const beyond = person(1979, 918, 'SEX_FEMALE');
  period(beyond, '2022-11-01');
  categorise(beyond, '2022-11-03', am(2));
  intervention(beyond, 'iv-1', 'work_training', 'municipality', '2022-12-01', '2023-03-31', 'KAS_OUTCOME_OTHER');
  const idle = person(1966, 916, 'SEX_MALE');
  period(idle, '2023-01-01');
  categorise(idle, '2023-01-04', am(3));
  intervention(idle, 'iv-1', 'work_training', 'municipality', '2023-07-05');
  const active = person(1993, 917, 'SEX_FEMALE');
  period(active, '2023-02-01');
  categorise(active, '2023-02-02', am(2));
  intervention(active, 'iv-1', 'work_training', 'municipality', '2023-03-01', '2023-06-30', 'KAS_OUTCOME_OTHER');

  // selfsup: AM1 at start; horizon 2022-09-30.
  const selfSupport = (serial, sex, exits) => {
    const s = person(1981, serial, sex);
    for (const [start, end, reason] of exits) period(s, start, end, reason);
    categorise(s, '2021-06-02', am(1));
    intervention(s, 'iv-1', 'work_training', 'region', '2022-01-31', '2022-03-31', 'KAS_OUTCOME_SUBSIDISED_WORK');
  };
  selfSupport(921, 'SEX_FEMALE', [['2021-06-01', '2022-09-30', 'EXIT_REASON_WORK']]);
  selfSupport(922, 'SEX_MALE', [['2021-06-01', '2022-10-01', 'EXIT_REASON_STUDIES']]);
  selfSupport(923, 'SEX_FEMALE', [['2021-06-01', '2022-01-30', 'EXIT_REASON_WORK'],
    ['2022-01-31', '2022-03-15', 'EXIT_REASON_OTHER']]);
  selfSupport(924, 'SEX_MALE', [['2021-06-01', '2022-01-31', 'EXIT_REASON_WORK']]);

  // ---- caseload (open cases per caseworker and category on `at`, what is due from the default
  // profile's clocks: action plan = first categorisation + 3 months, done once an intervention
  // has begun; AM1 review = the AM1 categorisation in force + 3 months; DUR/ASI = the run of
  // assistance holding `at` + 6 months). Caseworkers cw-edge-*; the boundaries are set for the
  // second scenario, at 2023-03-15 (due soon: 15 March … 14 April), where a due day on `at` is
  // due soon, the day before overdue, the day after due soon. (No 3- or 6-month due day falls
  // on 31 December, the first scenario's `at`.)
  //  plan     first categorised 14, 15, 16 December (overdue, due soon, due soon); 15 December
  //           with the first intervention on 15 March (done) and on 16 March (due soon); an
  //           intervention before the first categorisation (done: the first plan counts);
  //           first categorised 14 and 15 January (due 14 April: due soon; 15 April: not yet);
  //           back in January 2023 after an exit, first categorised in 2021 (overdue: the first
  //           categorisation ever stands for the first visit);
  //  am1      AM1 in force from 14, 15, 16 December (the first after AM2; a repeated AM1
  //           restarts the review); AM1 + R1 from 10 December (the AM level is AM1: overdue);
  //  closed   on assistance until 15 March (open on `at`: counted), until 14 March (not open);
  //  durasi   runs from 14, 15, 16 September; one run of two periods 1–14 and 15 September on
  //           (from 1 September: overdue), two runs broken by 14 September (from 15: due soon);
  //  worker   the caseworker of the latest event on or before `at` (then the latest recorded,
  //           then the later imported): one changing a → b (→ c from 1 April, the third scenario);
  //           two on one day (the later recorded, imported first, wins); an older day recorded
  //           late does not win; none named by any event, and none named by the latest event.
  const caseworkerOf = (cw, add) => {
    const from = lines.length;
    add();
    for (const l of lines.slice(from)) {
      const h = Object.values(l)[0].header;
      if (cw) h.caseworker = cw; else delete h.caseworker;
    }
  };
  const open = (serial, start, firstCategorised, category = am(2), cw = 'cw-edge-a') => {
    const s = person(1970 + (serial % 25), serial, serial % 2 ? 'SEX_MALE' : 'SEX_FEMALE');
    caseworkerOf(cw, () => {
      period(s, start);
      if (firstCategorised) categorise(s, firstCategorised, category);
    });
    return s;
  };
  // plan
  open(950, '2022-12-01', '2022-12-14');
  open(951, '2022-12-01', '2022-12-15');
  open(952, '2022-12-01', '2022-12-16');
  const onDueDay = open(953, '2022-12-01', '2022-12-15');
  caseworkerOf('cw-edge-a', () => intervention(onDueDay, 'iv-1', 'work_training', 'municipality', '2023-03-15'));
  const dayAfter = open(954, '2022-12-01', '2022-12-15');
  caseworkerOf('cw-edge-a', () => intervention(dayAfter, 'iv-1', 'work_training', 'municipality', '2023-03-16'));
  const planFirst = open(955, '2022-09-01', null);
  caseworkerOf('cw-edge-a', () => {
    intervention(planFirst, 'iv-1', 'work_training', 'municipality', '2022-10-01', '2022-10-31', 'KAS_OUTCOME_OTHER');
    categorise(planFirst, '2022-11-01', am(2));
  });
  open(956, '2023-01-01', '2023-01-14');
  open(957, '2023-01-01', '2023-01-15');
  const back = open(974, '2023-01-01', '2023-01-05');
  caseworkerOf('cw-edge-a', () => {
    period(back, '2021-05-01', '2021-06-30', 'EXIT_REASON_MOVED');
    categorise(back, '2021-05-03', am(2));
  });
  // am1 (each with an intervention, so the action plan is done)
  const reviewed = (serial, categorisations, start = '2022-06-01', end = null) => {
    const s = person(1970 + (serial % 25), serial, serial % 2 ? 'SEX_MALE' : 'SEX_FEMALE');
    caseworkerOf('cw-edge-b', () => {
      period(s, start, end, end ? 'EXIT_REASON_WORK' : null);
      intervention(s, 'iv-1', 'work_training', 'municipality', '2022-07-01', '2022-08-31', 'KAS_OUTCOME_OTHER');
      for (const [day, category] of categorisations) categorise(s, day, category);
    });
  };
  reviewed(958, [['2022-06-01', am(2)], ['2022-12-14', am(1)]]);
  reviewed(959, [['2022-06-01', am(1)], ['2022-12-15', am(1)]]);
  reviewed(960, [['2022-12-16', am(1)]]);
  reviewed(961, [['2022-12-10', { am_level: 'AM_LEVEL_AM1', r_kinds: ['R_KIND_R1_PHYSICAL'] }]]);
  // closed
  reviewed(962, [['2022-12-01', am(1)]], '2022-06-01', '2023-03-15');
  reviewed(963, [['2022-12-01', am(1)]], '2022-06-01', '2023-03-14');
  // durasi (AM3, an intervention running, so only the DUR/ASI clock ticks)
  const durasi = (serial, periods) => {
    const s = person(1970 + (serial % 25), serial, serial % 2 ? 'SEX_MALE' : 'SEX_FEMALE');
    caseworkerOf('cw-edge-c', () => {
      for (const [start, end] of periods) period(s, start, end, end ? 'EXIT_REASON_OTHER' : null);
      categorise(s, '2022-09-20', am(3));
      intervention(s, 'iv-1', 'work_placement', 'municipality', '2022-10-01');
    });
  };
  durasi(964, [['2022-09-14']]);
  durasi(965, [['2022-09-15']]);
  durasi(966, [['2022-09-16']]);
  durasi(967, [['2022-09-01', '2022-09-14'], ['2022-09-15']]);
  durasi(968, [['2022-03-01', '2022-09-13'], ['2022-09-15']]);
  // worker
  const changer = open(969, '2022-05-01', null);
  caseworkerOf('cw-edge-b', () => categorise(changer, '2022-10-01', am(2)));
  caseworkerOf('cw-edge-c', () => categorise(changer, '2023-04-01', am(2)));
  const sameDay = open(970, '2022-05-01', null);
  caseworkerOf('cw-edge-b', () => categorise(sameDay, '2022-11-01', am(3), '2022-11-01T15:00:00Z'));
  caseworkerOf('cw-edge-a', () => categorise(sameDay, '2022-11-01', am(2), '2022-11-01T09:00:00Z'));
  const lateOld = open(971, '2022-05-01', null);
  caseworkerOf('cw-edge-b', () => categorise(lateOld, '2022-10-01', am(2), '2022-10-01T12:00:00Z'));
  caseworkerOf('cw-edge-c', () => categorise(lateOld, '2022-08-01', am(2), '2022-12-01T12:00:00Z'));
  open(972, '2022-05-01', '2022-10-01', am(1), null);
  const unnamedLast = open(973, '2022-05-01', null);
  caseworkerOf(null, () => categorise(unnamedLast, '2022-10-01', am(2)));
  // ---- end of caseload
  // ---- indicators ----------------------------------------------------------------------------
  // Each case and the cell it moves (default scenario: window 2022-01-01 … 2023-06-30, assessed
  // within 30 days, recategorised within 6 months):
  //  assessed  a first visit on 1 March assessed on 31 March (visit + 30 days): met; one assessed
  //            on 1 April: not met; one assessed the day before the visit only: not met;
  //  decision  complete application on Friday 8 April 2022: 10 working days skip Good Friday and
  //            Easter Monday, deadline 26 April: a decision then is met, on 27 April not; an
  //            application on 20 December 2021 (before the window): Christmas Eve, New Year's
  //            Eve and Epiphany skipped, deadline 5 January 2022 (in the window): met on 5
  //            January, not met on 7 January;
  //  plan      a first visit on 31 January: deadline 30 April (clamped); a plan on 30 April is
  //            met, on 1 May not; a plan after the next first visit is that visit's, not the
  //            first one's;
  //  recat     first categorised 31 January 2022 (AM3), + 6 months = 31 July: AM2 on 31 July is
  //            met, on 1 August not; two categorisations on the first day (AM1, then AM3 recorded
  //            later): the category at the end of the day is AM3, so AM3 later is no change; a
  //            later day with AM1, then AM3 recorded later: met (every categorisation of a later
  //            day counts, also one the day's later event overrides);
  //  parts     two events on the first day: the earliest records parts 1 and 2 (met), the later
  //            part 1 only; a first event without parts is not recorded (out of the share) though
  //            a later one has them; parts recorded but none completed: not met;
  //  steps     AM3 → AM2 (closer), AM2 → further investigation without an AM level (no pair),
  //            → AM2 + R2 (no pair: the day before carries none), → AM3 where the day's first
  //            event says AM1 (further), → further investigation with AM level AM3 (unchanged);
  //  units     the unit of the latest event on the assessment's day: the categorisation's own,
  //            a period event recorded later that day, an event naming none ("(no unit)"); two
  //            categorisations on one day each count; views with the caseworker only, the client
  //            only, neither (recorded, no self-assessment); same AM level but another further
  //            investigation flag: agree; another R kind or AM level: differ; no views: not
  //            recorded;
  //  ratings   a day without ratings is skipped (not recorded) and the change measured against
  //            the day before it; a day whose last event has ratings counts them, not its first
  //            event's; a day whose last event has none is not recorded though its first has
  //            them; a rating 0 on either day is left out of its row.
  const assess = (s, day, category, facts = {}, recorded = undefined, unit = 'unit-1') => lines.push({ categorisation: {
    header: { ...header(s, day, recorded), unit }, category, governing_view: 'ASSESSMENT_VIEW_CASEWORKER',
    occasion: 'follow_up', ...facts } });
  const parts = (...completed) => ({ form_parts: completed.length ? { completed } : {} });
  const ratings = (education, swedish, workExperience, health, motivation, jobSeeking) => ({ am_ratings: {
    education, swedish, work_experience: workExperience, health, motivation, job_seeking: jobSeeking } });

  // assessed
  const assessed = (serial, sex, day) => {
    const s = person(1951, serial, sex);
    period(s, '2022-02-20');
    milestone(s, '2022-03-01', 'FIRST_VISIT');
    assess(s, day, am(2));
  };
  assessed(951, 'SEX_FEMALE', '2022-03-31');
  assessed(952, 'SEX_MALE', '2022-04-01');
  assessed(953, 'SEX_FEMALE', '2022-02-28');

  // decision
  const decision = (serial, sex, application, decided) => {
    const s = person(1952, serial, sex);
    period(s, '2021-12-01');
    milestone(s, '2021-12-01', 'FIRST_VISIT');
    milestone(s, application, 'COMPLETE_APPLICATION');
    milestone(s, decided, 'DECISION');
  };
  decision(954, 'SEX_FEMALE', '2022-04-08', '2022-04-26');
  decision(955, 'SEX_MALE', '2022-04-08', '2022-04-27');
  decision(956, 'SEX_MALE', '2021-12-20', '2022-01-05');
  decision(957, 'SEX_FEMALE', '2021-12-20', '2022-01-07');

  // plan
  const plan = (serial, sex, visits, planned) => {
    const s = person(1953, serial, sex);
    period(s, '2022-01-15');
    for (const v of visits) milestone(s, v, 'FIRST_VISIT');
    milestone(s, planned, 'PLAN');
  };
  plan(958, 'SEX_FEMALE', ['2022-01-31'], '2022-04-30');
  plan(959, 'SEX_MALE', ['2022-01-31'], '2022-05-01');
  plan(960, 'SEX_FEMALE', ['2022-02-01', '2022-03-01'], '2022-03-15');

  // recat
  const recat = (serial, sex, days) => {
    const s = person(1954, serial, sex);
    period(s, '2022-01-15');
    for (const [day, level, recorded] of days) assess(s, day, am(level), {}, recorded);
  };
  recat(961, 'SEX_FEMALE', [['2022-01-31', 3], ['2022-07-31', 2]]);
  recat(962, 'SEX_MALE', [['2022-01-31', 3], ['2022-08-01', 2]]);
  recat(963, 'SEX_FEMALE', [['2022-01-31', 1, '2022-01-31T09:00:00Z'], ['2022-01-31', 3, '2022-01-31T16:00:00Z'],
    ['2022-03-01', 3]]);
  recat(964, 'SEX_MALE', [['2022-01-31', 3], ['2022-03-01', 1, '2022-03-01T09:00:00Z'],
    ['2022-03-01', 3, '2022-03-01T16:00:00Z']]);

  // parts
  const partsCase = (serial, sex, events) => {
    const s = person(1955, serial, sex);
    period(s, '2022-02-01');
    for (const [day, facts, recorded] of events) assess(s, day, am(2), facts, recorded);
  };
  partsCase(965, 'SEX_FEMALE', [['2022-02-03', parts(1, 2), '2022-02-03T09:00:00Z'],
    ['2022-02-03', parts(1), '2022-02-03T16:00:00Z']]);
  partsCase(966, 'SEX_MALE', [['2022-02-03', {}], ['2022-05-03', parts(1, 2, 3, 4)]]);
  partsCase(967, 'SEX_OTHER', [['2022-02-03', parts()]]);

  // steps
  const steps = person(1956, 968, 'SEX_MALE');
  period(steps, '2021-11-01');
  assess(steps, '2021-12-01', am(3));
  assess(steps, '2022-02-01', am(2));
  assess(steps, '2022-03-01', { further_investigation: true });
  assess(steps, '2022-04-01', { am_level: 'AM_LEVEL_AM2', r_kinds: ['R_KIND_R2_MENTAL'] });
  assess(steps, '2022-05-02', am(1), {}, '2022-05-02T09:00:00Z');
  assess(steps, '2022-05-02', am(3), {}, '2022-05-02T16:00:00Z');
  assess(steps, '2022-06-01', { am_level: 'AM_LEVEL_AM3', further_investigation: true });

  // units
  const both = (caseworker, client) => ({ views: { ...(caseworker ? { caseworker } : {}), ...(client ? { client } : {}) } });
  const units = person(1957, 969, 'SEX_FEMALE');
  period(units, '2022-01-10');
  assess(units, '2022-02-01', am(2), both(am(2), { am_level: 'AM_LEVEL_AM2', further_investigation: true }), undefined, 'unit-3');
  assess(units, '2022-02-01', am(2), both(am(2), am(3)), undefined, 'unit-3');
  assess(units, '2022-03-01', am(2), both(am(2), { am_level: 'AM_LEVEL_AM2', r_kinds: ['R_KIND_R1_PHYSICAL'] }),
    '2022-03-01T10:00:00Z', 'unit-3');
  lines.push({ assistance_period: { header: { ...header(units, '2022-03-01', '2022-03-01T11:00:00Z'), unit: 'unit-4' },
    start_date: '2022-01-10' } });
  assess(units, '2022-04-01', am(2), both(am(2), null), undefined, '');
  assess(units, '2022-05-02', am(2), both(null, am(2)), undefined, 'unit-2');
  assess(units, '2022-06-01', am(2), both(null, null), undefined, 'unit-2');
  assess(units, '2022-07-01', am(2), {}, undefined, 'unit-2');

  // ratings
  const rated = person(1958, 970, 'SEX_MALE');
  period(rated, '2021-10-01');
  assess(rated, '2021-11-01', am(2), ratings(2, 2, 2, 2, 2, 2));
  assess(rated, '2022-02-01', am(2));
  assess(rated, '2022-03-01', am(2), ratings(3, 3, 3, 3, 3, 3), '2022-03-01T09:00:00Z');
  assess(rated, '2022-03-01', am(2), ratings(1, 2, 3, 0, 2, 1), '2022-03-01T16:00:00Z');
  assess(rated, '2022-04-01', am(2), ratings(1, 1, 1, 1, 1, 1), '2022-04-01T09:00:00Z');
  assess(rated, '2022-04-01', am(2), {}, '2022-04-01T16:00:00Z');
  assess(rated, '2022-05-02', am(2), ratings(3, 3, 3, 3, 3, 3));
  // ---- end of indicators ---------------------------------------------------------------------

  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}
