import { useMessages } from '../../i18n';
import { Page, Tabs } from '../../ui';
import { MyWorkflows } from './mine';
import { RunDetail, RunHistory } from './runs';
import { Templates } from './templates';
import { workflowWords } from './words';

/** The Workflows section: its three tabs, each a page of its own (/workflows/templates, /mine, /runs, /runs/:id). */
export function Workflows({ tab = 'templates', id }: Record<string, string>) {
  const words = useMessages(workflowWords);
  return (
    <Page title={words.sections}>
      <Tabs label={words.sections} tabs={[
        { to: '/workflows/templates', label: words.templates },
        { to: '/workflows/mine', label: words.mine },
        { to: '/workflows/runs', label: words.runs },
      ]} />
      {tab === 'mine' ? <MyWorkflows /> : tab === 'runs' ? (id ? <RunDetail id={id} /> : <RunHistory />) : <Templates />}
    </Page>
  );
}
