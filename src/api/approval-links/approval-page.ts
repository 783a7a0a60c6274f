import Handlebars from 'handlebars';
import { createHash } from 'node:crypto';
import { formatDate, formatMoney } from '../../domain/messages';
import { catalogueLocale } from '../../domain/templates';
import type { ApprovalLinkPage } from '../../db/approval-links.repository';
import { NOBODY_TO_ESCALATE, QUORUM_UNREACHABLE, type SeatLossReason } from '../../contracts';

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:1rem;background:#f6f7f9;color:#1d2330;line-height:1.45}
main{max-width:34rem;margin:0 auto;background:#fff;border-radius:.5rem;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.1)}
h1{font-size:1.3rem;margin:0 0 .75rem}dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem .9rem;margin:0 0 1rem}dt{color:#5a6272}dd{margin:0;font-weight:600}
ol{padding-left:1.2rem}form{margin:1rem 0;padding:.75rem;border:1px solid #d8dce3;border-radius:.4rem}label{display:block;margin-bottom:.3rem}
textarea{width:100%;box-sizing:border-box;min-height:4rem;font:inherit;padding:.4rem}button{font:inherit;font-size:1.05rem;padding:.6rem 1.2rem;border:0;border-radius:.35rem;margin-top:.5rem;color:#fff}
.approve{background:#1f7a3d}.reject{background:#b3261e}.notice{padding:.75rem;border-radius:.4rem;background:#eef3fb}.error{padding:.75rem;border-radius:.4rem;background:#fdecea;color:#8a1c12}`;

/** The Content-Security-Policy of the page: nothing but this one inline style, forms back to the same origin. */
export const PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; ` +
  "img-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const TEXTS = {
  'en-US': {
    title: 'Invoice {number}', company: 'Company', submittedBy: 'Submitted by', pdf: 'The invoice (PDF)', invoice: 'Invoice', customer: 'Customer', amount: 'Amount', due: 'Due date', memo: 'Memo', step: 'Step',
    stepOf: '{k} of {n}', deadline: 'Decide before', earlier: 'Earlier decisions', approve: 'Approve', reject: 'Reject', comment: 'Comment (optional)',
    reason: 'Reason (required)', forWhom: 'You decide as {name} ({email}).', overLimit: 'This invoice is above the amount {company} lets approvers decide from email ({limit}): decide it through the API (POST /v1/invoices/{id}/approve or /reject).',
    approved: 'approved', rejected: 'rejected', timeout: 'rejected: no decision before the deadline', cancelled: 'cancelled (the invoice was edited)', escalated: 'joined the approvers (escalation)',
    onBehalf: 'on behalf of {name}', viaEmail: 'from the email',
    notFound: 'This link is not valid. Check that you opened the whole link from the email.',
    already: 'Invoice {number} was already {decision} by {name} on {when}.', stepDone: 'Step {k} of invoice {number} was already {decision} by {name} on {when}.',
    youApproved: 'You already approved this step on {when}; it waits for other approvers.', used: 'This link was already used.',
    moved: 'This request moved to {name} on {when} (a delegation): they decide it now.',
    deactivated: 'This link no longer works: the person it was sent to was deactivated, and their approval requests went to someone else.',
    expired: 'This link expired on {when}: the approval deadline has passed.', tooMany: 'Too many attempts from your address. Try again in a few minutes.',
    reasonRequired: 'A rejection needs a reason: say why the invoice is rejected.', done: 'Done: you {decision} invoice {number}.',
    unavailable: 'The decision could not be confirmed right now. Nothing is lost: open the link again in a minute to see whether it was recorded.',
    refused: 'Your decision was not recorded: {message}', nobody: 'nobody',
    seatLost: 'You no longer hold a seat of step {k}: {why}.', lostRemovedFromGroup: 'you were removed from its approver group',
    lostLimitLowered: 'your approval limit was lowered below the amount', lostDeactivated: 'your account was deactivated',
    lostOther: 'the people who may decide it changed',
    seat_lost: 'lost their seat', seatRemovedFromGroup: 'removed from the approver group', seatLimitLowered: 'approval limit lowered below the amount',
    seatDeactivated: 'deactivated', quorumUnreachable: 'the step could no longer reach its quorum',
    nobodyToEscalate: 'nobody more can be asked: the step waits for its deadline',
  },
  'fr-CA': {
    title: 'Facture {number}', company: 'Entreprise', submittedBy: 'Soumise par', pdf: 'La facture (PDF)', invoice: 'Facture', customer: 'Client', amount: 'Montant', due: 'Échéance', memo: 'Note', step: 'Étape',
    stepOf: '{k} sur {n}', deadline: 'Décider avant le', earlier: 'Décisions précédentes', approve: 'Approuver', reject: 'Rejeter', comment: 'Commentaire (facultatif)',
    reason: 'Motif (obligatoire)', forWhom: 'Vous décidez en tant que : {name} ({email}).', overLimit: 'Cette facture dépasse le montant que {company} permet d\'approuver par courriel ({limit}) : décidez-en par l\'API (POST /v1/invoices/{id}/approve ou /reject).',
    approved: 'approuvée', rejected: 'rejetée', timeout: 'rejetée : aucune décision avant l\'échéance', cancelled: 'annulée (la facture a été modifiée)', escalated: 'a rejoint les approbateurs (escalade)',
    onBehalf: 'à la place de {name}', viaEmail: 'depuis le courriel',
    notFound: 'Ce lien n\'est pas valide. Vérifiez que vous avez ouvert le lien complet du courriel.',
    already: 'La facture {number} a déjà été {decision} par {name} le {when}.', stepDone: 'L\'étape {k} de la facture {number} a déjà été {decision} par {name} le {when}.',
    youApproved: 'Vous avez déjà approuvé cette étape le {when}; elle attend d\'autres approbateurs.', used: 'Ce lien a déjà servi.',
    moved: 'Cette demande a été transmise à {name} le {when} (une délégation) : c\'est à cette personne d\'en décider.',
    deactivated: 'Ce lien ne fonctionne plus : la personne à qui il a été envoyé a été désactivée, et ses demandes d\'approbation ont été confiées à quelqu\'un d\'autre.',
    expired: 'Ce lien a expiré le {when} : l\'échéance de l\'approbation est passée.', tooMany: 'Trop de tentatives depuis votre adresse. Réessayez dans quelques minutes.',
    reasonRequired: 'Un rejet demande un motif : dites pourquoi la facture est rejetée.', done: 'C\'est fait : vous avez {decision} la facture {number}.',
    unavailable: 'La décision n\'a pas pu être confirmée pour l\'instant. Rien n\'est perdu : rouvrez le lien dans une minute pour voir si elle a été enregistrée.',
    refused: 'Votre décision n\'a pas été enregistrée : {message}', nobody: 'personne',
    seatLost: 'Vous n\'occupez plus de siège à l\'étape {k} : {why}.', lostRemovedFromGroup: 'vous avez été retiré·e de son groupe d\'approbateurs',
    lostLimitLowered: 'votre limite d\'approbation a été abaissée sous le montant', lostDeactivated: 'votre compte a été désactivé',
    lostOther: 'les personnes qui peuvent en décider ont changé',
    seat_lost: 'a perdu son siège', seatRemovedFromGroup: 'retiré·e du groupe d\'approbateurs', seatLimitLowered: 'limite d\'approbation abaissée sous le montant',
    seatDeactivated: 'désactivé·e', quorumUnreachable: 'l\'étape ne pouvait plus atteindre son quorum',
    nobodyToEscalate: 'personne d\'autre ne peut être sollicité : l\'étape attend son échéance',
  },
} as const;

export type PageTexts = { [K in keyof (typeof TEXTS)['en-US']]: string };

/** What a bill's page says differently: a bill, its vendor, paid rather than sent (a bill has no PDF here). */
const BILL_TEXTS: Record<'en-US' | 'fr-CA', Partial<PageTexts>> = {
  'en-US': {
    title: 'Bill {number}', invoice: 'Bill', customer: 'Vendor',
    overLimit: 'This bill is above the amount {company} lets approvers decide from email ({limit}): decide it through the API (POST /v1/bills/{id}/approve or /reject).',
    cancelled: 'cancelled (the bill was edited)',
    already: 'Bill {number} was already {decision} by {name} on {when}.', stepDone: 'Step {k} of bill {number} was already {decision} by {name} on {when}.',
    reasonRequired: 'A rejection needs a reason: say why the bill is rejected.', done: 'Done: you {decision} bill {number}.',
  },
  'fr-CA': {
    title: 'Facture à payer {number}', invoice: 'Facture à payer', customer: 'Fournisseur',
    overLimit: 'Cette facture à payer dépasse le montant que {company} permet d\'approuver par courriel ({limit}) : décidez-en par l\'API (POST /v1/bills/{id}/approve ou /reject).',
    cancelled: 'annulée (la facture à payer a été modifiée)',
    already: 'La facture à payer {number} a déjà été {decision} par {name} le {when}.', stepDone: 'L\'étape {k} de la facture à payer {number} a déjà été {decision} par {name} le {when}.',
    reasonRequired: 'Un rejet demande un motif : dites pourquoi la facture à payer est rejetée.', done: 'C\'est fait : vous avez {decision} la facture à payer {number}.',
  },
};

type TextKey = keyof PageTexts;
const SEAT_LOSS_WORDS = new Map<string, { link: TextKey; trail: TextKey }>(([
  ['removed_from_group', { link: 'lostRemovedFromGroup', trail: 'seatRemovedFromGroup' }],
  ['limit_lowered', { link: 'lostLimitLowered', trail: 'seatLimitLowered' }],
  ['deactivated', { link: 'lostDeactivated', trail: 'seatDeactivated' }],
] satisfies [SeatLossReason, { link: TextKey; trail: TextKey }][]));
const ESCALATION_WORDS = new Map<string, TextKey>([[QUORUM_UNREACHABLE, 'quorumUnreachable'], [NOBODY_TO_ESCALATE, 'nobodyToEscalate']]);

/** What the link's recipient is told once a seat of the step they held is lost, `reason` the trail's (a SeatLossReason). */
export function seatLostMessage(t: PageTexts, step: number, reason: string | null): string {
  const words = SEAT_LOSS_WORDS.get(reason ?? '');
  return fill(t.seatLost, { k: step + 1, why: words ? t[words.link] : t.lostOther });
}

/** The trail's coded comments in words: why a seat was lost, why people joined a step (or nobody could). */
function codedComment(t: PageTexts, decision: string, comment: string | null): string | undefined {
  if (comment === null) return undefined;
  if (decision === 'seat_lost') {
    const words = SEAT_LOSS_WORDS.get(comment);
    return words ? t[words.trail] : undefined;
  }
  const key = decision === 'escalated' ? ESCALATION_WORDS.get(comment) : undefined;
  return key ? t[key] : undefined;
}

/** The page's texts in the company's locale, for the kind of document the link is about. */
export function textsFor(locale: string, kind: 'invoice' | 'bill' = 'invoice'): { locale: 'en-US' | 'fr-CA'; t: PageTexts } {
  const l = catalogueLocale(locale) === 'fr-CA' ? 'fr-CA' : 'en-US';
  return { locale: l, t: kind === 'bill' ? { ...TEXTS[l], ...BILL_TEXTS[l] } : TEXTS[l] };
}

/** `{name}` placeholders of a text, filled (the page escapes the result). */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));
}

export function formatInstant(at: Date | string, locale: string, timezone: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: timezone }).format(new Date(at));
}

const page = Handlebars.create().compile(`<!doctype html>
<html lang="{{lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>{{title}}</title><style>{{{style}}}</style></head>
<body><main>
<h1>{{title}}</h1>
{{#if error}}<p class="error" role="alert">{{error}}</p>{{/if}}
{{#if message}}<p class="notice" role="status">{{message}}</p>{{/if}}
{{#if invoice}}<dl>
<dt>{{t.company}}</dt><dd>{{invoice.company}}</dd>
<dt>{{t.submittedBy}}</dt><dd>{{invoice.submittedBy}}</dd>
<dt>{{t.invoice}}</dt><dd>{{invoice.number}}</dd>
<dt>{{t.customer}}</dt><dd>{{invoice.customer}}</dd>
<dt>{{t.amount}}</dt><dd>{{invoice.amount}}</dd>
<dt>{{t.due}}</dt><dd>{{invoice.due}}</dd>
{{#if invoice.memo}}<dt>{{t.memo}}</dt><dd>{{invoice.memo}}</dd>{{/if}}
<dt>{{t.step}}</dt><dd>{{invoice.step}}</dd>
<dt>{{t.deadline}}</dt><dd>{{invoice.deadline}}</dd>
</dl>{{/if}}
{{#if pdfHref}}<p><a href="{{pdfHref}}">{{t.pdf}}</a></p>{{/if}}
{{#if earlier.length}}<h2>{{t.earlier}}</h2><ol>{{#each earlier}}<li>{{this}}</li>{{/each}}</ol>{{/if}}
{{#if forWhom}}<p>{{forWhom}}</p>{{/if}}
{{#if decidable}}
<form method="post"><input type="hidden" name="decision" value="approve">
<label for="comment">{{t.comment}}</label><textarea id="comment" name="comment" maxlength="2000"></textarea>
<button class="approve" type="submit">{{t.approve}}</button></form>
<form method="post"><input type="hidden" name="decision" value="reject">
<label for="reason">{{t.reason}}</label><textarea id="reason" name="reason" maxlength="2000" required></textarea>
<button class="reject" type="submit">{{t.reject}}</button></form>
{{/if}}
</main></body></html>`, { strict: false });

export interface PageModel {
  /** Which document the page is about (its wording); an invoice when absent. */
  kind?: 'invoice' | 'bill';
  title: string;
  error?: string;
  message?: string;
  invoice?: { company: string; submittedBy: string; number: string; customer: string; amount: string; due: string; memo: string | null; step: string; deadline: string };
  earlier: string[];
  forWhom?: string;
  /** The invoice's PDF, behind the same link: given only while the link is valid. */
  pdfHref?: string;
  decidable: boolean;
}

/** Every value is HTML-escaped by Handlebars' `{{ }}`; only the constant style goes in raw. */
export function renderPage(locale: string, model: PageModel): string {
  const { locale: lang, t } = textsFor(locale, model.kind);
  return page({ ...model, lang, t, style: STYLE });
}

/** The kind of document a link's page is about: the page's texts for it (a bill's vendor stands where a customer would). */
export function pageTexts(p: Pick<ApprovalLinkPage, 'company' | 'invoice'>): ReturnType<typeof textsFor> {
  return textsFor(p.company.locale, p.invoice.kind);
}

/** The document's facts and the earlier decisions of a link's page, in the company's locale. */
export function describe(p: ApprovalLinkPage): Pick<PageModel, 'kind' | 'invoice' | 'earlier'> {
  const { locale, timezone, currency } = p.company;
  const { locale: lang, t } = pageTexts(p);
  const earlier = p.decisions.map((d) => {
    const who = d.userName ?? t.nobody;
    const what = t[d.decision as 'approved'] ?? d.decision;
    const coded = codedComment(t, d.decision, d.comment);
    const head = coded !== undefined && d.decision === 'escalated' && d.userId === null ? coded
      : `${d.decision === 'timeout' ? '' : `${who} `}${what}${coded === undefined ? '' : d.decision === 'seat_lost' ? ` (${coded})` : `: ${coded}`}`;
    const extras = [d.onBehalfOfName ? fill(t.onBehalf, { name: d.onBehalfOfName }) : '', d.via === 'email' ? t.viaEmail : ''].filter(Boolean).join(', ');
    const comment = d.comment && coded === undefined ? (lang === 'fr-CA' ? ` : « ${d.comment} »` : `: “${d.comment}”`) : '';
    return `${t.step} ${d.step + 1} — ${head}${extras ? ` (${extras})` : ''}, ` +
      `${formatInstant(d.decidedAt, locale, timezone)}${comment}`;
  });
  return {
    kind: p.invoice.kind,
    invoice: {
      company: p.company.name,
      submittedBy: p.approval.submittedByName,
      number: p.invoice.number,
      customer: p.invoice.customerName,
      amount: formatMoney(p.invoice.amount, locale, currency),
      due: formatDate(p.invoice.dueDate, locale, timezone),
      memo: p.invoice.memo?.trim() ? p.invoice.memo : null,
      step: fill(t.stepOf, { k: p.step + 1, n: p.approval.stepCount }),
      deadline: formatInstant(p.approval.deadline, locale, timezone),
    },
    earlier,
  };
}
