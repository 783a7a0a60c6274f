import type { FunctionComponent } from 'preact';
import { InvoiceDetail } from './screens/invoices/detail';
import { Invoices } from './screens/invoices/list';
import { Settings } from './screens/settings/settings';
import { Tasks } from './screens/tasks';
import { WorkflowEditor } from './screens/workflows/editor';
import { Workflows } from './screens/workflows/workflows';

type Screen = FunctionComponent<Record<string, string>>;

/**
 * Every signed-in screen by its path under /app, the first match winning. A screen receives the path's parameters
 * as props (`/invoices/:id` gives `id`).
 */
export const ROUTES: [pattern: string, screen: Screen][] = [
  ['/workflows/new/:templateKey', WorkflowEditor],
  ['/workflows/:id/edit', WorkflowEditor],
  ['/workflows', Workflows],
  ['/workflows/:tab', Workflows],
  ['/workflows/:tab/:id', Workflows],
  ['/tasks', Tasks],
  ['/tasks/:view', Tasks],
  ['/invoices', Invoices],
  ['/invoices/:id', InvoiceDetail],
  ['/settings', Settings],
  ['/settings/:tab', Settings],
  ['/settings/:tab/:id', Settings],
];
