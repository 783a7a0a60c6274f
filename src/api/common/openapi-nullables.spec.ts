import type { OpenAPIObject } from '@nestjs/swagger';
import { stateNullables } from './openapi-nullables';

const doc = (schemas: Record<string, unknown>, paths: Record<string, unknown> = {}) =>
  ({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths, components: { schemas } }) as unknown as OpenAPIObject;

describe(stateNullables.name, () => {
  it('makes the document OpenAPI 3.1', () => {
    expect(stateNullables(doc({})).openapi).toBe('3.1.0');
  });

  it('states a nullable model (allOf, with a type beside it) as anyOf with null, keeping its description', () => {
    const out = stateNullables(doc({
      Company: { type: 'object', properties: { sendWindow: { type: 'object', nullable: true, allOf: [{ $ref: '#/components/schemas/SendWindow' }], description: 'd' } } },
    }));
    expect(out.components!.schemas!.Company).toEqual({
      type: 'object', properties: { sendWindow: { anyOf: [{ $ref: '#/components/schemas/SendWindow' }, { type: 'null' }], description: 'd' } },
    });
  });

  it('states a nullable $ref, a nullable union and a nullable value, in paths as in components', () => {
    const out = stateNullables(doc(
      {
        A: {
          properties: {
            x: { $ref: '#/components/schemas/Z', nullable: true }, y: { nullable: true, oneOf: [{ $ref: '#/a' }, { $ref: '#/b' }] },
            s: { type: 'string', nullable: true, format: 'uuid' }, e: { type: 'string', nullable: true, enum: ['api', 'email'] }, n: { type: 'string', nullable: false },
          },
        },
      },
      { '/p': { get: { parameters: [{ name: 'tz', in: 'query', schema: { nullable: true, allOf: [{ $ref: '#/components/schemas/TimeZone' }] } }] } } },
    ));
    expect(out.components!.schemas!.A).toEqual({
      properties: {
        x: { anyOf: [{ $ref: '#/components/schemas/Z' }, { type: 'null' }] }, y: { anyOf: [{ $ref: '#/a' }, { $ref: '#/b' }, { type: 'null' }] },
        s: { type: ['string', 'null'], format: 'uuid' }, e: { type: ['string', 'null'], enum: ['api', 'email', null] }, n: { type: 'string' },
      },
    });
    expect((out.paths['/p'] as { get: { parameters: { schema: unknown }[] } }).get.parameters[0].schema)
      .toEqual({ anyOf: [{ $ref: '#/components/schemas/TimeZone' }, { type: 'null' }] });
  });

  it('leaves alone what may not be null', () => {
    const schemas = { A: { properties: { s: { type: 'string' }, r: { allOf: [{ $ref: '#/a' }] }, o: { type: 'object', properties: { nullable: { type: 'boolean' } } } } } };
    expect(stateNullables(doc(structuredClone(schemas))).components!.schemas).toEqual(schemas);
  });
});
