import { catalogueLocale } from './templates';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The line a reminder email ends with, in the company's locale: plain text and HTML. */
export function unsubscribeFooter(link: string, locale: string): { text: string; html: string } {
  const fr = catalogueLocale(locale) === 'fr-CA';
  const words = fr ? 'Pour ne plus recevoir ces rappels' : 'To stop receiving these reminders';
  const label = fr ? 'se désabonner' : 'unsubscribe';
  return {
    text: `\n\n--\n${words}: ${link}`,
    html: `<hr><p style="font-size:12px;color:#666">${escape(words)}: <a href="${escape(link)}">${escape(label)}</a></p>`,
  };
}

/** The page a customer sees after following the link (or posting the one-click form). */
export function unsubscribedPage(o: { companyName: string; customerName: string; locale: string } | null): string {
  const fr = o ? catalogueLocale(o.locale) === 'fr-CA' : false;
  const title = o ? (fr ? 'Désabonnement confirmé' : 'You are unsubscribed') : 'Link not valid';
  const text = !o
    ? 'This unsubscribe link is not valid. If you keep receiving reminders, reply to one of them.'
    : fr
      ? `${o.customerName} ne recevra plus de rappels de paiement de ${o.companyName}. Les factures et reçus continueront d'être envoyés.`
      : `${o.customerName} will no longer receive payment reminders from ${o.companyName}. Invoices and receipts will still be sent.`;
  return `<!doctype html><html lang="${fr ? 'fr' : 'en'}"><head><meta charset="utf-8"><title>${escape(title)}</title></head>`
    + `<body><h1>${escape(title)}</h1><p>${escape(text)}</p></body></html>`;
}
