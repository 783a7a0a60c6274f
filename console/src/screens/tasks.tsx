import { useMessages } from '../i18n';
import { common } from '../messages';
import { Page } from '../ui';

/** Placeholder: the task inbox. */
export function Tasks(_: Record<string, string>) {
  const words = useMessages(common);
  return <Page title={words.tasks}><p>…</p></Page>;
}
