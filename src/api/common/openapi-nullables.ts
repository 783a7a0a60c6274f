import type { OpenAPIObject } from '@nestjs/swagger';

type Schema = Record<string, unknown>;

/**
 * Moves Nest's OpenAPI 3.0 document to 3.1, whose only difference here is how a value that may be null is said: 3.0's
 * `nullable: true` reads differently from one generator to the next beside a reference (Nest writes
 * `{ type: 'object', nullable: true, allOf: [{ $ref }] }`, which openapi-python-client types as the model alone and which
 * fails on a null answer; without the `type`, linters refuse it). 3.1 says it one way every tool reads alike:
 * `type: ['string', 'null']` for a value, `anyOf: [{ $ref }, { type: 'null' }]` for a model. Applies to the whole
 * document, so that no DTO has to spell it.
 */
export function stateNullables(document: OpenAPIObject): OpenAPIObject {
  (document as { openapi: string }).openapi = '3.1.0';
  visit(document.paths);
  visit(document.components);
  return document;
}

function visit(value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach(visit);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const schema = value as Schema;
  Object.values(schema).forEach(visit);
  if (schema.nullable === true) restate(schema);
  else if (schema.nullable === false) delete schema.nullable;
}

function restate(schema: Schema): void {
  delete schema.nullable;
  const refs = referencesOf(schema);
  if (refs) {
    for (const key of ['allOf', 'oneOf', 'anyOf', '$ref', 'type']) delete schema[key];
    schema.anyOf = [...refs, { type: 'null' }];
    return;
  }
  if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
  else if (Array.isArray(schema.type) && !schema.type.includes('null')) schema.type = [...schema.type, 'null'];
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
}

/** The references a nullable schema stands for, or null when it is not a reference (a nullable string, ...). */
function referencesOf(schema: Schema): Schema[] | null {
  if (typeof schema.$ref === 'string') return [{ $ref: schema.$ref }];
  for (const key of ['allOf', 'oneOf', 'anyOf']) {
    const list = schema[key];
    if (Array.isArray(list) && list.length > 0 && list.every((s) => s && typeof (s as Schema).$ref === 'string' && Object.keys(s as Schema).length === 1)) {
      if (key === 'allOf' && list.length > 1) return null;
      return list.map((s) => ({ $ref: (s as Schema).$ref }));
    }
  }
  return null;
}
