// The reports recomputed by DuckDB: one entry and one SQL file (sql/<name>.sql) each. The SQL
// file runs after sql/events.sql (the merged events, the category table, the macros) with the
// scenario's parameters as DuckDB variables (getvariable('from'), …, see recompute.mjs), and its
// last statement returns one row per published cell: table_id, row_label, column_label, count.
// `ixctl report <name>` is run with every scenario option, so a new report whose options are
// already in the scenario needs nothing else; a new option goes into the scenarios and
// ixctlOptions in recompute.mjs. The protected report is checked as counts (a cell of 1 …
// threshold−1 must be hidden, "<5" must be 1 … threshold−1). Cells that are values, not counts
// (tables with a value_unit, e.g. a median in days), are compared as values: the report names,
// in measureBasis(key), the count each is computed from and the least count it needs
// (besides the threshold) to be shown. A report that cannot say that sets protectedCheck: false
// and is compared unprotected only; protectedScenarios names the scenarios it is checked
// protected in (default all).

// lead-times: the quantile tables' column labels and the step each stands for.
const leadSteps = {
  'First visit → complete application': 'visit_to_application',
  'Complete application → decision': 'application_to_decision',
  'Decision → plan': 'decision_to_plan',
  'Plan → first intervention': 'plan_to_intervention',
  'First visit → first intervention': 'visit_to_intervention',
  'Gap between interventions': 'intervention_gap',
};

// A median or 90th percentile (lead_times.{median,p90}.<sexes> / category / step) is computed
// from the step's count table for the same sexes: the category's row total, or the grand total
// for all categories. A 90th percentile needs at least 10 values (docs/statistics.md).
function leadTimeBasis(key) {
  const [table, row, column] = key.split('\u0000');
  const [, quantile, sexes] = table.split('.');
  const step = leadSteps[column];
  if (!step) throw new Error(`lead-times: no step for the column '${column}'`);
  return {
    key: [`lead_times.${step}.${sexes}`, row === 'All categories' ? 'Total' : row, 'Total'].join('\u0000'),
    min: quantile === 'p90' ? 10 : 0,
  };
}

export const reports = [
  { name: 'snapshot', sql: 'snapshot.sql' },
  { name: 'movements', sql: 'movements.sql' },
  { name: 'kas', sql: 'kas.sql' },
  { name: 'equality', sql: 'equality.sql' },
  { name: 'trend', sql: 'trend.sql' },
  { name: 'lead-times', sql: 'leadtimes.sql', measureBasis: leadTimeBasis },
  // The protected outcomes report costs about 3 CPU seconds per scenario (secondary suppression
  // over some 7 000 linked cells, against well under 0.1 s for its internal one): checked
  // protected in the defaults only; the other scenarios change what is counted, not how a
  // count is protected, and are compared internal.
  { name: 'outcomes', sql: 'outcomes.sql', protectedScenarios: ['defaults'] },
  { name: 'caseload', sql: 'caseload.sql' },
  { name: 'indicators', sql: 'indicators.sql' },
];

// Generated data and the parameters each report is checked with. The second scenario moves
// every band, the KAS scope, the self-support horizon, the outcome targets and the indicators'
// two horizons away from the defaults, so options that were read but not passed on would show.
export const generator = { persons: 3000, years: 4, seed: 19, start: '2020-01-01', municipality: '0192' };
export const scenarios = [
  { name: 'defaults', at: '2022-12-31', from: '2022-01-01', to: '2023-06-30' },
  {
    name: 'other bands and scope', at: '2023-03-15', from: '2021-03-01', to: '2022-08-31',
    age_bands: [18, 21, 26, 35, 45, 60], duration_bands: [0, 2, 6, 10, 18, 36],
    kas_time_bands: [0, 1, 4, 9, 15], kas_actors: ['*'], kas_kinds: ['*'], passive_days: 30,
    self_support_months: 12, targets: [75, 50, 35], assessed_within_days: 14, recategorisation_months: 3,
  },
  {
    name: 'KAS scope: two actors, two kinds', at: '2023-06-30', from: '2022-07-01', to: '2023-06-30',
    kas_actors: ['municipality', 'region'], kas_kinds: ['work_placement', 'psychiatry_contact', 'sfi'],
  },
];
