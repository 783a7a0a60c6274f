import { useMessages } from '../../i18n';
import { common } from '../../messages';
import { Page } from '../../ui';

/** Placeholder: settings. */
export function Settings(_: Record<string, string>) {
  const words = useMessages(common);
  return <Page title={words.settings}><p>…</p></Page>;
}
