// The reports recomputed by DuckDB: one entry and one SQL file (sql/<name>.sql) each. The SQL
// file runs after sql/events.sql (the merged events, the category table, the macros) with the
// scenario's parameters as DuckDB variables (getvariable('from'), …, see recompute.mjs), and its
// last statement returns one row per published cell: table_id, row_label, column_label, count.
// `ixctl report <name>` is run with every scenario option, so a new report whose options are
// already in the scenario needs nothing else; a new option goes into the scenarios and
// ixctlOptions in recompute.mjs. The protected report is checked as counts (a cell of 1 …
// threshold−1 must be hidden, "<5" must be 1 … threshold−1); a report whose cells are not
// counts of persons (e.g. a median in days) sets protectedCheck: false and is compared
// unprotected only.
export const reports = [
  { name: 'snapshot', sql: 'snapshot.sql' },
  { name: 'movements', sql: 'movements.sql' },
  { name: 'kas', sql: 'kas.sql' },
  { name: 'equality', sql: 'equality.sql' },
  { name: 'trend', sql: 'trend.sql' },
];

// Generated data and the parameters each report is checked with. The second scenario moves
// every band and the KAS scope away from the defaults, so options that were read but not passed
// on would show.
export const generator = { persons: 3000, years: 4, seed: 19, start: '2020-01-01', municipality: '0192' };
export const scenarios = [
  { name: 'defaults', at: '2022-12-31', from: '2022-01-01', to: '2023-06-30' },
  {
    name: 'other bands and scope', at: '2023-03-15', from: '2021-03-01', to: '2022-08-31',
    age_bands: [18, 21, 26, 35, 45, 60], duration_bands: [0, 2, 6, 10, 18, 36],
    kas_time_bands: [0, 1, 4, 9, 15], kas_actors: ['*'], kas_kinds: ['*'],
  },
  {
    name: 'KAS scope: two actors, two kinds', at: '2023-06-30', from: '2022-07-01', to: '2023-06-30',
    kas_actors: ['municipality', 'region'], kas_kinds: ['work_placement', 'psychiatry_contact', 'sfi'],
  },
];
