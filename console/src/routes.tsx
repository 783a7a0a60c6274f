import type { FunctionComponent } from 'preact';
import { startInvoicesReads } from './screens/invoices/list';
import { startMyWorkflowsReads } from './screens/workflows/mine';
import { InvoiceDetail } from './screens/invoices/detail';
import { Invoices } from './screens/invoices/list';
import { Settings } from './screens/settings/settings';
import { Tasks } from './screens/tasks';
import { WorkflowEditor } from './screens/workflows/editor';
import { Workflows } from './screens/workflows/workflows';

type Screen = FunctionComponent<Record<string, string>>;
/** Starts a screen's first reads from its path's parameters and query, at boot (see early.ts). */
type Loader = (params: Record<string, string>, query: URLSearchParams) => void;

/**
 * Every signed-in screen by its path under /app, the first match winning. A screen receives the path's parameters
 * as props (`/invoices/:id` gives `id`). A route's loader, when it has one, starts the screen's reads as the console boots
 * on that path, beside who is signed in.
 */
export const ROUTES: [pattern: string, screen: Screen, loader?: Loader][] = [
  ['/workflows/new/:templateKey', WorkflowEditor],
  ['/workflows/:id/edit', WorkflowEditor],
  ['/workflows', Workflows],
  ['/workflows/:tab', Workflows, ({ tab }) => tab === 'mine' && startMyWorkflowsReads()],
  ['/workflows/:tab/:id', Workflows],
  ['/tasks', Tasks],
  ['/tasks/:view', Tasks],
  ['/invoices', Invoices, (_, query) => startInvoicesReads(query)],
  ['/invoices/:id', InvoiceDetail],
  ['/settings', Settings],
  ['/settings/:tab', Settings],
  ['/settings/:tab/:id', Settings],
];
