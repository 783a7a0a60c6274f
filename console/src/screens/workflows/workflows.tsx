import { useMessages } from '../../i18n';
import { common } from '../../messages';
import { Page } from '../../ui';

/** Placeholder: the Workflows tabs. */
export function Workflows(_: Record<string, string>) {
  const words = useMessages(common);
  return <Page title={words.workflows}><p>…</p></Page>;
}
