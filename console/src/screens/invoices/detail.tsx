import { useMessages } from '../../i18n';
import { common } from '../../messages';
import { Page } from '../../ui';

/** Placeholder: an invoice's page. */
export function InvoiceDetail(_: Record<string, string>) {
  const words = useMessages(common);
  return <Page title={words.invoices}><p>…</p></Page>;
}
