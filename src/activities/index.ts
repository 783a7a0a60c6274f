import type { DataSource } from 'typeorm';
import { createDiagnosticsActivities } from './diagnostics.activities';
import type { Mailer } from './mailer';

export interface ActivityDeps {
  dataSource: DataSource;
  mailer: Mailer;
}

/** Every activity, built from injected dependencies so tests can pass their own. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createDiagnosticsActivities(deps.dataSource),
  };
}

export type Activities = ReturnType<typeof createActivities>;
