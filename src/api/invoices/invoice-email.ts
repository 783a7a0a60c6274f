/** What the customer receives when an invoice is sent (POST /v1/invoices/:id/send). */
export interface InvoiceEmailInput {
  locale: string;
  currency: string;
  companyName: string;
  customerName: string;
  number: string;
  amount: string;
  balance: string;
  dueDate: string;
  memo: string;
}

const texts = {
  en: {
    subject: (i: InvoiceEmailInput) => `Invoice ${i.number} from ${i.companyName}`,
    greeting: (name: string) => `Hello ${name},`,
    body: (n: string, amount: string, balance: string, due: string) =>
      `Here is invoice ${n} for ${amount}. The balance of ${balance} is due on ${due}.`,
    thanks: 'Thank you,',
  },
  fr: {
    subject: (i: InvoiceEmailInput) => `Facture ${i.number} de ${i.companyName}`,
    greeting: (name: string) => `Bonjour ${name},`,
    body: (n: string, amount: string, balance: string, due: string) =>
      `Voici la facture ${n} d'un montant de ${amount}. Le solde de ${balance} est dû le ${due}.`,
    thanks: 'Merci,',
  },
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Money stays a decimal string: Intl formats the string itself, never a float conversion of it. */
function formatMoney(amount: string, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount as unknown as number);
}

function formatDay(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

export function renderInvoiceEmail(i: InvoiceEmailInput): { subject: string; text: string; html: string } {
  const t = i.locale.startsWith('fr') ? texts.fr : texts.en;
  const amount = formatMoney(i.amount, i.currency, i.locale);
  const balance = formatMoney(i.balance, i.currency, i.locale);
  const due = formatDay(i.dueDate, i.locale);
  const lines = [t.greeting(i.customerName), '', t.body(i.number, amount, balance, due), ...(i.memo ? ['', i.memo] : []), '', t.thanks, i.companyName];
  const html = lines.map((l) => (l ? `<p>${escapeHtml(l)}</p>` : '')).filter(Boolean).join('\n');
  return { subject: t.subject(i), text: lines.join('\n'), html };
}
