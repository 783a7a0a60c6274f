import type { DataSource } from 'typeorm';
import { createApprovalActivities } from './approval.activities';
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
    ...createApprovalActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
