import { formatDate, formatMoney } from './messages';
import { catalogueLocale } from './templates';

/** What the approval notices say about the document, in the company's locale and currency. */
export interface ApprovalNoticeFacts {
  /** Default `invoice`. */
  kind?: 'invoice' | 'bill';
  locale: string;
  currency: string;
  timezone: string;
  number: string;
  amount: string;
  /** The invoice's customer, or the bill's vendor. */
  customerName: string;
  companyName: string;
}

export interface Notice {
  subject: string;
  text: string;
}

/**
 * The texts Relance itself sends around an approval of an invoice or a bill (the request when the definition has none, the reminder,
 * the outcome), in each supported locale. Subjects stay short: they are also the titles of push notifications.
 */
export function approvalNotices(f: ApprovalNoticeFacts) {
  const fr = catalogueLocale(f.locale) === 'fr-CA';
  const amount = formatMoney(f.amount, f.locale, f.currency);
  const day = (instant: string) => formatDate(instant, f.locale, f.timezone);
  // How each locale names the document, the party it is with (an invoice's customer, a bill's vendor) and its routes.
  const w = f.kind === 'bill'
    ? { noun: 'bill', Noun: 'Bill', party: 'from', fr: 'facture fournisseur', path: 'bills', sendable: 'It can be paid now.', frSendable: 'Elle peut maintenant être payée.' }
    : { noun: 'invoice', Noun: 'Invoice', party: 'for', fr: 'facture', path: 'invoices', sendable: 'It can be sent now.', frSendable: 'Elle peut maintenant être envoyée.' };
  return {
    /** The approval task of one approver. */
    task(o: { step: number }): { title: string; description: string } {
      return fr
        ? { title: `Approuver la ${w.fr} ${f.number}`, description: `La ${w.fr} ${f.number} de ${f.customerName} (${amount}) attend votre approbation (étape ${o.step + 1}).` }
        : { title: `Approve ${w.noun} ${f.number}`, description: `${w.Noun} ${f.number} ${w.party} ${f.customerName} (${amount}) is waiting for your approval (step ${o.step + 1}).` };
    },
    requested(o: { documentId: string; step: number; stepCount: number; deadline: string }): Notice {
      const step = o.stepCount > 1 ? (fr ? ` (étape ${o.step + 1} sur ${o.stepCount})` : ` (step ${o.step + 1} of ${o.stepCount})`) : '';
      return fr
        ? {
          subject: `Approbation demandée : ${w.fr} ${f.number}${step}`,
          text: [
            `La ${w.fr} ${f.number} de ${f.customerName}, ${amount}, doit être approuvée${step} chez ${f.companyName}.`,
            `Décidez avant le ${day(o.deadline)} : POST /v1/${w.path}/${o.documentId}/approve ou /reject.`,
            'Sans décision d\'ici là, elle est rejetée automatiquement.',
          ].join('\n'),
        }
        : {
          subject: `Approval requested: ${w.noun} ${f.number}${step}`,
          text: [
            `${w.Noun} ${f.number} ${w.party} ${f.customerName}, ${amount}, needs approval${step} at ${f.companyName}.`,
            `Decide before ${day(o.deadline)}: POST /v1/${w.path}/${o.documentId}/approve or /reject.`,
            'Without a decision by then it is rejected automatically.',
          ].join('\n'),
        };
    },
    /** To the escalation user (or their delegate): nobody decided the step in time, they may now. */
    escalated(o: { documentId: string; step: number; stepCount: number; deadline: string }): Notice {
      const step = o.stepCount > 1 ? (fr ? ` (étape ${o.step + 1} sur ${o.stepCount})` : ` (step ${o.step + 1} of ${o.stepCount})`) : '';
      return fr
        ? {
          subject: `Escalade : la ${w.fr} ${f.number} attend une décision${step}`,
          text: [
            `Personne n'a encore décidé de la ${w.fr} ${f.number} de ${f.customerName}, ${amount}${step} : vous pouvez maintenant l'approuver ou la rejeter.`,
            `Décidez avant le ${day(o.deadline)} : POST /v1/${w.path}/${o.documentId}/approve ou /reject.`,
          ].join('\n'),
        }
        : {
          subject: `Escalated: ${w.noun} ${f.number} waits for a decision${step}`,
          text: [
            `Nobody has decided ${w.noun} ${f.number} ${w.party} ${f.customerName}, ${amount}${step} yet: you may now approve or reject it.`,
            `Decide before ${day(o.deadline)}: POST /v1/${w.path}/${o.documentId}/approve or /reject.`,
          ].join('\n'),
        };
    },
    /** To the delegate who now holds an approver's request, or to the approver it came back to. */
    delegated(o: { documentId: string; forName: string | null; deadline: string }): Notice {
      const forWhom = o.forName ? (fr ? ` à la place de ${o.forName}` : ` on behalf of ${o.forName}`) : '';
      return fr
        ? {
          subject: `Approbation demandée : ${w.fr} ${f.number}${forWhom}`,
          text: [
            `La ${w.fr} ${f.number} de ${f.customerName}, ${amount}, attend votre approbation${forWhom} chez ${f.companyName}.`,
            `Décidez avant le ${day(o.deadline)} : POST /v1/${w.path}/${o.documentId}/approve ou /reject.`,
          ].join('\n'),
        }
        : {
          subject: `Approval requested: ${w.noun} ${f.number}${forWhom}`,
          text: [
            `${w.Noun} ${f.number} ${w.party} ${f.customerName}, ${amount}, waits for your approval${forWhom} at ${f.companyName}.`,
            `Decide before ${day(o.deadline)}: POST /v1/${w.path}/${o.documentId}/approve or /reject.`,
          ].join('\n'),
        };
    },
    /** The line of an approver's email that links to the page they can decide from. */
    decisionLink(url: string): string {
      return fr ? `Approuvez ou rejetez depuis cette page : ${url}` : `Approve or reject from this page: ${url}`;
    },
    reminder(o: { deadline: string }): Notice {
      return fr
        ? {
          subject: `Rappel : la ${w.fr} ${f.number} attend votre approbation`,
          text: [
            `La ${w.fr} ${f.number} de ${f.customerName}, ${amount}, attend toujours votre décision.`,
            `Sans décision d'ici le ${day(o.deadline)}, elle est rejetée automatiquement.`,
          ].join('\n'),
        }
        : {
          subject: `Reminder: ${w.noun} ${f.number} still needs your approval`,
          text: [
            `${w.Noun} ${f.number} ${w.party} ${f.customerName}, ${amount}, still waits for your decision.`,
            `Without a decision by ${day(o.deadline)} it is rejected automatically.`,
          ].join('\n'),
        };
    },
    decided(o: { outcome: 'approved' | 'rejected'; timedOut: boolean; comment: string | null }): Notice {
      if (fr) {
        const verb = o.outcome === 'approved' ? 'approuvée' : 'rejetée';
        const why = o.timedOut ? 'aucune décision avant l\'échéance' : o.comment;
        return {
          subject: `La ${w.fr} ${f.number} a été ${verb}`,
          text: [
            `La ${w.fr} ${f.number} de ${f.customerName}, ${amount}, a été ${verb}${why ? ` : ${why}` : ''}.`,
            o.outcome === 'approved' ? w.frSendable : 'Modifiez-la et soumettez-la de nouveau pour approbation.',
          ].join('\n'),
        };
      }
      const why = o.timedOut ? 'no decision was made before the deadline' : o.comment;
      return {
        subject: `${w.Noun} ${f.number} was ${o.outcome}`,
        text: [
          `${w.Noun} ${f.number} ${w.party} ${f.customerName}, ${amount}, was ${o.outcome}${why ? `: ${why}` : ''}.`,
          o.outcome === 'approved' ? w.sendable : 'Edit it and submit it again for approval.',
        ].join('\n'),
      };
    },
  };
}
