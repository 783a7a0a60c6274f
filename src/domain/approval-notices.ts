import { formatDate, formatMoney } from './messages';
import { catalogueLocale } from './templates';

/** What the approval notices say about the invoice, in the company's locale and currency. */
export interface ApprovalNoticeFacts {
  locale: string;
  currency: string;
  timezone: string;
  number: string;
  amount: string;
  customerName: string;
  companyName: string;
}

export interface Notice {
  subject: string;
  text: string;
}

/**
 * The texts Relance itself sends around an approval (the request when the definition has none, the reminder,
 * the outcome), in each supported locale. Subjects stay short: they are also the titles of push notifications.
 */
export function approvalNotices(f: ApprovalNoticeFacts) {
  const fr = catalogueLocale(f.locale) === 'fr-CA';
  const amount = formatMoney(f.amount, f.locale, f.currency);
  const day = (instant: string) => formatDate(instant, f.locale, f.timezone);
  return {
    /** The approval task of one approver. */
    task(o: { step: number }): { title: string; description: string } {
      return fr
        ? { title: `Approuver la facture ${f.number}`, description: `La facture ${f.number} de ${f.customerName} (${amount}) attend votre approbation (étape ${o.step + 1}).` }
        : { title: `Approve invoice ${f.number}`, description: `Invoice ${f.number} for ${f.customerName} (${amount}) is waiting for your approval (step ${o.step + 1}).` };
    },
    requested(o: { invoiceId: string; step: number; stepCount: number; deadline: string }): Notice {
      const step = o.stepCount > 1 ? (fr ? ` (étape ${o.step + 1} sur ${o.stepCount})` : ` (step ${o.step + 1} of ${o.stepCount})`) : '';
      return fr
        ? {
          subject: `Approbation demandée : facture ${f.number}${step}`,
          text: [
            `La facture ${f.number} de ${f.customerName}, ${amount}, doit être approuvée${step} chez ${f.companyName}.`,
            `Décidez avant le ${day(o.deadline)} : POST /v1/invoices/${o.invoiceId}/approve ou /reject.`,
            'Sans décision d\'ici là, elle est rejetée automatiquement.',
          ].join('\n'),
        }
        : {
          subject: `Approval requested: invoice ${f.number}${step}`,
          text: [
            `Invoice ${f.number} for ${f.customerName}, ${amount}, needs approval${step} at ${f.companyName}.`,
            `Decide before ${day(o.deadline)}: POST /v1/invoices/${o.invoiceId}/approve or /reject.`,
            'Without a decision by then it is rejected automatically.',
          ].join('\n'),
        };
    },
    /** To the escalation user (or their delegate): nobody decided the step in time, they may now. */
    escalated(o: { invoiceId: string; step: number; stepCount: number; deadline: string }): Notice {
      const step = o.stepCount > 1 ? (fr ? ` (étape ${o.step + 1} sur ${o.stepCount})` : ` (step ${o.step + 1} of ${o.stepCount})`) : '';
      return fr
        ? {
          subject: `Escalade : la facture ${f.number} attend une décision${step}`,
          text: [
            `Personne n'a encore décidé de la facture ${f.number} de ${f.customerName}, ${amount}${step} : vous pouvez maintenant l'approuver ou la rejeter.`,
            `Décidez avant le ${day(o.deadline)} : POST /v1/invoices/${o.invoiceId}/approve ou /reject.`,
          ].join('\n'),
        }
        : {
          subject: `Escalated: invoice ${f.number} waits for a decision${step}`,
          text: [
            `Nobody has decided invoice ${f.number} for ${f.customerName}, ${amount}${step} yet: you may now approve or reject it.`,
            `Decide before ${day(o.deadline)}: POST /v1/invoices/${o.invoiceId}/approve or /reject.`,
          ].join('\n'),
        };
    },
    /** To the delegate who now holds an approver's request, or to the approver it came back to. */
    delegated(o: { invoiceId: string; forName: string | null; deadline: string }): Notice {
      const forWhom = o.forName ? (fr ? ` à la place de ${o.forName}` : ` on behalf of ${o.forName}`) : '';
      return fr
        ? {
          subject: `Approbation demandée : facture ${f.number}${forWhom}`,
          text: [
            `La facture ${f.number} de ${f.customerName}, ${amount}, attend votre approbation${forWhom} chez ${f.companyName}.`,
            `Décidez avant le ${day(o.deadline)} : POST /v1/invoices/${o.invoiceId}/approve ou /reject.`,
          ].join('\n'),
        }
        : {
          subject: `Approval requested: invoice ${f.number}${forWhom}`,
          text: [
            `Invoice ${f.number} for ${f.customerName}, ${amount}, waits for your approval${forWhom} at ${f.companyName}.`,
            `Decide before ${day(o.deadline)}: POST /v1/invoices/${o.invoiceId}/approve or /reject.`,
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
          subject: `Rappel : la facture ${f.number} attend votre approbation`,
          text: [
            `La facture ${f.number} de ${f.customerName}, ${amount}, attend toujours votre décision.`,
            `Sans décision d'ici le ${day(o.deadline)}, elle est rejetée automatiquement.`,
          ].join('\n'),
        }
        : {
          subject: `Reminder: invoice ${f.number} still needs your approval`,
          text: [
            `Invoice ${f.number} for ${f.customerName}, ${amount}, still waits for your decision.`,
            `Without a decision by ${day(o.deadline)} it is rejected automatically.`,
          ].join('\n'),
        };
    },
    decided(o: { outcome: 'approved' | 'rejected'; timedOut: boolean; comment: string | null }): Notice {
      if (fr) {
        const verb = o.outcome === 'approved' ? 'approuvée' : 'rejetée';
        const why = o.timedOut ? 'aucune décision avant l\'échéance' : o.comment;
        return {
          subject: `La facture ${f.number} a été ${verb}`,
          text: [
            `La facture ${f.number} de ${f.customerName}, ${amount}, a été ${verb}${why ? ` : ${why}` : ''}.`,
            o.outcome === 'approved' ? 'Elle peut maintenant être envoyée.' : 'Modifiez-la et soumettez-la de nouveau pour approbation.',
          ].join('\n'),
        };
      }
      const why = o.timedOut ? 'no decision was made before the deadline' : o.comment;
      return {
        subject: `Invoice ${f.number} was ${o.outcome}`,
        text: [
          `Invoice ${f.number} for ${f.customerName}, ${amount}, was ${o.outcome}${why ? `: ${why}` : ''}.`,
          o.outcome === 'approved' ? 'It can be sent now.' : 'Edit it and submit it again for approval.',
        ].join('\n'),
      };
    },
  };
}
