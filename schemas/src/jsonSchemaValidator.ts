// A small validator for the subset of JSON Schema draft 2020-12 that Masklab's own schemas use.
// Hand-written so that the trainer and the CLI can check a config without a dependency; a keyword
// outside the subset is reported as an error rather than ignored, so a schema can never rely on
// a rule this validator silently skips.

export interface SchemaError {
  /** JSON Pointer of the offending value, `''` for the root. */
  path: string;
  message: string;
}

type Schema = { [key: string]: unknown } | boolean;

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$defs']);
const KEYWORDS = new Set([
  '$ref', 'type', 'const', 'enum', 'properties', 'required', 'additionalProperties', 'items',
  'minItems', 'uniqueItems', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'minLength', 'anyOf', 'oneOf',
]);

export function validateAgainstSchema(value: unknown, root: Schema): SchemaError[] {
  const errors: SchemaError[] = [];
  check(value, root, root, '', errors);
  return errors;
}

function check(value: unknown, schema: Schema, root: Schema, path: string, errors: SchemaError[]): void {
  if (schema === true) return;
  if (schema === false) {
    errors.push({ path, message: 'no value is allowed here' });
    return;
  }
  for (const keyword of Object.keys(schema)) {
    if (!KEYWORDS.has(keyword) && !ANNOTATIONS.has(keyword)) {
      errors.push({ path, message: `schema keyword '${keyword}' is not supported by this validator` });
    }
  }
  if (typeof schema.$ref === 'string') check(value, resolveRef(schema.$ref, root), root, path, errors);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => hasType(value, t))) {
      errors.push({ path, message: `expected ${types.join(' or ')}, got ${describe(value)}` });
      return;
    }
  }
  if ('const' in schema && !deepEqual(value, schema.const)) {
    errors.push({ path, message: `expected ${JSON.stringify(schema.const)}, got ${describe(value)}` });
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => deepEqual(e, value))) {
    errors.push({ path, message: `expected one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}, got ${describe(value)}` });
  }
  if (typeof value === 'number') checkNumber(value, schema, path, errors);
  if (typeof value === 'string' && typeof schema.minLength === 'number' && value.length < schema.minLength) {
    errors.push({ path, message: `expected at least ${schema.minLength} character(s)` });
  }
  if (Array.isArray(value)) checkArray(value, schema, root, path, errors);
  else if (isObject(value)) checkObject(value, schema, root, path, errors);
  if (Array.isArray(schema.anyOf)) {
    const ok = (schema.anyOf as Schema[]).some((s) => validates(value, s, root, path));
    if (!ok) errors.push({ path, message: `matches none of the allowed shapes (${alternatives(schema.anyOf as Schema[], value, root, path)})` });
  }
  if (Array.isArray(schema.oneOf)) {
    const matching = (schema.oneOf as Schema[]).filter((s) => validates(value, s, root, path)).length;
    if (matching === 0) {
      errors.push({ path, message: `matches none of the allowed shapes (${alternatives(schema.oneOf as Schema[], value, root, path)})` });
    } else if (matching > 1) {
      errors.push({ path, message: `matches ${matching} of the shapes where exactly one is allowed` });
    }
  }
}

function checkNumber(value: number, schema: { [key: string]: unknown }, path: string, errors: SchemaError[]): void {
  const bound = (keyword: string, fails: (limit: number) => boolean, words: string) => {
    const limit = schema[keyword];
    if (typeof limit === 'number' && fails(limit)) errors.push({ path, message: `expected a number ${words} ${limit}, got ${value}` });
  };
  bound('minimum', (l) => value < l, '>=');
  bound('maximum', (l) => value > l, '<=');
  bound('exclusiveMinimum', (l) => value <= l, '>');
  bound('exclusiveMaximum', (l) => value >= l, '<');
}

function checkArray(value: unknown[], schema: { [key: string]: unknown }, root: Schema, path: string, errors: SchemaError[]): void {
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
    errors.push({ path, message: `expected at least ${schema.minItems} item(s), got ${value.length}` });
  }
  if (schema.uniqueItems === true) {
    const seen = new Set<string>();
    for (const item of value) {
      const key = JSON.stringify(item);
      if (seen.has(key)) errors.push({ path, message: `duplicate item ${key}` });
      seen.add(key);
    }
  }
  if (schema.items !== undefined) {
    value.forEach((item, i) => check(item, schema.items as Schema, root, `${path}/${i}`, errors));
  }
}

function checkObject(
  value: Record<string, unknown>,
  schema: { [key: string]: unknown },
  root: Schema,
  path: string,
  errors: SchemaError[],
): void {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const name of (schema.required ?? []) as string[]) {
    if (!(name in value)) errors.push({ path, message: `missing required property '${name}'` });
  }
  for (const [name, item] of Object.entries(value)) {
    const where = `${path}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (name in properties) check(item, properties[name], root, where, errors);
    else if (schema.additionalProperties === false) errors.push({ path: where, message: `unexpected property '${name}'` });
    else if (isObject(schema.additionalProperties)) check(item, schema.additionalProperties as Schema, root, where, errors);
  }
}

function validates(value: unknown, schema: Schema, root: Schema, path: string): boolean {
  const errors: SchemaError[] = [];
  check(value, schema, root, path, errors);
  return errors.length === 0;
}

/** The first error of each alternative, so a near miss explains itself. */
function alternatives(schemas: Schema[], value: unknown, root: Schema, path: string): string {
  return schemas
    .map((s) => {
      const errors: SchemaError[] = [];
      check(value, s, root, path, errors);
      const first = errors[0];
      return first ? `${first.path || '/'}: ${first.message}` : 'ok';
    })
    .join('; ');
}

function resolveRef(ref: string, root: Schema): Schema {
  if (!ref.startsWith('#/')) throw new Error(`schema $ref '${ref}' is not a local reference`);
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    node = isObject(node) ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  if (node === undefined) throw new Error(`schema $ref '${ref}' points nowhere`);
  return node as Schema;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null': return value === null;
    case 'boolean': return typeof value === 'boolean';
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'integer': return typeof value === 'number' && Number.isInteger(value);
    case 'array': return Array.isArray(value);
    case 'object': return isObject(value);
    default: return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
