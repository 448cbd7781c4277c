#!/usr/bin/env node
// FHIRPath agreement: every SDC expression of the emitted Questionnaires, evaluated by an
// independent engine (npm fhirpath, R4 model) on generated QuestionnaireResponses, must agree
// with the plugin: the problems `ixctl validate` reports (disabled_item_answered, required,
// constraint, calculated_mismatch) and the calculated values it stores.
//
// Usage: node fhirpath_agreement.js CASES_DIR [--min-cases N]
// CASES_DIR holds questionnaires.json and cases.ndjson (tests/adapters/fhirpath_cases.cpp).
//
// How an SDC form filler evaluates the Questionnaire (and so this test): the root's variables
// in order with %resource = %context = the response; then, per adult (a person who is not a
// child; one "adult" group each, created when the response has none), the adult group's
// variables with %context = that group; enableWhenExpression, calculatedExpression and
// targetConstraint of an item see the variables of the root and of its adult group.
'use strict';
const fs = require('fs');
const path = require('path');
const fhirpath = require('fhirpath');
const r4 = require('fhirpath/fhir-context/r4');

const args = process.argv.slice(2);
const dir = args[0];
const minCases = args.includes('--min-cases') ? Number(args[args.indexOf('--min-cases') + 1]) : 1000;
if (!dir) {
  console.error('usage: fhirpath_agreement.js CASES_DIR [--min-cases N]');
  process.exit(2);
}

const VARIABLE = 'http://hl7.org/fhir/StructureDefinition/variable';
const ENABLE = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression';
const CALCULATED = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression';
const CONSTRAINT = 'http://hl7.org/fhir/StructureDefinition/targetConstraint';
const CODES = new Set(['disabled_item_answered', 'required', 'constraint', 'calculated_mismatch']);

const compiled = new Map();
let evaluations = 0;
function evaluate(expression, base, node, env) {
  const key = base + '\u0000' + expression;
  let fn = compiled.get(key);
  if (!fn) {
    fn = fhirpath.compile(base ? { base, expression } : expression, r4);
    compiled.set(key, fn);
  }
  evaluations++;
  return fn(node, env);
}

function extensions(element, url) {
  return (element.extension || []).filter((e) => e.url === url);
}
function sub(extension, url) {
  return (extension.extension || []).find((e) => e.url === url);
}

// The Questionnaire, read once per definition: variables, constraints, per item its logic.
function prepare(entry) {
  const q = entry.questionnaire;
  const byId = new Map();
  const adultGroup = q.item.find((i) => i.linkId === 'adult');
  const walk = (items) => {
    for (const item of items || []) {
      byId.set(item.linkId, item);
      walk(item.item);
    }
  };
  walk(q.item);
  const expressions = [];
  const variables = (element) => extensions(element, VARIABLE).map((e) => {
    expressions.push(e.valueExpression.expression);
    return e.valueExpression;
  });
  const constraints = (element) => extensions(element, CONSTRAINT).map((e) => {
    const c = { key: sub(e, 'key').valueId, expression: sub(e, 'expression').valueExpression.expression };
    expressions.push(c.expression);
    return c;
  });
  const items = entry.items.map((meta) => {
    const item = byId.get(meta.id);
    if (!item) throw new Error(`${entry.definition}: item ${meta.id} missing from the Questionnaire`);
    const enable = extensions(item, ENABLE)[0];
    const calc = extensions(item, CALCULATED)[0];
    if (enable) expressions.push(enable.valueExpression.expression);
    if (calc) expressions.push(calc.valueExpression.expression);
    if (item.enableWhen && !enable) {
      // R4 core enableWhen is kept where it is exact; its variable en_<item> says the same.
    }
    return {
      ...meta,
      required: item.required === true,
      enableExpression: enable ? enable.valueExpression.expression : null,
      calculatedExpression: calc ? calc.valueExpression.expression : null,
      constraints: constraints(item),
      hasEnableWhen: Boolean(item.enableWhen || enable),
    };
  });
  return {
    definition: entry.definition,
    rootVariables: variables(q),
    rootConstraints: constraints(q),
    adultVariables: variables(adultGroup),
    adultConstraints: constraints(adultGroup),
    items,
    expressions,
  };
}

const questionnaires = new Map();
for (const entry of JSON.parse(fs.readFileSync(path.join(dir, 'questionnaires.json'), 'utf8'))) {
  questionnaires.set(entry.definition, prepare(entry));
}

// The variable that holds an item's enabled state: en<Item> ("person.sick" -> enPersonSick),
// present when the item has an enable-when.
function enabledVariable(vars, item) {
  const camel = item.id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  const name = 'en' + camel.slice(0, 56);
  return vars.some((v) => v.name === name) ? name : null;
}

// targetConstraint.key of an item's conditional "required" (an id: other characters become '-').
function requiredKey(id) {
  return (id + '-required').replace(/[^A-Za-z0-9\-.]/g, '-').slice(0, 64);
}

function answersOf(group, linkId) {
  const found = [];
  const walk = (items) => {
    for (const item of items || []) {
      if (item.linkId === linkId) found.push(...(item.answer || []));
      walk(item.item);
    }
  };
  walk(group.item);
  return found;
}

function one(result) {
  return result.length === 0 ? null : result[0];
}

// A calculated value as the plugin stores it (canonical JSON of ix.v1.AnswerValue) -> number.
function canonicalNumber(value) {
  if (value.money) return Number(value.money.ore) / 100;
  if (value.integer !== undefined) return Number(value.integer);
  throw new Error('unexpected calculated value ' + JSON.stringify(value));
}

// Money in whole öre (kronor are decimals in FHIR); other numbers exactly, up to the binary
// rounding of an öre amount scaled into an integer sum.
function sameNumber(a, b, money) {
  if (a === null || b === null) return a === b;
  if (money) return Math.round(a * 100) === Math.round(b * 100);
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
}

const disagreements = [];
const counts = { cases: 0, predicted: 0, reported: 0, calculated: 0, withoutCalculated: 0, valid: 0, invalid: 0 };
const lines = fs.readFileSync(path.join(dir, 'cases.ndjson'), 'utf8').split('\n').filter(Boolean);
for (const text of lines) {
  const c = JSON.parse(text);
  const q = questionnaires.get(c.definition);
  const qr = c.qr;
  qr.item = qr.item || [];
  counts.cases++;
  const predicted = new Set();
  const calculated = new Map();  // item|person -> number or null
  const household = qr.item.find((i) => i.linkId === 'household') || { linkId: 'household', item: [] };

  const env = { resource: qr };
  for (const v of q.rootVariables) env[v.name] = evaluate(v.expression, null, qr, env);
  const subjects = [{ person: '', group: household, env, base: null, node: qr }];
  // One adult group per adult: the response's, or a new empty one as a form filler makes.
  for (const ref of env.adultRefs || []) {
    let group = qr.item.find((i) => i.linkId === 'adult' && one(answersOf(i, 'adult.person_ref').map((a) => a.valueString)) === ref);
    if (!group) {
      group = { linkId: 'adult', item: [{ linkId: 'adult.person_ref', answer: [{ valueString: ref }] }] };
      qr.item.push(group);
    }
    subjects.push({ person: ref, group });
  }
  for (const s of subjects.slice(1)) {
    s.env = { ...env };
    s.base = 'QuestionnaireResponse.item';
    s.node = s.group;
    for (const v of q.adultVariables) s.env[v.name] = evaluate(v.expression, s.base, s.group, s.env);
  }
  const evalIn = (s, expression) => evaluate(expression, s.base, s.node, s.env);

  for (const s of subjects) {
    const scope = s.person === '' ? 'household' : 'adult';
    for (const constraint of scope === 'household' ? q.rootConstraints : q.adultConstraints) {
      const holds = evalIn(s, constraint.expression);
      const item = q.items.find((i) => requiredKey(i.id) === constraint.key);
      if (!item) throw new Error(`${q.definition}: constraint ${constraint.key} names no item`);
      if (one(holds) !== true) predicted.add(`required|${item.id}|${s.person}`);
    }
    for (const item of q.items.filter((i) => i.scope === scope)) {
      const variable = enabledVariable(scope === 'household' ? q.rootVariables : q.rootVariables.concat(q.adultVariables), item);
      let enabled = true;
      if (item.enableExpression) enabled = one(evalIn(s, item.enableExpression)) === true;
      else if (variable) enabled = s.env[variable][0] === true;
      const answered = answersOf(s.group, item.id).length > 0;
      let value = null;
      if (item.calculated && item.calculatedExpression) {
        value = enabled ? one(evalIn(s, item.calculatedExpression)) : null;
        calculated.set(`${item.id}|${s.person}`, value);
      }
      const has = item.calculated ? value !== null : answered;
      if (item.required && enabled && !has) predicted.add(`required|${item.id}|${s.person}`);
      if (!answered) continue;
      if (!enabled) {
        predicted.add(`disabled_item_answered|${item.id}|${s.person}`);
        continue;
      }
      if (item.calculated) {
        if (!item.age) {
          const stored = answersOf(s.group, item.id)[0];
          const storedNumber = stored.valueQuantity ? stored.valueQuantity.value : stored.valueInteger;
          if (!sameNumber(storedNumber, value, Boolean(stored.valueQuantity))) {
            predicted.add(`calculated_mismatch|${item.id}|${s.person}`);
          }
        }
        continue;
      }
      for (const constraint of item.constraints) {
        if (one(evalIn(s, constraint.expression)) !== true) predicted.add(`constraint|${item.id}|${s.person}`);
      }
    }
  }

  const reported = new Set(c.problems.filter((p) => CODES.has(p[0])).map((p) => `${p[0]}|${p[1]}|${p[2]}`));
  const predictedKeys = predicted;
  counts.predicted += predictedKeys.size;
  counts.reported += reported.size;
  if (c.problems.some((p) => p[3] === 'SEVERITY_ERROR')) counts.invalid++;
  else counts.valid++;
  for (const key of predictedKeys) {
    if (!reported.has(key)) disagreements.push({ case: c.case, definition: c.definition, fhirpath: key, ixctl: 'not reported' });
  }
  for (const key of reported) {
    if (!predictedKeys.has(key)) disagreements.push({ case: c.case, definition: c.definition, fhirpath: 'not predicted', ixctl: key });
  }

  if (c.calculated === null) {
    counts.withoutCalculated++;
    continue;
  }
  const stored = new Map(c.calculated.map(([id, person, value]) => [`${id}|${person}`, value]));
  for (const [key, value] of calculated) {
    const item = q.items.find((i) => i.id === key.split('|')[0]);
    const plugin = stored.has(key) ? canonicalNumber(stored.get(key)) : null;
    counts.calculated++;
    const money = stored.has(key) && Boolean(stored.get(key).money);
    if (!sameNumber(value, plugin, money || item.money)) {
      disagreements.push({ case: c.case, definition: c.definition, calculated: key, fhirpath: value, plugin });
    }
  }
  for (const key of stored.keys()) {
    if (!calculated.has(key)) disagreements.push({ case: c.case, definition: c.definition, calculated: key, fhirpath: 'not computed', plugin: stored.get(key) });
  }
}

const expressions = [...questionnaires.values()].reduce((n, q) => n + q.expressions.length, 0);
console.log(`fhirpath ${require('fhirpath/package.json').version}: ${counts.cases} responses, ` +
  `${expressions} expressions in ${questionnaires.size} Questionnaires, ${evaluations} evaluations; ` +
  `${counts.valid} valid and ${counts.invalid} invalid by ixctl validate; ` +
  `problems predicted ${counts.predicted}, reported by ixctl validate ${counts.reported}; ` +
  `calculated values compared ${counts.calculated} (${counts.withoutCalculated} responses without); ` +
  `${disagreements.length} disagreements`);
for (const d of disagreements.slice(0, 20)) console.log('DISAGREE', JSON.stringify(d));
if (counts.cases < minCases) {
  console.log(`FAIL: ${counts.cases} responses, fewer than ${minCases}`);
  process.exit(1);
}
process.exit(disagreements.length === 0 ? 0 : 1);
