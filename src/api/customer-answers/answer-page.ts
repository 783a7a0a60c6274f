import Handlebars from 'handlebars';
import { createHash } from 'node:crypto';
import type { AnswerRefusal } from '../../domain/answers';
import { formatDate, formatMoney } from '../../domain/messages';
import { catalogueLocale } from '../../domain/templates';

// Contrast: every text colour on its background is at least 4.5:1 (WCAG AA), buttons included.
const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:1rem;background:#f6f7f9;color:#1d2330;line-height:1.45}
main{max-width:34rem;margin:0 auto;background:#fff;border-radius:.5rem;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.1)}
h1{font-size:1.3rem;margin:0 0 .75rem}h2{font-size:1.1rem;margin:0 0 .4rem}dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem .9rem;margin:0 0 1rem}dt{color:#4a5160}dd{margin:0;font-weight:600}
form{margin:1rem 0;padding:.75rem;border:1px solid #d8dce3;border-radius:.4rem}label{display:block;margin:.3rem 0}p.hint{margin:.2rem 0;color:#4a5160;font-size:.95rem}
input,textarea{width:100%;box-sizing:border-box;font:inherit;padding:.45rem;border:1px solid #6b7280;border-radius:.3rem}textarea{min-height:4rem}
button{font:inherit;font-size:1.05rem;padding:.6rem 1.2rem;border:0;border-radius:.35rem;margin-top:.6rem;color:#fff;background:#1f5fa8;min-height:44px}
.dispute button{background:#a3261c}.notice{padding:.75rem;border-radius:.4rem;background:#eef3fb}.error{padding:.75rem;border-radius:.4rem;background:#fdecea;color:#8a1c12}`;

/** The page's Content-Security-Policy: no script, only this inline style, forms back to the same origin, never framed. */
export const ANSWER_PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; ` +
  "img-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const TEXTS = {
  'en-US': {
    title: 'Invoice {number}', from: 'From', customer: 'Customer', amount: 'Amount', balance: 'Left to pay', due: 'Due date',
    intro: 'Tell {company} where this invoice stands. Your answer goes to their team.',
    paidTitle: 'I have already paid', reference: 'Payment reference (optional)', paidButton: 'I have already paid',
    paidHint: 'Reminders stop for 7 days while the payment is matched.',
    disputeTitle: 'I dispute this invoice', reason: 'What is wrong with it (required)', disputeButton: 'Dispute this invoice',
    disputeHint: 'Reminders stop until {company} answers.',
    promiseTitle: 'I will pay on a date', payOn: 'Date of payment (within 60 days)', promiseButton: 'Promise to pay on this date',
    promiseHint: 'Reminders pause until then.',
    disputeOpen: 'You disputed this invoice on {when}; reminders are stopped until {company} answers.',
    promisedOn: 'You promised to pay on {day}.', noMorePromises: 'This invoice has already been promised twice: to change the date again, reply to the reminder.',
    thanksPaid: 'Thank you: {company} will check the payment. Reminders stop for 7 days.',
    thanksDispute: 'Thank you: {company} has your dispute. Reminders stop until they answer.',
    thanksPromise: 'Thank you: reminders pause until {day}.',
    notFound: 'This link is not valid. Check that you opened the whole link from the email.',
    expired: 'This link has expired. To answer about this invoice, reply to the latest reminder.',
    paid: 'Invoice {number} is paid: there is nothing left to answer. Thank you.',
    tooMany: 'Too many attempts from your address. Try again in a few minutes.',
    refused: {
      unknown_answer: 'Choose one of the answers below.', reason_required: 'A dispute needs a reason: say what is wrong with the invoice.',
      date_required: 'Give the date you will pay on.', date_past: 'The date of payment cannot be in the past.',
      date_too_far: 'The date of payment must be within 60 days.', too_many_promises: 'This invoice has already been promised twice: reply to the reminder to agree on another date.',
      disputed: 'This invoice is disputed: {company} will answer first.',
    } satisfies Record<AnswerRefusal, string>,
  },
  'fr-CA': {
    title: 'Facture {number}', from: 'De', customer: 'Client', amount: 'Montant', balance: 'Reste à payer', due: 'Échéance',
    intro: 'Dites à {company} où en est cette facture. Votre réponse est transmise à son équipe.',
    paidTitle: 'J\'ai déjà payé', reference: 'Référence du paiement (facultatif)', paidButton: 'J\'ai déjà payé',
    paidHint: 'Les rappels s\'arrêtent 7 jours, le temps de retrouver le paiement.',
    disputeTitle: 'Je conteste cette facture', reason: 'Ce qui ne va pas (obligatoire)', disputeButton: 'Contester la facture',
    disputeHint: 'Les rappels s\'arrêtent jusqu\'à la réponse de {company}.',
    promiseTitle: 'Je paierai à une date', payOn: 'Date du paiement (d\'ici 60 jours)', promiseButton: 'Promettre de payer à cette date',
    promiseHint: 'Les rappels sont suspendus jusque-là.',
    disputeOpen: 'Vous avez contesté cette facture le {when}; les rappels sont arrêtés jusqu\'à la réponse de {company}.',
    promisedOn: 'Vous avez promis de payer le {day}.', noMorePromises: 'Cette facture a déjà fait l\'objet de deux promesses : pour changer encore la date, répondez au rappel.',
    thanksPaid: 'Merci : {company} va vérifier le paiement. Les rappels s\'arrêtent 7 jours.',
    thanksDispute: 'Merci : {company} a reçu votre contestation. Les rappels s\'arrêtent jusqu\'à sa réponse.',
    thanksPromise: 'Merci : les rappels sont suspendus jusqu\'au {day}.',
    notFound: 'Ce lien n\'est pas valide. Vérifiez que vous avez ouvert le lien complet du courriel.',
    expired: 'Ce lien a expiré. Pour répondre au sujet de cette facture, répondez au dernier rappel.',
    paid: 'La facture {number} est payée : il n\'y a plus rien à répondre. Merci.',
    tooMany: 'Trop de tentatives depuis votre adresse. Réessayez dans quelques minutes.',
    refused: {
      unknown_answer: 'Choisissez l\'une des réponses ci-dessous.', reason_required: 'Une contestation demande un motif : dites ce qui ne va pas.',
      date_required: 'Indiquez la date à laquelle vous paierez.', date_past: 'La date du paiement ne peut pas être passée.',
      date_too_far: 'La date du paiement doit être d\'ici 60 jours.', too_many_promises: 'Cette facture a déjà fait l\'objet de deux promesses : répondez au rappel pour convenir d\'une autre date.',
      disputed: 'Cette facture est contestée : {company} répondra d\'abord.',
    } satisfies Record<AnswerRefusal, string>,
  },
} as const;

export type AnswerTexts = (typeof TEXTS)['en-US'];

export function answerTexts(locale: string): { lang: 'en' | 'fr'; locale: 'en-US' | 'fr-CA'; t: AnswerTexts } {
  const l = catalogueLocale(locale) === 'fr-CA' ? 'fr-CA' : 'en-US';
  return { lang: l === 'fr-CA' ? 'fr' : 'en', locale: l, t: TEXTS[l] as AnswerTexts };
}

/** `{name}` placeholders filled (the page escapes the result). */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));
}

const template = Handlebars.create().compile(`<!doctype html>
<html lang="{{lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>{{title}}</title><style>{{{style}}}</style></head>
<body><main>
<h1>{{title}}</h1>
{{#if error}}<p class="error" role="alert">{{error}}</p>{{/if}}
{{#each notices}}<p class="notice" role="status">{{this}}</p>{{/each}}
{{#if invoice}}<dl>
<dt>{{t.from}}</dt><dd>{{invoice.company}}</dd>
<dt>{{t.customer}}</dt><dd>{{invoice.customer}}</dd>
<dt>{{t.amount}}</dt><dd>{{invoice.amount}}</dd>
<dt>{{t.balance}}</dt><dd>{{invoice.balance}}</dd>
<dt>{{t.due}}</dt><dd>{{invoice.due}}</dd>
</dl>{{/if}}
{{#if forms}}<p>{{intro}}</p>
<form method="post" class="paid"><h2>{{t.paidTitle}}</h2><p class="hint">{{t.paidHint}}</p>
<input type="hidden" name="answer" value="already_paid">
<label for="reference">{{t.reference}}</label><input id="reference" name="reference" maxlength="200" autocomplete="off">
<button type="submit">{{t.paidButton}}</button></form>
{{#if forms.dispute}}<form method="post" class="dispute"><h2>{{t.disputeTitle}}</h2><p class="hint">{{disputeHint}}</p>
<input type="hidden" name="answer" value="dispute">
<label for="reason">{{t.reason}}</label><textarea id="reason" name="reason" maxlength="2000" required></textarea>
<button type="submit">{{t.disputeButton}}</button></form>{{/if}}
{{#if forms.promise}}<form method="post" class="promise"><h2>{{t.promiseTitle}}</h2><p class="hint">{{t.promiseHint}}</p>
<input type="hidden" name="answer" value="promise">
<label for="payOn">{{t.payOn}}</label><input id="payOn" name="payOn" type="date" min="{{forms.promise.min}}" max="{{forms.promise.max}}" required>
<button type="submit">{{t.promiseButton}}</button></form>{{/if}}
{{/if}}
</main></body></html>`, { strict: false });

export interface AnswerPageModel {
  title: string;
  error?: string;
  notices: string[];
  invoice?: { company: string; customer: string; amount: string; balance: string; due: string };
  /** The forms, while the link is valid: "already paid" always; dispute and promise when the invoice allows them. */
  forms?: { dispute: boolean; promise: { min: string; max: string } | null };
}

/** Every value is HTML-escaped by Handlebars' `{{ }}`; only the constant style goes in raw. */
export function renderAnswerPage(locale: string, companyName: string, model: AnswerPageModel): string {
  const { lang, t } = answerTexts(locale);
  return template({
    ...model, lang, t, style: STYLE,
    intro: fill(t.intro, { company: companyName }), disputeHint: fill(t.disputeHint, { company: companyName }),
  });
}

/** The invoice's facts on the page, in `locale`. */
export function describeInvoice(
  p: { invoice: { amount: string; balance: string; dueDate: string }; customer: { name: string }; company: { name: string; currency: string; timezone: string } },
  locale: string,
): NonNullable<AnswerPageModel['invoice']> {
  return {
    company: p.company.name,
    customer: p.customer.name,
    amount: formatMoney(p.invoice.amount, locale, p.company.currency),
    balance: formatMoney(p.invoice.balance, locale, p.company.currency),
    due: formatDate(p.invoice.dueDate, locale, p.company.timezone),
  };
}

export function formatDay(day: string, locale: string): string {
  return formatDate(day, locale, 'UTC');
}
