// Conformance of ix-server from Node: every RPC of every ix.* service over gRPC
// (@grpc/grpc-js) and every route of the generated OpenAPI document over REST (fetch), both
// with mutual TLS, against an ix-server process started for the run.
//
//   node conformance.mjs --source-dir DIR --server ix-server --plugin libinstrument_x.so
//       --plugin-next libinstrument_x.so(0.2.0) --ixctl ixctl --openapi openapi.json
//
// Most tests send the same request over both stacks and require the same answer (compared as
// messages), then check the answer's content. Coverage is enforced: the RPCs are enumerated
// from the loaded service descriptors and the routes from the OpenAPI document, and the run
// fails naming each RPC or route that no test called successfully — a new RPC without a test
// here fails the suite. Exit 0 only when every test passed.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

import {
  Clients, Protos, Server, errorReasons, fieldViolations, openApiRoutes, restStatusDetails, run, tempDir,
} from "./harness.mjs";

const { values: args } = parseArgs({
  options: Object.fromEntries(["source-dir", "server", "plugin", "plugin-next", "ixctl", "openapi"]
    .map((name) => [name, { type: "string" }])),
});
for (const name of ["source-dir", "server", "plugin", "plugin-next", "ixctl", "openapi"]) {
  if (!args[name]) throw new Error(`--${name} is required`);
}
const SOURCE = path.resolve(args["source-dir"]);
const EXAMPLES = path.join(SOURCE, "docs", "examples");
const example = (name) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, name), "utf8"));

const GRPC = { OK: 0, INVALID_ARGUMENT: 3, PERMISSION_DENIED: 7, FAILED_PRECONDITION: 9, UNAVAILABLE: 14 };
const IS = "ix.v1.InstrumentService";
const ADMIN = "ix.v1.PluginAdmin";

// --- The run's files: certificates, keys, bundles, configuration -------------------------------

const setupStarted = Date.now();
const tmp = tempDir();
const certs = path.join(tmp, "certs");
run(path.join(SOURCE, "scripts", "dev-certs.sh"), [certs, "--test-extras"]);
const ixctl = (...a) => run(args.ixctl, a, { cwd: tmp });
ixctl("bundle", "keygen", "exchange");    // the server's signing key, trusted as Södertälje's
ixctl("exchange", "keygen", "nynashamn"); // Nynäshamn's encryption key pair
ixctl("bundle", "keygen", "publisher");   // signs plugin bundles the server trusts
ixctl("bundle", "keygen", "stranger");    // signs a bundle the server does not trust
const publicKey = (name) => fs.readFileSync(path.join(tmp, `${name}.pub`), "utf8").trim();
fs.writeFileSync(path.join(tmp, "trusted-keys.json"),
  JSON.stringify({ keys: [{ name: "release", public_key: publicKey("publisher") }] }));
const makeBundle = (name, plugin, key) => {
  const dir = path.join(tmp, name);
  run(path.join(SOURCE, "packaging", "make-bundle.sh"),
    ["--plugin", plugin, "--key", path.join(tmp, `${key}.key`), "--out", dir, "--ixctl", args.ixctl]);
  return dir;
};
const nextBundle = makeBundle("bundle-next", args["plugin-next"], "publisher");
const strangerBundle = makeBundle("bundle-stranger", args["plugin-next"], "stranger");

// The development caller map, with Nynäshamn's statistics client made the network statistician
// of Södertälje: the server signs extracts with its one signing key, trusted as Södertälje's.
const callerMap = JSON.parse(fs.readFileSync(path.join(certs, "callers.json"), "utf8"));
for (const caller of callerMap.callers) {
  if (caller.identity === "stats.nynashamn.dev") Object.assign(caller, { municipality_code: "0181", role: "statistics_network" });
}
fs.writeFileSync(path.join(tmp, "callers.json"), JSON.stringify(callerMap));

fs.writeFileSync(path.join(tmp, "ix-server.json"), JSON.stringify({
  tls: { cert: "certs/server.crt", key: "certs/server.key", client_ca: "certs/ca.crt" },
  callers_file: "callers.json",
  plugin: path.resolve(args.plugin),
  store_dir: "store",
  exchange: {
    signing_key_file: "exchange.key", unit: "ekonomiskt-bistand", system: "ix-server node conformance",
    trusted_senders: [{ public_key_file: "exchange.pub", municipality_code: "0181" }],
    encryption_key_file: "nynashamn.box.key",
    recipients: [{ public_key_file: "nynashamn.box.pub", municipality_code: "0192" }],
  },
  updates: {
    install_root: "installed", state_key_file: "update-state.key", trusted_keys_file: "trusted-keys.json",
  },
}));

const protos = new Protos(path.join(SOURCE, "proto"));
const routes = openApiRoutes(args.openapi);
const server = new Server(path.resolve(args.server), tmp, path.join(tmp, "ix-server.json"));
let clients;

// --- Helpers ---------------------------------------------------------------------------------

// "ix.v1.InstrumentService.Validate" -> its route in the OpenAPI document.
function routeOf(rpc) {
  const route = routes.find((r) => r.rpc === rpc);
  if (!route) throw new Error(`the OpenAPI document has no route for ${rpc}`);
  return route;
}

function responseType(service, method) {
  return protos.root.lookupService(service).methods[method].resolvedResponseType.fullName;
}

// The same request over gRPC and REST as `caller`: both must succeed with the same message.
// Returns the answer (in the shared mapping). `differ`: fields that may differ between the two
// calls (e.g. a fresh random id), compared by presence only.
async function both(service, method, request, { caller = "sodertalje", differ = [] } = {}) {
  const rpc = `${service}.${method}`;
  const overGrpc = await clients.grpc(service, method, request, { caller });
  assert.ok(overGrpc.ok, `${rpc} over gRPC: ${overGrpc.code} ${overGrpc.message}`);
  const route = routeOf(rpc);
  const overRest = await clients.rest(route.verb, route.path, route.verb === "GET" ? undefined : request, { caller });
  assert.equal(overRest.http, 200, `${route.verb} ${route.path}: ${overRest.http} ${overRest.text}`);
  const type = responseType(service, method);
  const a = protos.canonical(type, overGrpc.value);
  const b = protos.canonical(type, overRest.json);
  for (const field of differ) {
    assert.equal(field in a, field in b, `${rpc}: ${field} present over one stack only`);
    delete a[field];
    delete b[field];
  }
  assert.deepEqual(b, a, `${rpc}: REST and gRPC answers differ`);
  return protos.canonical(type, overGrpc.value);
}

// The same refused request over both stacks: gRPC `code` with the google.rpc.Status of the
// trailer, REST `http` with that Status as its JSON body. Returns both statuses' details.
async function refusedOverBoth(service, method, request, { caller = "sodertalje", code, http }) {
  const rpc = `${service}.${method}`;
  const overGrpc = await clients.grpc(service, method, request, { caller });
  assert.equal(overGrpc.ok, false, `${rpc} over gRPC as ${caller} succeeded`);
  assert.equal(overGrpc.code, code, `${rpc} over gRPC: ${overGrpc.code} ${overGrpc.message}`);
  // Refusals made before the service method (a role the admission table does not admit) carry
  // no details; then the REST body has none either.
  if (overGrpc.status) assert.equal(overGrpc.status.code, code);
  const route = routeOf(rpc);
  const overRest = await clients.rest(route.verb, route.path, route.verb === "GET" ? undefined : request, { caller });
  assert.equal(overRest.http, http, `${route.verb} ${route.path} as ${caller}: ${overRest.http} ${overRest.text}`);
  assert.equal(overRest.json.code, code, overRest.text);
  assert.equal(overRest.json.message, overGrpc.message, "the same message over both stacks");
  const details = { grpc: overGrpc.status ? overGrpc.status.details : [], rest: restStatusDetails(overRest.json) };
  assert.deepEqual(details.rest.map((d) => d["@type"]), details.grpc.map((d) => d["@type"]), "the same kinds of details");
  return details;
}

const validateRequest = (file = "household.json") => ({ response: example(file), as_of_date: "2025-01-15" });
const twoYears = () => example("case-after-two-years.json");
const recorder = { actor: "hand01", at: "2025-01-16T09:00:00Z" };

// --- Tests -----------------------------------------------------------------------------------

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
const state = {};

test("WhoAmI: the caller as the server sees it, over both stacks", async () => {
  const who = await both(IS, "WhoAmI", {}, { caller: "nynashamn" });
  assert.equal(who.identity, "case-system.nynashamn.dev");
  assert.equal(who.municipality_code, "0192");
  assert.equal(who.role, "case_system");
  const admin = await both(IS, "WhoAmI", {}, { caller: "admin" });
  assert.equal(admin.role, "admin");
});

test("Describe: the bundled plugin and its definition versions", async () => {
  const described = await both(IS, "Describe", {});
  assert.equal(described.plugin_name, "instrument-x");
  state.version = described.plugin_version;
  const refs = described.instruments.map((i) => `${i.ref.instrument_id}@${i.ref.version}`);
  for (const ref of ["instrument-x@2024.1", "instrument-x@2025.1"]) assert.ok(refs.includes(ref), refs.join(", "));
});

test("Validate: the README's sample household is valid, the invalid one has the same findings over both", async () => {
  const valid = await both(IS, "Validate", validateRequest());
  assert.equal(valid.valid, true);
  assert.equal(valid.problems, undefined, "no problems");
  assert.deepEqual(valid.validated_against, { instrument_id: "instrument-x", version: "2024.1" });
  const invalid = await both(IS, "Validate", validateRequest("household-invalid.json"));
  assert.equal(invalid.valid, undefined, "valid is false");
  assert.deepEqual(invalid.problems.map((p) => `${p.path} ${p.code}`).sort(), [
    "answers[c1/am.health].person_ref item_not_for_child",
    "answers[household/housing.type].value wrong_type",
    "answers[p1/am.education].value out_of_range",
    "answers[p1/am.unknown_rating].item_id unknown_item",
    "answers[p2/am.motivation] required",
    "household.persons[1].personnummer invalid_personnummer",
  ]);
});

test("bad input: INVALID_ARGUMENT / 400 with the same field violations (grpc-status-details-bin decoded)", async () => {
  const request = validateRequest();
  request.as_of_date = "2025-13-01";
  const details = await refusedOverBoth(IS, "Validate", request, { code: GRPC.INVALID_ARGUMENT, http: 400 });
  for (const stack of ["grpc", "rest"]) {
    assert.deepEqual(fieldViolations(details[stack]).map((v) => [v.field, v.description]),
      [["as_of_date", "expected a real date YYYY-MM-DD"]], stack);
  }
  const missing = validateRequest();
  missing.response.household.municipality_code = "";
  const named = await refusedOverBoth(IS, "Validate", missing, { code: GRPC.INVALID_ARGUMENT, http: 400 });
  assert.deepEqual(fieldViolations(named.grpc).map((v) => v.field), ["response.household.municipality_code"]);
  assert.deepEqual(fieldViolations(named.rest).map((v) => v.field), ["response.household.municipality_code"]);
});

test("refused callers: PERMISSION_DENIED over gRPC, 403 with a google.rpc.Status over REST", async () => {
  // Another municipality's household.
  const other = await refusedOverBoth(IS, "Validate", validateRequest(),
    { caller: "nynashamn", code: GRPC.PERMISSION_DENIED, http: 403 });
  for (const stack of ["grpc", "rest"]) {
    assert.deepEqual(errorReasons(other[stack]), ["IX_OTHER_MUNICIPALITY"], stack);
    const resources = other[stack].filter((d) => d["@type"] === "google.rpc.ResourceInfo");
    assert.deepEqual(resources.map((r) => [r.resource_type, r.resource_name]), [["municipality", "0181"]], stack);
  }
  // A role the admission table does not admit for the RPC.
  const role = await clients.grpc(IS, "Validate", validateRequest(), { caller: "stats-sodertalje" });
  assert.equal(role.code, GRPC.PERMISSION_DENIED);
  assert.match(role.message, /may not call Validate/);
  const roleRest = await clients.rest("POST", routeOf(`${IS}.Validate`).path, validateRequest(), { caller: "stats-sodertalje" });
  assert.equal(roleRest.http, 403);
  assert.equal(roleRest.json.code, GRPC.PERMISSION_DENIED);
  assert.match(roleRest.json.message, /may not call Validate/);
  // Household data never reaches an admin, nor the admin service a case system.
  await refusedOverBoth(IS, "Suggest", validateRequest(), { caller: "admin", code: GRPC.PERMISSION_DENIED, http: 403 });
  await refusedOverBoth(ADMIN, "Status", {}, { caller: "sodertalje", code: GRPC.PERMISSION_DENIED, http: 403 });
  // A certificate of the right CA that is not in the caller map.
  const unmapped = await clients.rest("GET", "/v1/whoami", undefined, { caller: "unmapped" });
  assert.equal(unmapped.http, 403);
  assert.match(unmapped.json.message, /not in the server's caller map/);
  // No client certificate, or one of another CA: no call at all.
  for (const caller of [null, "wrong-ca"]) {
    const grpcNone = await clients.grpc(IS, "WhoAmI", {}, { caller });
    assert.equal(grpcNone.code, GRPC.UNAVAILABLE, `${caller}: ${grpcNone.code} ${grpcNone.message}`);
    const restNone = await clients.rest("GET", "/v1/whoami", undefined, { caller });
    assert.equal(restNone.http, 0, `${caller}: an HTTP answer without a valid client certificate`);
  }
});

test("REST: an unknown JSON field is 400 naming it; not JSON, a form, a query string refused", async () => {
  const body = validateRequest();
  body.response.household.colour = "blue";
  const unknown = await clients.rest("POST", "/v1/responses:validate", body);
  assert.equal(unknown.http, 400, unknown.text);
  assert.equal(unknown.json.code, GRPC.INVALID_ARGUMENT);
  assert.deepEqual(fieldViolations(restStatusDetails(unknown.json)).map((v) => v.field), ["response.household.colour"]);
  const broken = await clients.rest("POST", "/v1/responses:validate", '{"response": ');
  assert.equal(broken.http, 400);
  assert.equal(broken.json.code, GRPC.INVALID_ARGUMENT);
  const form = await clients.rest("POST", "/v1/plugin:describe", "{}", { contentType: "application/x-www-form-urlencoded" });
  assert.equal(form.http, 415, form.text);
  const query = await clients.rest("GET", "/v1/whoami", undefined, { query: "?identity=admin.it.dev" });
  assert.equal(query.http, 400, query.text);
  assert.match(query.text, /query\.identity/);
});

test("DescribeCategorisation: rule sets, profiles, försörjningshinder table, catalogue", async () => {
  const { data } = await both(IS, "DescribeCategorisation", {});
  assert.ok(data.profiles.some((p) => p.id === "default"), "the default profile");
  assert.ok(data.rule_sets.length > 0 && data.forsorjningshinder_tables.length > 0 && data.intervention_catalogues.length > 0);
});

test("Suggest: the same categorisation over both stacks (p1 AM2 R2 S=11, p2 AM1 S=7)", async () => {
  const reply = await both(IS, "Suggest", validateRequest());
  const got = Object.fromEntries(reply.suggestions.map((s) => [s.person_ref, s]));
  assert.deepEqual(Object.keys(got).sort(), ["p1", "p2"]);
  // By hand from the sample's ratings: p1 2+3+2+1+1+2 = 11 with one 3 -> AM2, and
  // health.mental_limits_work = yes -> R2; p2 1+1+1+2+1+1 = 7, no 3 -> AM1.
  assert.equal(got.p1.category.am_level, "AM_LEVEL_AM2");
  assert.deepEqual(got.p1.category.r_kinds, ["R_KIND_R2_MENTAL"]);
  assert.equal(got.p1.explanation.sum, 11);
  assert.equal(got.p2.category.am_level, "AM_LEVEL_AM1");
  assert.equal(got.p2.category.r_kinds, undefined);
  assert.equal(got.p2.explanation.sum, 7);
  assert.ok(got.p1.explanation.lines.length > 0, "readable explanation lines");
});

test("Assess: the first visit, recorded in Södertälje's store", async () => {
  const data = twoYears();
  const request = { household: data.household, record: data.assessments[0], recorded_at: "2024-03-04T10:00:00Z" };
  const reply = await both(IS, "Assess", request);
  // Caseworker AM3 + R2 governs (default profile); the client said AM2 + R2: discuss.
  assert.equal(reply.result.effective.am_level, "AM_LEVEL_AM3");
  assert.equal(reply.result.governing_view, "ASSESSMENT_VIEW_CASEWORKER");
  assert.equal(reply.result.discrepancy, true);
  assert.equal(reply.event.categorisation.header.municipality_code, "0181");
  assert.deepEqual(fs.readdirSync(path.join(tmp, "store")).filter((f) => f.endsWith(".sqlite")), ["0181.sqlite"]);
  await refusedOverBoth(IS, "Assess", request, { caller: "nynashamn", code: GRPC.PERMISSION_DENIED, http: 403 });
});

test("History and Due over two years of a case", async () => {
  const data = twoYears();
  const history = await both(IS, "History", { household: data.household, events: data.events, at_date: "2026-03-01" });
  assert.deepEqual(history.persons.map((p) => p.person_ref).sort(), ["p1", "p2"]);
  for (const p of history.persons) assert.equal(p.category_at_date.am_level, "AM_LEVEL_AM1", p.person_ref);
  const due = await both(IS, "Due", { cases: [data], as_of_date: "2026-03-01" });
  // p2 became AM1 on 2024-09-02: review due 2024-12-02, on 2026-03-01 454 days overdue.
  const p2 = due.items.find((i) => i.person_ref === "p2" && i.clock === "am1_review");
  assert.ok(p2, "p2's AM1 review");
  assert.deepEqual([p2.due_on, p2.status, p2.days_overdue], ["2024-12-02", "DUE_STATUS_OVERDUE", 454]);
});

test("Plan and FollowUp", async () => {
  const household = example("case-household.json").household;
  const plan = await both(IS, "Plan", { household, plan: example("case-plan.json"), recorded_at: "2024-04-15T09:00:00Z" });
  assert.equal(plan.plan.plan_id, "plan-2024-1");
  assert.equal(plan.plan.goals.length, 2);
  assert.equal(plan.plan.interventions.length, 4);
  assert.equal(plan.events.length, plan.plan.interventions.length, "one InterventionEvent per intervention");
  assert.ok(plan.events.every((e) => e.intervention && e.intervention.header.municipality_code === "0181"));
  const data = twoYears();
  const followUp = await both(IS, "FollowUp", {
    household: data.household, plan: data.plan, follow_up: example("case-follow-up-2024-09-02-p1.json"),
    recorded_at: "2024-09-02T10:00:00Z",
  });
  assert.equal(followUp.result.effective.am_level, "AM_LEVEL_AM3");
  assert.deepEqual(followUp.result.effective.r_kinds, ["R_KIND_R2_MENTAL"]);
  assert.equal(followUp.record.occasion, "follow_up");
  assert.ok(followUp.events.some((e) => e.categorisation), "the follow-up's categorisation event");
});

test("Report from the event store, for the reporting caller of the same municipality only", async () => {
  const request = { kind: "REPORT_KIND_SNAPSHOT", municipality_code: "0181", at_date: "2024-03-31" };
  const report = await both(IS, "Report", request, { caller: "stats-sodertalje" });
  assert.equal(report.kind, "REPORT_KIND_SNAPSHOT");
  assert.equal(report.municipality_code, "0181");
  assert.equal(report.disclosure_control, true);
  assert.ok(report.tables.some((t) => t.id === "snapshot.category_by_sex"), report.tables.map((t) => t.id).join(", "));
  await refusedOverBoth(IS, "Report", { ...request, municipality_code: "0192" },
    { caller: "stats-sodertalje", code: GRPC.PERMISSION_DENIED, http: 403 });
});

test("ExportStatisticsExtract and CombineExtracts: a signed extract, the network report, the network role only", async () => {
  // A fixed creation time: the extract's bytes and their Ed25519 signature are then the same
  // over both stacks.
  const request = { municipality_code: "0181", year: 2025, created_at: "2026-01-15T08:00:00Z" };
  const exported = await both(IS, "ExportStatisticsExtract", request, { caller: "stats-nynashamn" });
  const extract = exported.extract;
  assert.match(extract.signer_public_key_hex, /^[0-9a-f]{64}$/);
  assert.match(extract.signature_hex, /^[0-9a-f]{128}$/);
  assert.equal(extract.signer_public_key_hex, publicKey("exchange").toLowerCase(), "signed with the server's key");
  const network = await both(IS, "CombineExtracts", { kind: "REPORT_KIND_MOVEMENTS", extracts: [extract] },
    { caller: "stats-nynashamn" });
  assert.deepEqual(network.municipality_codes, ["0181"]);
  assert.equal(network.kind, "REPORT_KIND_MOVEMENTS");
  assert.equal(network.from_date, "2025-01-01");
  assert.ok(network.tables.length > 0, "the network report has tables");
  // One changed byte of the signed extract: refused over both stacks, naming the signature.
  const bytes = Buffer.from(extract.extract, "base64");
  bytes[bytes.length - 1] ^= 1;
  const tampered = { ...extract, extract: bytes.toString("base64") };
  const refused = await refusedOverBoth(IS, "CombineExtracts", { kind: "REPORT_KIND_MOVEMENTS", extracts: [tampered] },
    { caller: "stats-nynashamn", code: GRPC.PERMISSION_DENIED, http: 403 });
  assert.ok(JSON.stringify(refused.grpc).includes("extracts[0]"), JSON.stringify(refused.grpc));
  // Another municipality's extract, and any other role: refused.
  await refusedOverBoth(IS, "ExportStatisticsExtract", { ...request, municipality_code: "0192" },
    { caller: "stats-nynashamn", code: GRPC.PERMISSION_DENIED, http: 403 });
  await refusedOverBoth(IS, "ExportStatisticsExtract", request,
    { caller: "stats-sodertalje", code: GRPC.PERMISSION_DENIED, http: 403 });
});

test("ExportExchange and ImportExchange: a package from Södertälje imported in Nynäshamn, across the stacks", async () => {
  const consent = {
    consent_id: "c-node-1", recipient_municipality_code: "0192",
    scopes: ["CONSENT_SCOPE_RESPONSES", "CONSENT_SCOPE_ASSESSMENTS", "CONSENT_SCOPE_FORSORJNINGSHINDER"],
    purpose: "EXCHANGE_PURPOSE_MOVING", given_on: "2024-03-04",
    expires_on: `${new Date().getUTCFullYear() + 1}-12-31`, recorded_by: "cw-17", given_by: ["p1", "p2"],
  };
  const request = { household_case: twoYears(), consent, package_id: "node-0181-0001", created_at: "2024-03-05T08:00:00Z" };
  // A sealed box is encrypted to a fresh key each time: the packages differ, the rest does not.
  const exported = await both(IS, "ExportExchange", request, { differ: ["package"] });
  assert.equal(exported.package_id, "node-0181-0001");
  const overRest = await clients.rest("POST", routeOf(`${IS}.ExportExchange`).path,
    { ...request, package_id: "node-0181-0002" });
  assert.equal(overRest.http, 200, overRest.text);
  await refusedOverBoth(IS, "ExportExchange", request, { caller: "nynashamn", code: GRPC.PERMISSION_DENIED, http: 403 });
  // The gRPC package imported over REST, the REST package over gRPC.
  const importRoute = routeOf(`${IS}.ImportExchange`);
  const first = await clients.rest("POST", importRoute.path, { package: exported.package }, { caller: "nynashamn" });
  assert.equal(first.http, 200, first.text);
  assert.equal(first.json.result.package_id, "node-0181-0001");
  assert.equal(first.json.result.already_imported ?? false, false);
  assert.equal(first.json.result.sender_municipality_code, "0181");
  assert.equal(first.json.household_case.household.municipality_code, "0192");
  assert.ok(first.json.events_recorded > 0, "events recorded in Nynäshamn's store");
  const second = await clients.grpc(IS, "ImportExchange", { package: overRest.json.package }, { caller: "nynashamn" });
  assert.ok(second.ok, second.message);
  assert.equal(second.value.result.package_id, "node-0181-0002");
  // A replay changes nothing, over either stack; Södertälje is not the recipient.
  const replay = await both(IS, "ImportExchange", { package: exported.package }, { caller: "nynashamn" });
  assert.equal(replay.result.already_imported, true);
  assert.equal(replay.events_recorded, undefined, "0 events recorded");
  const wrong = await refusedOverBoth(IS, "ImportExchange", { package: exported.package },
    { caller: "sodertalje", code: GRPC.PERMISSION_DENIED, http: 403 });
  assert.deepEqual(fieldViolations(wrong.grpc).map((v) => v.field), ["consent.recipient_municipality_code"]);
  assert.deepEqual(fieldViolations(wrong.rest).map((v) => v.field), ["consent.recipient_municipality_code"]);
});

test("forms: ApplyAnswers, SetPartStatus, Migrate, RenderForm", async () => {
  const response = example("household.json");
  const applied = await both(IS, "ApplyAnswers", {
    response, recorder, as_of_date: "2025-01-16", amend: true,
    reason: "Education corrected after the client brought her certificates",
    edits: [{ item_id: "am.education", person_ref: "p1", value: { rating: 3 } }],
  });
  const education = applied.response.answers.find((a) => a.item_id === "am.education" && a.person_ref === "p1");
  assert.equal(education.value.rating, 3);
  assert.equal(applied.response.changes.length, response.changes.length + 1, "one trail entry more");
  const reopened = await both(IS, "SetPartStatus", {
    response, part: 2, state: "PART_STATE_IN_PROGRESS", recorder, as_of_date: "2025-01-16",
    reason: "The client wants to review her ratings",
  });
  assert.equal(reopened.accepted, true);
  assert.equal(reopened.response.part_status.find((p) => p.part === 2).state, "PART_STATE_IN_PROGRESS");
  const migrated = await both(IS, "Migrate", { response, to_version: "2025.1", recorder, as_of_date: "2025-01-16" });
  assert.deepEqual(migrated.report.from, { instrument_id: "instrument-x", version: "2024.1" });
  assert.deepEqual(migrated.report.to, { instrument_id: "instrument-x", version: "2025.1" });
  assert.equal(migrated.response.instrument.version, "2025.1");
  assert.equal(migrated.report.answers.length, response.answers.length, "one entry per old answer");
  const rendered = await both(IS, "RenderForm", {
    definition: { instrument_id: "instrument-x", version: "2024.1" }, language: "en", municipality: "Södertälje kommun",
  }, { caller: "readonly-sodertalje" });
  assert.match(rendered.html, /<html/);
  assert.ok(rendered.html.includes("Södertälje kommun"), "the header names the municipality");
});

test("definitions: DescribeDefinition, LoadDefinition of its bytes, ValidateWithDefinition agrees with Validate", async () => {
  const ref = { instrument_id: "instrument-x", version: "2024.1" };
  const { definition } = await both(IS, "DescribeDefinition", { definition: ref });
  assert.deepEqual([definition.id, definition.version], [ref.instrument_id, ref.version]);
  const bytes = protos.encode("ix.v1.Definition", definition).toString("base64");
  const loaded = await both(IS, "LoadDefinition", { definition: bytes });
  assert.equal(loaded.usable, true, JSON.stringify(loaded.problems));
  assert.deepEqual(loaded.ref, ref);
  assert.ok(loaded.item_count > 20, `item_count ${loaded.item_count}`);
  for (const file of ["household.json", "household-invalid.json"]) {
    const withDefinition = await both(IS, "ValidateWithDefinition",
      { ...validateRequest(file), source: { definition } });
    const plain = protos.canonical("ix.v1.ValidateResponse", (await clients.grpc(IS, "Validate", validateRequest(file))).value);
    assert.deepEqual(withDefinition, plain, `${file}: the licensee path finds what Validate finds`);
  }
  const broken = await clients.rest("POST", routeOf(`${IS}.LoadDefinition`).path, { definition: "AAEC" });
  assert.ok(broken.http === 200 ? broken.json.usable !== true : broken.json.code === GRPC.INVALID_ARGUMENT, broken.text);
});

test("FHIR adapter: Questionnaire, FromCanonical, ToCanonical round trip", async () => {
  const FHIR = "ix.adapters.v1.FhirAdapter";
  const questionnaire = await both(FHIR, "Questionnaire", { instrument: { instrument_id: "instrument-x", version: "2024.1" } });
  const q = JSON.parse(questionnaire.json);
  assert.equal(q.resourceType, "Questionnaire");
  assert.ok(q.item.length > 0);
  const response = example("household.json");
  const out = await both(FHIR, "FromCanonical", { response });
  const qr = JSON.parse(out.json);
  assert.equal(qr.resourceType, "QuestionnaireResponse");
  const back = await both(FHIR, "ToCanonical", { json: out.json });
  assert.equal(back.response.household.municipality_code, "0181");
  const key = (a) => `${a.person_ref}/${a.item_id}`;
  assert.deepEqual(back.response.answers.map(key).sort(), response.answers.map(key).sort(), "every answer carried both ways");
  await refusedOverBoth(FHIR, "ToCanonical", { json: out.json }, { caller: "nynashamn", code: GRPC.PERMISSION_DENIED, http: 403 });
});

test("Lifecare adapter: FromCanonical and back", async () => {
  const LIFECARE = "ix.adapters.v1.LifecareAdapter";
  const data = twoYears();
  const document = await both(LIFECARE, "FromCanonical", { household_case: data });
  const lifecare = JSON.parse(document.json);
  assert.ok(lifecare.Decisions.length > 0 && lifecare.Decisions[0].Reason, "a decision with its reason");
  const back = await both(LIFECARE, "ToCanonical", { json: document.json, municipality_code: "0181", household_ref: "hh-node-1" });
  assert.equal(back.household_case.household.municipality_code, "0181");
  assert.equal(back.household_case.household.persons.length, data.household.persons.length);
  const missing = await refusedOverBoth(LIFECARE, "ToCanonical", { json: document.json, household_ref: "hh-node-1" },
    { code: GRPC.INVALID_ARGUMENT, http: 400 });
  assert.deepEqual(fieldViolations(missing.grpc).map((v) => v.field), ["municipality_code"]);
  assert.deepEqual(fieldViolations(missing.rest).map((v) => v.field), ["municipality_code"]);
});

test("field-code adapter: Export and Import with a shipped profile", async () => {
  const FIELDCODES = "ix.adapters.v1.FieldCodesAdapter";
  const response = example("household.json");
  const profile = { shipped: "kommunsystem-b-v2" };
  const records = await both(FIELDCODES, "Export", { profile, response });
  assert.ok(records.text.startsWith("field,person,value"), records.text.slice(0, 80));
  const imported = await both(FIELDCODES, "Import", { profile, text: records.text, household: response.household });
  assert.equal(imported.response.household.municipality_code, "0181");
  // One record per answer the profile has a field for; each comes back with its value.
  const rows = records.text.trim().split("\n").length - 1;
  assert.equal(imported.response.answers.length, rows);
  const original = new Map(response.answers.map((a) => [`${a.person_ref}/${a.item_id}`, a]));
  for (const answer of imported.response.answers) {
    const key = `${answer.person_ref}/${answer.item_id}`;
    assert.ok(original.has(key), `${key} was not in the exported response`);
    assert.deepEqual(answer.value, protos.canonical("ix.v1.Answer", original.get(key)).value, key);
  }
  assert.equal(imported.response.answers.filter((a) => a.item_id.startsWith("am.")).length, 12, "six AM ratings of two adults");
  await refusedOverBoth(FIELDCODES, "Export", { profile, response }, { caller: "nynashamn", code: GRPC.PERMISSION_DENIED, http: 403 });
});

test("PluginAdmin: status, a refused bundle, deploy, pins, rollback", async () => {
  const status = await both(ADMIN, "Status", {}, { caller: "admin" });
  assert.equal(status.plugin_name, "instrument-x");
  assert.equal(status.active_version, state.version);
  assert.deepEqual(status.loaded_versions, [state.version]);
  // A bundle signed by a key the server does not trust: refused, the running version serves on.
  const refused = await refusedOverBoth(ADMIN, "Deploy", { bundle_dir: strangerBundle },
    { caller: "admin", code: GRPC.FAILED_PRECONDITION, http: 400 });
  for (const stack of ["grpc", "rest"]) {
    assert.deepEqual(errorReasons(refused[stack]), ["IX_BUNDLE_UNTRUSTED_KEY"], stack);
    assert.deepEqual(fieldViolations(refused[stack]).map((v) => v.field), ["bundle_dir"], stack);
  }
  const deployed = await clients.grpc(ADMIN, "Deploy", { bundle_dir: nextBundle }, { caller: "admin", deadlineMs: 60000 });
  assert.ok(deployed.ok, deployed.message);
  assert.deepEqual([deployed.value.previous_version, deployed.value.active_version], [state.version, "0.2.0"]);
  const version = async (caller) => (await clients.grpc(IS, "Describe", {}, { caller })).value.plugin_version;
  assert.equal(await version("sodertalje"), "0.2.0");
  // Pin Södertälje to the first version over REST, unpin over gRPC; then the other way round.
  const pinRoute = routeOf(`${ADMIN}.Pin`);
  const pinned = await clients.rest("POST", pinRoute.path, { municipality_code: "0181", version: state.version }, { caller: "admin" });
  assert.equal(pinned.http, 200, pinned.text);
  assert.deepEqual(pinned.json.pins, { "0181": state.version });
  assert.deepEqual([await version("sodertalje"), await version("nynashamn")], [state.version, "0.2.0"]);
  const unpinned = await clients.grpc(ADMIN, "Unpin", { municipality_code: "0181" }, { caller: "admin" });
  assert.ok(unpinned.ok, unpinned.message);
  assert.deepEqual(unpinned.value.pins ?? {}, {});
  assert.equal(await version("sodertalje"), "0.2.0");
  const pinnedAgain = await clients.grpc(ADMIN, "Pin", { municipality_code: "0192", version: state.version }, { caller: "admin" });
  assert.ok(pinnedAgain.ok, pinnedAgain.message);
  assert.equal(await version("nynashamn"), state.version);
  const unpinRoute = routeOf(`${ADMIN}.Unpin`);
  const unpinnedAgain = await clients.rest("POST", unpinRoute.path, { municipality_code: "0192" }, { caller: "admin" });
  assert.equal(unpinnedAgain.http, 200, unpinnedAgain.text);
  assert.equal(await version("nynashamn"), "0.2.0");
  // Rollback over REST: the first version again; deploy the same bundle over REST, roll back over gRPC.
  const rollbackRoute = routeOf(`${ADMIN}.Rollback`);
  const rolledBack = await clients.rest("POST", rollbackRoute.path, {}, { caller: "admin" });
  assert.equal(rolledBack.http, 200, rolledBack.text);
  assert.equal(rolledBack.json.active_version, state.version);
  assert.equal(await version("sodertalje"), state.version);
  const deployRoute = routeOf(`${ADMIN}.Deploy`);
  const redeployed = await clients.rest("POST", deployRoute.path, { bundle_dir: nextBundle }, { caller: "admin" });
  assert.equal(redeployed.http, 200, redeployed.text);
  assert.equal(redeployed.json.active_version, "0.2.0");
  const rolledBackAgain = await clients.grpc(ADMIN, "Rollback", {}, { caller: "admin" });
  assert.ok(rolledBackAgain.ok, rolledBackAgain.message);
  assert.equal(rolledBackAgain.value.active_version, state.version);
  const history = (await both(ADMIN, "Status", {}, { caller: "admin" })).history.map((h) => h.action);
  assert.ok(history.includes("refuse") && history.includes("rollback") && history.includes("pin"), history.join(", "));
});

// --- Coverage: what the server offers against what the tests called ----------------------------

function coverageProblems() {
  const problems = [];
  const rpcs = Object.entries(protos.services()).flatMap(([service, methods]) => methods.map((m) => `${service}.${m}`));
  for (const rpc of rpcs) {
    const record = clients.grpcCalls.get(rpc);
    if (!record) problems.push(`gRPC ${rpc}: never called`);
    else if (record.ok === 0) problems.push(`gRPC ${rpc}: called ${record.calls} time(s), never successfully`);
  }
  for (const route of routes) {
    const key = `${route.verb} ${route.path}`;
    const record = clients.restCalls.get(key);
    if (!record) problems.push(`REST ${key} (${route.rpc}): never called`);
    else if (record.ok === 0) problems.push(`REST ${key} (${route.rpc}): called ${record.calls} time(s), never with 200`);
    if (!rpcs.includes(route.rpc)) problems.push(`REST ${key}: its RPC ${route.rpc} is in no loaded service`);
  }
  for (const rpc of rpcs) {
    if (!routes.some((r) => r.rpc === rpc)) problems.push(`gRPC ${rpc}: no route in the OpenAPI document`);
  }
  return { problems, rpcs: rpcs.length, routes: routes.length };
}

// --- Run ---------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  let passed = 0;
  let failed = 0;
  const report = (ok, name, error) => {
    if (ok) passed++;
    else failed++;
    const text = error instanceof Error ? String(error.stack).split("\n").slice(0, 8) : error ? String(error).split("\n") : [];
    console.log(`${ok ? "ok  " : "FAIL"} ${name}${text.map((line) => `\n     ${line}`).join("")}`);
  };
  console.log(`setup (certificates, keys, two signed bundles): ${((started - setupStarted) / 1000).toFixed(1)} s`);
  await server.start();
  clients = new Clients(protos, server, certs);
  try {
    for (const { name, fn } of tests) {
      try {
        await fn();
        report(true, name);
      } catch (error) {
        report(false, name, error);
      }
    }
    const coverage = coverageProblems();
    report(coverage.problems.length === 0,
      `coverage: every one of ${coverage.rpcs} RPCs over gRPC and ${coverage.routes} REST routes called successfully`,
      coverage.problems.length ? coverage.problems.join("\n") : undefined);
  } finally {
    await clients.close();
  }
  const exitCode = await server.stop();
  report(exitCode === 0, `ix-server stopped cleanly (exit ${exitCode})`);
  // No personnummer in anything the server wrote.
  const logs = [server.audit, server.log, server.stdout].map((f) => fs.readFileSync(f, "utf8")).join("\n");
  const forms = new Set();
  for (const file of ["household.json", "household-invalid.json", "case-after-two-years.json"]) {
    for (const person of example(file).household.persons) {
      const digits = person.personnummer.replace(/\D/g, "");
      for (const form of [person.personnummer, digits, digits.slice(2), `${digits.slice(2, 8)}-${digits.slice(8)}`]) forms.add(form);
    }
  }
  const leaked = [...forms].filter((form) => logs.includes(form));
  report(logs.includes('"rpc":"FhirAdapter.ToCanonical"') && leaked.length === 0,
    "no personnummer in the server's logs", leaked.length ? `leaked forms: ${leaked.length}` : undefined);
  console.log(`node conformance (${((Date.now() - started) / 1000).toFixed(1)} s): ${passed} passed, ${failed} failed`);
  if (failed === 0) fs.rmSync(tmp, { recursive: true, force: true });
  else console.log(`the run's files are kept in ${tmp}`);
  return failed === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), async (error) => {
  console.error(error);
  await server.stop().catch(() => {});
  process.exit(1);
});
