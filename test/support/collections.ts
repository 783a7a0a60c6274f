import { Client, Connection } from '@temporalio/client';
import type { ReminderSweepResult } from '../../src/contracts';
import { todayIn } from '../../src/domain/dates';
import { closeDb } from './db';
import { testEnv } from './env';
import { createTenant, type Tenant } from './fixtures';
import { Http } from './http';
import { Stack } from './stack';
import { runNow } from './sweep-outcome';

export interface CollectionsStack {
  readonly stack: Stack;
  /** The suite's own company, created once the stack is up. */
  readonly tenant: Tenant;
  /** Today in the company's time zone, the day a run reads its due dates against. */
  readonly today: string;
  readonly temporal: Client;
  /** `POST /v1/workflows/:id/run-now` as the tenant's admin, answering the run's result once the workflow ends. */
  runNow(definitionId: string): Promise<ReminderSweepResult>;
}

/**
 * A stack, a tenant and a Temporal client for a suite of collection runs: registers the suite's beforeAll (start them)
 * and afterAll (close them), so call it directly inside `describe`. The getters throw if read before beforeAll ran.
 */
export function collectionsStack(name: string, env: Record<string, string> = {}): CollectionsStack {
  const stack = new Stack(name, env);
  let state: { tenant: Tenant; today: string; temporal: Client } | undefined;
  let connection: Connection | undefined;

  beforeAll(async () => {
    await stack.start();
    const tenant = await createTenant(new Http(stack.baseUrl));
    connection = await Connection.connect({ address: testEnv().temporalAddress });
    state = { tenant, today: todayIn(String(tenant.company.timezone), new Date()), temporal: new Client({ connection }) };
  });
  afterAll(async () => {
    await connection?.close();
    await closeDb();
    await stack.stop();
  });

  const started = () => {
    if (!state) throw new Error(`${name}: the collections stack is read before its beforeAll ran`);
    return state;
  };
  return {
    stack,
    get tenant() { return started().tenant; },
    get today() { return started().today; },
    get temporal() { return started().temporal; },
    async runNow(definitionId) {
      const { tenant, temporal } = started();
      return temporal.workflow.getHandle(await runNow(tenant, definitionId)).result();
    },
  };
}
