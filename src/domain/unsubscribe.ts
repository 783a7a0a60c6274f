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

/**
 * The unsubscribe page's Content-Security-Policy: no script, style or image, its form posts back to the same origin,
 * and no other site may frame it (a framed button could be clicked through an overlay).
 */
export const UNSUBSCRIBE_PAGE_CSP = "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** Whose reminders a link stops. */
export interface UnsubscribeParties {
  companyName: string;
  customerName: string;
  locale: string;
}

const TEXTS = {
  'en-US': {
    ask: { title: 'Stop payment reminders?', text: (o: UnsubscribeParties) => `Stop the payment reminders that ${o.companyName} sends to ${o.customerName}? Invoices and receipts will still be sent.` },
    done: { title: 'You are unsubscribed', text: (o: UnsubscribeParties) => `${o.customerName} will no longer receive payment reminders from ${o.companyName}. Invoices and receipts will still be sent.` },
    button: 'Unsubscribe',
  },
  'fr-CA': {
    ask: { title: 'Ne plus recevoir de rappels de paiement ?', text: (o: UnsubscribeParties) => `Arrêter les rappels de paiement que ${o.companyName} envoie à ${o.customerName} ? Les factures et reçus continueront d'être envoyés.` },
    done: { title: 'Désabonnement confirmé', text: (o: UnsubscribeParties) => `${o.customerName} ne recevra plus de rappels de paiement de ${o.companyName}. Les factures et reçus continueront d'être envoyés.` },
    button: 'Se désabonner',
  },
} as const;

function page(lang: string, title: string, content: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`
    + `<title>${escape(title)}</title></head><body><main><h1>${escape(title)}</h1>${content}</main></body></html>`;
}

/**
 * The page the link opens (GET): it asks, and changes nothing; its button posts the same one-click form a mail client
 * posts (RFC 8058). Mail scanners fetch every link of an email on arrival: a GET that unsubscribed would opt customers
 * out who never asked.
 */
export function unsubscribeAskPage(o: UnsubscribeParties): string {
  const fr = catalogueLocale(o.locale) === 'fr-CA';
  const t = TEXTS[fr ? 'fr-CA' : 'en-US'];
  return page(fr ? 'fr' : 'en', t.ask.title, `<p>${escape(t.ask.text(o))}</p>`
    + '<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">'
    + `<button type="submit">${escape(t.button)}</button></form>`);
}

/** The page after the button's (or a mail client's) POST; `null`: the token is unknown, for GET and POST alike. */
export function unsubscribedPage(o: UnsubscribeParties | null): string {
  if (!o) return page('en', 'Link not valid', `<p>${escape('This unsubscribe link is not valid. If you keep receiving reminders, reply to one of them.')}</p>`);
  const fr = catalogueLocale(o.locale) === 'fr-CA';
  const t = TEXTS[fr ? 'fr-CA' : 'en-US'];
  return page(fr ? 'fr' : 'en', t.done.title, `<p>${escape(t.done.text(o))}</p>`);
}
