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

  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}
