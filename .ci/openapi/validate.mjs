// Validates an OpenAPI document against the OpenAPI 3.1 schema and
// resolves every $ref (@apidevtools/swagger-parser, pinned in package.json).
import SwaggerParser from "@apidevtools/swagger-parser";

const file = process.argv[2];
try {
  const api = await SwaggerParser.validate(file);
  console.log(`${file}: valid OpenAPI ${api.openapi}, ${Object.keys(api.paths).length} paths`);
} catch (e) {
  console.error(`${file}: INVALID: ${e.message}`);
  process.exit(1);
}
