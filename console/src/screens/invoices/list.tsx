import { useMessages } from '../../i18n';
import { common } from '../../messages';
import { Page } from '../../ui';

/** Placeholder: the invoice list. */
export function Invoices(_: Record<string, string>) {
  const words = useMessages(common);
  return <Page title={words.invoices}><p>…</p></Page>;
}
