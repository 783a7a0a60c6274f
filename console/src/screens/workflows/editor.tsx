import { useMessages } from '../../i18n';
import { common } from '../../messages';
import { Page } from '../../ui';

/** Placeholder: the editor. */
export function WorkflowEditor(_: Record<string, string>) {
  const words = useMessages(common);
  return <Page title={words.workflows}><p>…</p></Page>;
}
