import express, { json } from 'express';
import request from 'supertest';
import type { OpenAPIObject } from '@nestjs/swagger';
import { methodGuard } from './allowed-methods';

const document = {
  openapi: '3.0.0', info: { title: 't', version: '1' },
  paths: {
    '/v1/things/{id}': { get: { responses: {} }, patch: { responses: {} } },
    '/v1/things/me': { delete: { responses: {} } },
    '/v1/others': { get: { responses: {} } },
    '/{tenant}/pages': { get: { responses: {} } },
  },
} as unknown as OpenAPIObject;

function app() {
  const a = express();
  a.use(json());
  a.use(methodGuard(document));
  a.all('/{*any}', (_req, res) => { res.json({ routed: true }); });
  return a;
}

describe(methodGuard.name, () => {
  it('answers 405 with Allow to a method no route declares', async () => {
    const res = await request(app()).put('/v1/things/42').send({ a: 1 });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, PATCH');
    expect(res.body).toEqual({ statusCode: 405, error: 'Method Not Allowed', message: 'PUT is not allowed on /v1/things/42; allowed: GET, HEAD, PATCH' });
  });

  it('matches a concrete path before the templated ones that also match it, as OpenAPI does', async () => {
    // `/v1/things/me` declares DELETE only: the PATCH of `/v1/things/{id}` is not its, and `me` is no id.
    const patch = await request(app()).patch('/v1/things/me').send({ name: 'x' });
    expect(patch.status).toBe(405);
    expect(patch.headers.allow).toBe('DELETE');
    expect((await request(app()).get('/v1/things/me')).status).toBe(405);
    expect((await request(app()).delete('/v1/things/me')).body).toEqual({ routed: true });
  });

  it('lets declared methods, HEAD of a GET and unknown paths through', async () => {
    expect((await request(app()).get('/v1/things/42')).body).toEqual({ routed: true });
    expect((await request(app()).head('/v1/things/42')).status).toBe(200);
    expect((await request(app()).put('/v1/elsewhere')).body).toEqual({ routed: true });
    // Paths are grouped by their first segments; a path whose first segment is a parameter is tried for every request.
    expect((await request(app()).post('/v1/others')).headers.allow).toBe('GET, HEAD');
    expect((await request(app()).post('/acme/pages')).headers.allow).toBe('GET, HEAD');
  });

  it('refuses a PATCH that names no field, and passes one that does', async () => {
    const empty = await request(app()).patch('/v1/things/42').send({});
    expect(empty.status).toBe(400);
    expect(empty.body.message).toBe('the body must name at least one field to change');
    expect((await request(app()).patch('/v1/things/42')).status).toBe(400);
    expect((await request(app()).patch('/v1/things/42').send({ name: 'x' })).body).toEqual({ routed: true });
  });
});
