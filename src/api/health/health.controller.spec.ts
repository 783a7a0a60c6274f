import { Logger } from '@nestjs/common';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import type { TemporalClient } from '../temporal/temporal.module';
import { HealthController } from './health.controller';

describe(HealthController.name, () => {
  const driverText = 'password authentication failed for user "relance" at 10.0.3.4:5432';
  const temporalText = '14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 10.0.3.5:7233';

  async function health(database: () => Promise<unknown>, temporal: () => Promise<void>) {
    const controller = new HealthController({ query: database } as unknown as DataSource, { ping: temporal } as unknown as TemporalClient);
    let status = 0;
    const res = { status: (s: number) => { status = s; return res; } } as unknown as Response;
    return { body: await controller.health(res), status };
  }

  afterEach(() => jest.restoreAllMocks());

  // Anyone may ask /health: the driver's text (users, hosts, addresses) goes to the log, the answer says only what is down.
  it('answers a fixed message for a dependency that fails and logs the driver\'s text', async () => {
    const logged = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { body, status } = await health(
      () => Promise.reject(Object.assign(new Error(driverText), { code: '28P01' })),
      () => Promise.reject(new Error(temporalText)),
    );
    expect(status).toBe(503);
    expect(body).toEqual({ status: 'degraded', database: { status: 'down', error: 'the database does not answer' }, temporal: { status: 'down', error: 'Temporal does not answer' } });
    expect(JSON.stringify(body)).not.toMatch(/relance|10\.0\.3|ECONNREFUSED|UNAVAILABLE/);
    expect(JSON.stringify(logged.mock.calls)).toContain('password authentication failed for user');
    expect(JSON.stringify(logged.mock.calls)).toContain('ECONNREFUSED 10.0.3.5:7233');
  });

  it('answers up when both answer', async () => {
    expect(await health(() => Promise.resolve([{ '?column?': 1 }]), () => Promise.resolve())).toEqual({
      status: 200, body: { status: 'ok', database: { status: 'up' }, temporal: { status: 'up' } },
    });
  });
});
