import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { DEFAULT_SCHEDULE_JITTER_SECONDS } from '../config';
import { ReminderScheduler } from './reminder-scheduler';

describe(ReminderScheduler.name, () => {
  // options() is pure: it touches neither the client nor the database.
  const scheduler = (jitterSeconds?: number) =>
    new ReminderScheduler({} as Client, 'relance', {} as DataSource, jitterSeconds === undefined ? {} : { jitterSeconds });
  const def = { id: '0b5f8a62-5a4e-4a8e-9f57-3f0a1d2c4b6e', companyId: 'c1', templateKey: 'payment-due-reminder', name: 'Due soon', status: 'active',
    schedule: { time: '07:30' } };
  const company = { name: 'Acme', timezone: 'Europe/Paris', plan: 'advanced' };

  it('jitters the firing by the configured window, at the definition time in the company timezone', () => {
    const { spec } = scheduler(120).options(def, true, company);
    expect(spec).toEqual({
      calendars: [{ hour: 7, minute: 30, comment: 'every day at 07:30' }], timezone: 'Europe/Paris', jitter: 120_000,
    });
  });

  it('jitters by the default window when none is configured', () => {
    expect(scheduler().options(def, true, company).spec.jitter).toBe(DEFAULT_SCHEDULE_JITTER_SECONDS * 1000);
    expect(DEFAULT_SCHEDULE_JITTER_SECONDS).toBeGreaterThan(0);
  });

  it('fires on the minute when the jitter is 0', () => {
    expect(scheduler(0).options(def, true, company).spec.jitter).toBe(0);
  });

  it('keeps the jitter on a paused schedule, so that resuming it needs no spec change', () => {
    const options = scheduler(60).options({ ...def, status: 'inactive' }, false, company);
    expect(options.state).toMatchObject({ paused: true });
    expect(options.spec.jitter).toBe(60_000);
  });
});
