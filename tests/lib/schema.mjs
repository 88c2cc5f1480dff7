// A small validator for the subset of OpenAPI 3.0 schemas that
// static/openapi.json uses: $ref, type, nullable, enum, required, properties,
// additionalProperties, items, oneOf, minimum/maximum, minLength/maxLength,
// pattern. Returns a list of problems ([] when the value fits). With
// { strict: true }, objects may only carry the members their schema lists
// (unless it says otherwise with additionalProperties), so an undocumented
// member in a response is caught.

export function resolveRef(doc, ref) {
  if (!ref.startsWith('#/')) throw new Error(`external $ref ${ref}`);
  let node = doc;
  for (const part of ref.slice(2).split('/')) {
    node = node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) throw new Error(`unresolved $ref ${ref}`);
  }
  return node;
}

const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

export function validate(doc, schema, value, { strict = false } = {}, path = '$') {
  const opts = { strict };
  if (schema.$ref) return validate(doc, resolveRef(doc, schema.$ref), value, opts, path);
  const errors = [];
  if (schema.oneOf) {
    const fits = schema.oneOf.filter((s) => validate(doc, s, value, opts, path).length === 0).length;
    if (fits !== 1) errors.push(`${path}: matches ${fits} of oneOf`);
    return errors;
  }
  if (value === null) {
    if (!schema.nullable) errors.push(`${path}: null but not nullable`);
    return errors;
  }
  const t = typeOf(value);
  if (schema.type) {
    const ok = schema.type === t || (schema.type === 'number' && (t === 'integer' || t === 'number'));
    if (!ok) return [`${path}: ${t}, expected ${schema.type}`];
  }
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} not in enum`);
  if (t === 'string') {
    if (schema.minLength !== undefined && [...value].length < schema.minLength) errors.push(`${path}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength) errors.push(`${path}: longer than ${schema.maxLength}`);
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) errors.push(`${path}: does not match ${schema.pattern}`);
    if (schema.format === 'date-time' && !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value)) errors.push(`${path}: not a date-time`);
    if (schema.format === 'date' && !/^\d{4}-\d\d-\d\d$/.test(value)) errors.push(`${path}: not a date`);
  }
  if (t === 'integer' || t === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${path}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${path}: above ${schema.maximum}`);
  }
  if (t === 'array' && schema.items) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push(`${path}: more than ${schema.maxItems} items`);
    value.forEach((v, i) => errors.push(...validate(doc, schema.items, v, opts, `${path}[${i}]`)));
  }
  if (t === 'object') {
    for (const k of schema.required || []) if (!(k in value)) errors.push(`${path}: missing ${k}`);
    const props = schema.properties || {};
    for (const [k, v] of Object.entries(value)) {
      if (props[k]) errors.push(...validate(doc, props[k], v, opts, `${path}.${k}`));
      else if (typeof schema.additionalProperties === 'object') errors.push(...validate(doc, schema.additionalProperties, v, opts, `${path}.${k}`));
      else if (schema.additionalProperties === false || (strict && schema.additionalProperties === undefined && schema.properties)) {
        errors.push(`${path}: unexpected member ${k}`);
      }
    }
  }
  return errors;
}
