import { Runtime } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { DomainError } from '../../src/domain/errors';
import { createMailer, type Mailer } from '../../src/infra/mailer';
import { testEnv } from './env';

/**
 * The real Postgres and SMTP listener for one describe block that drives the approval activities itself (call it inside
 * `describe`): opened in `beforeAll` and handed to `opened`, closed in `afterAll`.
 */
export function approvalBackends(opened: (backends: { dataSource: DataSource; smtp: Mailer }) => void): void {
  let dataSource: DataSource | undefined;
  let smtp: Mailer | undefined;

  beforeAll(async () => {
    dataSource = createDataSource(testEnv().databaseUrl, 2);
    await dataSource.initialize();
    smtp = createMailer(testEnv().smtpUrl, 'Relance <no-reply@relance.test>');
    opened({ dataSource, smtp });
  });
  afterAll(async () => {
    smtp?.close();
    await dataSource?.destroy();
    // No worker or connection here releases the runtime test/support/quiet-temporal.ts installed: without this Jest never exits.
    await Runtime.instance().shutdown();
  });
}

/** The status and message a service call was refused with (a DomainError); anything else fails the test. */
export async function refusal(promise: Promise<unknown>): Promise<{ statusCode: number; message: string }> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof DomainError) return { statusCode: err.statusCode, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
}
