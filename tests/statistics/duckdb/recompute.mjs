// Independent recomputation of the statistics reports with another engine: DuckDB (in memory)
// reads the raw events (NDJSON of ix.v1.Event, the file `ixctl import` reads) and computes each
// report in SQL written from the definitions in docs/statistics.md; `ixctl report` computes the
// same report from the event store. The two are compared cell by cell:
//   - internal report (no disclosure control): every published cell, both ways (a cell only
//     one side has is a difference unless the other side's count is 0);
//   - protected report (the default threshold): every shown count equals DuckDB's, every cell
//     DuckDB counts 1 … threshold−1 is hidden, "<5" cells are really 1 … threshold−1, and a
//     hidden cell carries no count or percent.
//   - values, not counts (tables with a value_unit: the lead times' medians and 90th
//     percentiles in days): the internal report shows one exactly when DuckDB has it, the same
//     value; the protected one exactly when its basis count (reports.mjs) is shown and large
//     enough.
//
//   node recompute.mjs --ixctl PATH --work DIR             generate, import, compare (ctest)
//   node recompute.mjs --ixctl PATH --work DIR --events FILE --store STORE --municipality M
//        --at D --from D --to D [--reports a,b] [--time] [--no-protected]
//                                                           existing events (the benchmark)
// Exit 0 when every cell agrees, 1 on a difference, 2 on a usage or run error.
import { DuckDBInstance } from '@duckdb/node-api';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { edgeCaseEvents } from './edge_cases.mjs';
import { generator, reports, scenarios } from './reports.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const threshold = 5;  // ixctl's default suppression threshold, used for the protected reports
const defaults = {
  age_bands: [18, 25, 30, 40, 50, 65], duration_bands: [0, 4, 7, 13, 25], kas_time_bands: [0, 3, 6, 12],
  kas_actors: ['municipality'], kas_kinds: ['*'], passive_days: 90, self_support_months: 6,
  targets: [80, 60, 40],  // the default profile's outcome targets (AM1, AM2, AM3)
  assessed_within_days: 30, recategorisation_months: 6,
  due_soon_days: 30,  // the caseload's "due within 30 days" (docs/statistics.md; no option)
};

function usage(message) {
  console.error(`recompute: ${message}`);
  process.exit(2);
}

function parseArgs(argv) {
  const args = { protected: true, time: false };
  for (let i = 0; i < argv.length; ++i) {
    const flag = argv[i];
    if (flag === '--time') args.time = true;
    else if (flag === '--no-protected') args.protected = false;
    else if (['--ixctl', '--work', '--events', '--store', '--municipality', '--at', '--from', '--to', '--reports'].includes(flag)) {
      if (i + 1 >= argv.length) usage(`${flag} needs a value`);
      args[flag.slice(2)] = argv[++i];
    } else usage(`unknown argument ${flag}`);
  }
  if (!args.ixctl || !args.work) usage('--ixctl and --work are required');
  if (!!args.events !== !!args.store) usage('--events and --store go together');
  return args;
}

// Runs a command; with `timed`, through /usr/bin/time for wall seconds, peak memory (KiB) and CPU
// seconds (user + system: on a shared machine the work done, whatever the wait).
function run(command, argv, timed = false, env = process.env) {
  const timeFile = timed ? join(args.work, 'time.txt') : null;
  const [cmd, full] = timed ? ['/usr/bin/time', ['-f', '%e %M %U %S', '-o', timeFile, command, ...argv]] : [command, argv];
  const r = spawnSync(cmd, full, { encoding: 'utf8', maxBuffer: 1 << 30, env });
  if (r.status !== 0) {
    console.error(`recompute: ${command} ${argv.join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr}`);
    process.exit(2);
  }
  if (!timed) return { stdout: r.stdout };
  const [seconds, kib, user, system] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).map(Number);
  return { stdout: r.stdout, seconds, kib, cpu: user + system };
}

// The options every report is run with, from the scenario (unused ones are ignored by ixctl).
function ixctlOptions(s, municipality) {
  const o = ['--municipality', municipality, '--at', s.at, '--from', s.from, '--to', s.to,
    '--age-bands', s.age_bands.join(','), '--duration-bands', s.duration_bands.join(','),
    '--kas-time-bands', s.kas_time_bands.join(','), '--kas-actors', s.kas_actors.join(','),
    '--passive-days', String(s.passive_days)];
  if (!s.kas_kinds.includes('*')) o.push('--kas-kinds', s.kas_kinds.join(','));
  o.push('--self-support-months', String(s.self_support_months));
  o.push('--assessed-within-days', String(s.assessed_within_days),
    '--recategorisation-months', String(s.recategorisation_months));
  // Without --targets ixctl takes the default profile's: passed only when a scenario sets others.
  if (s.targets.join(',') !== defaults.targets.join(',')) o.push('--targets', s.targets.join(','));
  return o;
}

function sqlLiteral(v) {
  if (Array.isArray(v)) return `[${v.map(sqlLiteral).join(', ')}]`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${sqlLiteral(k)}: ${sqlLiteral(x)}`).join(', ')}}`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return `DATE '${v}'`;
  return `'${String(v).replaceAll("'", "''")}'`;
}

// The process clocks of the default profile as its file states them (the caseload report counts
// them), each with every field, its label in English (the report's language), no condition
// when it lists none.
function defaultProfileClocks() {
  const file = join(here, '..', '..', '..', 'instrument-x', 'definitions', 'profiles', 'default.json');
  const profile = JSON.parse(readFileSync(file, 'utf8')).profiles.find((p) => p.is_default);
  if (!profile) usage(`no default profile in ${file}`);
  return profile.process_clocks.map((c) => ({
    name: c.name, label: c.label.en, start: c.start, amount: c.amount, unit: c.unit,
    conditions: c.conditions ?? [], done: c.done, on: c.on !== false,
  }));
}

async function runSqlFile(connection, file) {
  const text = readFileSync(join(here, 'sql', file), 'utf8');
  const statements = await connection.extractStatements(text);
  let last = null;
  for (let i = 0; i < statements.count; ++i) {
    const prepared = await statements.prepare(i);
    last = await prepared.runAndReadAll();
  }
  return last;
}

// table_id → row label → column label → cell, from an ix.v1.StatisticsReport in JSON; `measures`
// collects the keys of the cells that are values (value_unit "days"), not counts.
function cellsOf(report, measures = null) {
  const cells = new Map();
  for (const t of report.tables) {
    for (const row of t.rows) {
      row.cells.forEach((cell, j) => {
        const key = `${t.id}\u0000${row.label}\u0000${t.column_labels[j]}`;
        cells.set(key, cell);
        if (measures && t.value_unit) measures.add(key);
      });
    }
  }
  return cells;
}

const describe = (key) => key.split('\u0000').map((part) => `'${part}'`).join(' / ');

// A measure cell (e.g. a median in days) is compared as a value: the internal report shows it
// exactly when DuckDB has one, and they agree. The protected report shows it exactly when the
// count it is computed from (report.measureBasis) is shown and at least the threshold and the
// measure's own minimum; then it equals DuckDB's.
function compareMeasure(report, key, cell, sqlCells, published, differences, summary, isProtected) {
  const d = sqlCells.get(key);
  const shown = cell.status === 'CELL_STATUS_SHOWN';
  let expectShown = d !== undefined;
  if (isProtected && expectShown) {
    const basis = report.measureBasis(key);
    const basisCell = published.get(basis.key);
    const n = sqlCells.get(basis.key) ?? 0;
    expectShown = basisCell?.status === 'CELL_STATUS_SHOWN' && n >= Math.max(threshold, basis.min);
  }
  if (shown !== expectShown) {
    differences.push(`${describe(key)}: ${isProtected ? 'protected' : 'internal'} ixctl ${shown ? `shows ${cell.count}` : `hides it (${cell.status})`},` +
      ` expected ${expectShown ? `shown, DuckDB ${d}` : `hidden (DuckDB ${d ?? 'no value'})`}`);
  } else if (shown && Number(cell.count ?? 0) !== d) {
    differences.push(`${describe(key)}: ${isProtected ? 'protected ' : ''}ixctl ${cell.count} days, DuckDB ${d}`);
  }
  if (isProtected) ++summary[shown ? 'shown' : 'secondary'];
}

function compare(report, sqlCells, internal, protectedReport) {
  const differences = [];
  const measures = new Set();
  const engine = cellsOf(internal, measures);
  for (const [key, cell] of engine) {
    if (measures.has(key)) {
      compareMeasure(report, key, cell, sqlCells, null, differences, null, false);
      continue;
    }
    if (cell.status !== 'CELL_STATUS_SHOWN') differences.push(`${describe(key)}: hidden in the internal report`);
    const e = Number(cell.count ?? 0), d = sqlCells.get(key) ?? 0;
    if (e !== d) differences.push(`${describe(key)}: ixctl ${e}, DuckDB ${d}`);
  }
  for (const [key, d] of sqlCells) {
    if (!engine.has(key) && d !== 0) differences.push(`${describe(key)}: not in the ixctl report, DuckDB ${d}`);
  }
  const summary = { cells: engine.size, shown: 0, primary: 0, secondary: 0 };
  if (protectedReport) {
    const published = cellsOf(protectedReport);
    if (published.size !== engine.size) {
      differences.push(`protected report has ${published.size} cells, the internal one ${engine.size}`);
    }
    for (const [key, cell] of published) {
      const d = sqlCells.get(key) ?? 0;
      const hidden = cell.status !== 'CELL_STATUS_SHOWN';
      if (hidden && (cell.count !== undefined || cell.percent !== undefined)) {
        differences.push(`${describe(key)}: hidden (${cell.status}) but carries a count or percent`);
      }
      if (measures.has(key)) {
        compareMeasure(report, key, cell, sqlCells, published, differences, summary, true);
      } else if (cell.status === 'CELL_STATUS_SHOWN') {
        ++summary.shown;
        if (Number(cell.count ?? 0) !== d) differences.push(`${describe(key)}: protected ixctl ${cell.count}, DuckDB ${d}`);
        if (d > 0 && d < threshold) differences.push(`${describe(key)}: DuckDB counts ${d}, shown in the protected report`);
      } else if (cell.status === 'CELL_STATUS_SUPPRESSED_PRIMARY') {
        ++summary.primary;
        if (!(d > 0 && d < threshold)) differences.push(`${describe(key)}: shown as ${cell.display} (primary), DuckDB ${d}`);
      } else if (cell.status === 'CELL_STATUS_SUPPRESSED_SECONDARY') {
        ++summary.secondary;
      } else differences.push(`${describe(key)}: unknown status ${cell.status}`);
    }
  }
  return { differences, summary };
}

const args = parseArgs(process.argv.slice(2));
mkdirSync(args.work, { recursive: true });
const selected = args.reports ? reports.filter((r) => args.reports.split(',').includes(r.name)) : reports;
if (args.reports && selected.length !== args.reports.split(',').length) usage(`--reports: one of ${reports.map((r) => r.name)}`);

let events = args.events, store = args.store, municipality = args.municipality ?? generator.municipality;
let runScenarios = scenarios;
if (args.at || args.from || args.to) {
  if (!(args.at && args.from && args.to)) usage('--at, --from and --to go together');
  runScenarios = [{ name: 'command line', at: args.at, from: args.from, to: args.to }];
}
runScenarios = runScenarios.map((s) => ({ ...defaults, ...s }));

if (!events) {
  // Generated events, then hand-made edge cases (edge_cases.mjs), then the first 100 lines once
  // more: repeated event ids must count once on both sides.
  events = join(args.work, 'events.ndjson');
  store = join(args.work, 'events.sqlite');
  rmSync(store, { force: true });
  rmSync(join(args.work, 'keys'), { recursive: true, force: true });
  run(args.ixctl, ['generate', '--persons', String(generator.persons), '--years', String(generator.years),
    '--seed', String(generator.seed), '--start', generator.start, '--municipality', municipality, '-o', events]);
  const lines = readFileSync(events, 'utf8').split('\n');
  appendFileSync(events, edgeCaseEvents(municipality) + lines.slice(0, 100).join('\n') + '\n');
  mkdirSync(join(args.work, 'keys'));
  run(args.ixctl, ['import', events, '--store', store, '--key-dir', join(args.work, 'keys')]);
}
if (!existsSync(events)) usage(`no events file ${events}`);

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
await connection.run(`SET VARIABLE events_file = ${sqlLiteral(events)}`);
await connection.run(`SET VARIABLE municipality = ${sqlLiteral(municipality)}`);
await connection.run(`SET VARIABLE process_clocks = ${sqlLiteral(defaultProfileClocks())}`);
// CPU seconds of this process (every DuckDB thread), as /usr/bin/time counts ixctl's.
const cpuSeconds = (since) => { const c = process.cpuUsage(since); return (c.user + c.system) / 1e6; };
let t0 = performance.now();
let c0 = process.cpuUsage();
await runSqlFile(connection, 'events.sql');
const loadSeconds = (performance.now() - t0) / 1000;
const loadCpu = cpuSeconds(c0);
if (args.time) {
  const n = (await connection.runAndReadAll('SELECT count(*) FROM ev')).getRows()[0][0];
  console.log(`duckdb load        ${loadSeconds.toFixed(2)} s, CPU ${loadCpu.toFixed(2)} s (${n} events of ${municipality}, read, merged, categorised)`);
}

let failed = 0;
for (const s of runScenarios) {
  for (const [name, value] of Object.entries(s)) {
    if (name !== 'name') await connection.run(`SET VARIABLE "${name}" = ${sqlLiteral(value)}`);
  }
  for (const report of selected) {
    t0 = performance.now();
    c0 = process.cpuUsage();
    const result = await runSqlFile(connection, report.sql);
    const sqlSeconds = (performance.now() - t0) / 1000;
    const sqlCpu = cpuSeconds(c0);
    const sqlCells = new Map();
    for (const [table, row, column, count] of result.getRows()) {
      sqlCells.set(`${table}\u0000${row}\u0000${column}`, Number(count));
    }
    const options = ixctlOptions(s, municipality);
    const internal = run(args.ixctl, ['report', report.name, '--format', 'json', '--internal', '--store', store, ...options], args.time);
    const published = args.protected && report.protectedCheck !== false &&
      (!report.protectedScenarios || report.protectedScenarios.includes(s.name))
      ? JSON.parse(run(args.ixctl, ['report', report.name, '--format', 'json', '--store', store, ...options]).stdout)
      : null;
    const { differences, summary } = compare(report, sqlCells, JSON.parse(internal.stdout), published);
    const where = `${report.name} [${s.name}]`;
    if (differences.length === 0) {
      console.log(`${where}: ${summary.cells} cells equal` + (published
        ? `; protected: ${summary.shown} shown equal, ${summary.primary} <${threshold} and ${summary.secondary} '..' hidden, none shown below ${threshold}`
        : ''));
    } else {
      ++failed;
      console.log(`${where}: ${differences.length} difference(s):`);
      for (const d of differences.slice(0, 20)) console.log(`  ${d}`);
    }
    if (args.time) {
      console.log(`  time  ixctl report ${report.name} (internal, one pass) ${internal.seconds.toFixed(2)} s, CPU ${internal.cpu.toFixed(2)} s, peak ${(internal.kib / 1024).toFixed(1)} MiB;` +
        ` DuckDB SQL ${sqlSeconds.toFixed(2)} s, CPU ${sqlCpu.toFixed(2)} s`);
    }
  }
}
if (args.time) console.log(`duckdb process peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MiB`);
console.log(failed === 0 ? 'recomputation: every cell agrees' : `recomputation: ${failed} report(s) differ`);
process.exit(failed === 0 ? 0 : 1);
