// Validates the generated OpenAPI document (argument 1) with @seriousme/openapi-schema-validator,
// a validator written independently of the generator (tools/openapi.cpp), against the official
// OpenAPI 3.1 schema; then resolves every $ref. A broken copy of the same document must be
// refused, so a validator that accepted anything would fail this test too.
import { Validator } from "@seriousme/openapi-schema-validator";
import { readFileSync } from "node:fs";

const file = process.argv[2];
const document = JSON.parse(readFileSync(file, "utf8"));

const validator = new Validator();
const result = await validator.validate(structuredClone(document));
if (!result.valid) {
  console.error(`FAIL: ${file} is not a valid OpenAPI document:`);
  console.error(JSON.stringify(result.errors, null, 2));
  process.exit(1);
}
validator.resolveRefs();  // throws on a $ref that points nowhere
const operations = Object.values(document.paths).reduce((n, item) => n + Object.keys(item).length, 0);
console.log(`OK: OpenAPI ${validator.version}, ${Object.keys(document.paths).length} paths, ` +
            `${operations} operations, ${Object.keys(document.components.schemas).length} schemas`);

// The same document with a response that has no description (required by the specification).
const broken = structuredClone(document);
const first = Object.values(broken.paths)[0];
delete Object.values(first)[0].responses["200"].description;
const refused = await new Validator().validate(broken);
if (refused.valid) {
  console.error("FAIL: the validator accepted a document without a required response description");
  process.exit(1);
}
console.log("OK: a broken copy is refused");
