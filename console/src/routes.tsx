import type { FunctionComponent } from 'preact';
import { useLayoutEffect, useState } from 'preact/hooks';
import { errorMessage } from './api/client';
import { startInvoicesReads } from './screens/invoices/reads';
import { startMyWorkflowsReads } from './screens/workflows/data';
import { Status } from './ui';

type Screen = FunctionComponent<Record<string, string>>;
/** Starts a screen's first reads from its path's parameters and query, at boot (see early.ts). */
type Loader = (params: Record<string, string>, query: URLSearchParams) => void;
/** A screen whose code is fetched when first needed; `start` fetches it now. */
export type LazyScreen = Screen & { start(): Promise<Screen> };

/**
 * A screen's code in a chunk of its own, fetched when a page first shows it (the boot starts the first page's chunk
 * with its reads): a cold browser then fetches and compiles the frame and one screen before it asks for data, not
 * every screen of the console.
 */
function lazy(load: () => Promise<Screen>): LazyScreen {
  let loaded: Screen | undefined;
  let loading: Promise<Screen> | undefined;
  const start = () => (loading ??= load().then((screen) => (loaded = screen), (err: unknown) => {
    loading = undefined;
    throw err;
  }));
  const Lazy = (props: Record<string, string>) => {
    const [error, setError] = useState<string>();
    const [, setReady] = useState(false);
    // A layout effect: the chunk the boot started is often here already, and an effect would show it a frame later.
    useLayoutEffect(() => {
      if (!loaded) start().then(() => setReady(true), (err: unknown) => setError(errorMessage(err)));
    }, []);
    const Loaded = loaded;
    return Loaded ? <Loaded {...props} /> : <Status loading={!error} error={error} />;
  };
  return Object.assign(Lazy, { start });
}

const WorkflowEditor = lazy(() => import('./screens/workflows/editor').then((m) => m.WorkflowEditor));
const Workflows = lazy(() => import('./screens/workflows/workflows').then((m) => m.Workflows));
const Tasks = lazy(() => import('./screens/tasks').then((m) => m.Tasks));
const Invoices = lazy(() => import('./screens/invoices/list').then((m) => m.Invoices));
const InvoiceDetail = lazy(() => import('./screens/invoices/detail').then((m) => m.InvoiceDetail));
const Settings = lazy(() => import('./screens/settings/settings').then((m) => m.Settings));

/**
 * Every signed-in screen by its path under /app, the first match winning. A screen receives the path's parameters
 * as props (`/invoices/:id` gives `id`). A route's loader, when it has one, starts the screen's reads as the console boots
 * on that path, beside who is signed in.
 */
export const ROUTES: [pattern: string, screen: LazyScreen, loader?: Loader][] = [
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
