import { Condition, CONDITION_FIELDS, RecordType } from './conditions';
import { SUPPORTED_LOCALES, SupportedLocale } from './locales';

/** The catalogue of workflow templates users build their reminders and approvals from. */

export { SUPPORTED_LOCALES };
export type Locale = SupportedLocale;

/** The catalogue locale for a company locale: any French locale reads the fr-CA texts, everything else en-US. */
export function catalogueLocale(locale: string): Locale {
  return locale.toLowerCase().startsWith('fr') ? 'fr-CA' : 'en-US';
}

export const TEMPLATE_KEYS = [
  'send-unsent-invoices', 'payment-received', 'payment-due-reminder', 'overdue-invoice-stamp',
  'invoice-approval', 'unsent-invoice-reminder', 'bill-payment-reminder', 'bank-deposit-reminder', 'collection-sequence',
  'bill-approval',
] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

export type Audience = 'customer' | 'team';
/** `schedule`: a daily sweep at `schedule.time`; `event`: started by the API call that records the event; `approval`: evaluated when its record is saved. */
export type TemplateTrigger = 'schedule' | 'event' | 'approval';
export const ACTION_TYPES = ['email', 'push', 'task', 'memo', 'stamp', 'approval', 'send'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

/** An action as written by a user or a template default: any part may be omitted. */
export type ActionInput = { type: ActionType } & Record<string, unknown>;

export type VariableType = 'text' | 'money' | 'date' | 'number';

export interface TemplateVariable {
  name: string;
  type: VariableType;
  description: string;
  example: string | number;
}

export interface DefaultMessage {
  subject: string;
  body: string;
}

export interface TemplateDefaults {
  name: string;
  conditions: Condition[];
  actions: ActionInput[];
  schedule: { time: string } | null;
  /** Subject and body that email, push and task actions take when they omit their own. */
  message: DefaultMessage;
  /** `collection-sequence`: the steps a definition that omits them takes. */
  steps?: Array<{ offsetDays: number } & DefaultMessage>;
}

export interface WorkflowTemplate {
  key: TemplateKey;
  audience: Audience;
  recordType: RecordType;
  trigger: TemplateTrigger;
  /** For `event` templates: the event that starts a run. */
  event?: 'payment.recorded';
  description: Record<Locale, string>;
  conditionFields: readonly string[];
  variables: readonly TemplateVariable[];
  actionTypes: readonly ActionType[];
  defaults: Record<Locale, TemplateDefaults>;
}

const v = (name: string, type: VariableType, description: string, example: string | number): TemplateVariable => ({ name, type, description, example });

const COMPANY = [v('companyName', 'text', 'Name of your company', 'Maple Supplies Inc.'), v('currency', 'text', 'Currency code of the company', 'CAD')];
const INVOICE_VARIABLES = [
  ...COMPANY,
  v('customerName', 'text', 'Name of the customer', 'Tremblay Construction'),
  v('customerEmail', 'text', 'Email address of the customer', 'billing@tremblay.example'),
  v('invoiceNumber', 'text', 'Invoice number', 'INV-1042'),
  v('amount', 'money', 'Total amount of the invoice (format with {{money amount}})', '1250.00'),
  v('balance', 'money', 'Amount still owed (format with {{money balance}})', '800.00'),
  v('issueDate', 'date', 'Issue date (format with {{date issueDate}})', '2026-11-02'),
  v('dueDate', 'date', 'Due date (format with {{date dueDate}})', '2026-12-02'),
  v('daysUntilDue', 'number', 'Days from today to the due date (negative when past due)', 3),
  v('daysOverdue', 'number', 'Days past the due date (0 when not yet due)', 0),
  v('locationName', 'text', 'Name of the invoice location, empty when none', 'Montréal'),
  v('memo', 'text', 'Memo of the invoice', ''),
  v('createdByName', 'text', 'Name of the user who created the invoice', 'Sam Roy'),
];
const APPROVAL_VARIABLES = [...INVOICE_VARIABLES, v('deadline', 'date', 'Day by which the approval must be decided', '2026-12-28')];
const BILL_VARIABLES = [
  ...COMPANY,
  v('vendorName', 'text', 'Name of the vendor', 'Hydro Services'),
  v('billNumber', 'text', 'Bill number, empty when none', 'B-77'),
  v('amount', 'money', 'Total amount of the bill', '430.00'),
  v('balance', 'money', 'Amount still to pay', '430.00'),
  v('dueDate', 'date', 'Due date', '2026-12-01'),
  v('daysUntilDue', 'number', 'Days from today to the due date (negative when past due)', 3),
  v('daysOverdue', 'number', 'Days past the due date (0 when not yet due)', 0),
  v('locationName', 'text', 'Name of the bill location, empty when none', ''),
];
const BILL_APPROVAL_VARIABLES = [
  ...BILL_VARIABLES,
  v('issueDate', 'date', 'Issue date, empty when none (format with {{date issueDate}})', '2026-11-20'),
  v('memo', 'text', 'Memo of the bill', ''),
  v('createdByName', 'text', 'Name of the user who recorded the bill', 'Sam Roy'),
  v('deadline', 'date', 'Day by which the approval must be decided', '2026-12-28'),
];
const PAYMENT_VARIABLES = [
  ...COMPANY,
  v('customerName', 'text', 'Name of the paying customer', 'Tremblay Construction'),
  v('customerEmail', 'text', 'Email address of the customer', 'billing@tremblay.example'),
  v('invoiceNumber', 'text', 'Number of the invoice paid', 'INV-1042'),
  v('paymentAmount', 'money', 'Amount received', '450.00'),
  v('receivedAt', 'date', 'Day the payment was received', '2026-11-27'),
  v('invoiceBalance', 'money', 'Balance of the invoice after this payment', '800.00'),
  v('paymentMethod', 'text', 'Payment method, empty when unknown', 'cheque'),
  v('daysSinceReceived', 'number', 'Days since the payment was received', 2),
];

const INVOICE_FIELDS = Object.keys(CONDITION_FIELDS.invoice);
const NONE: Condition[] = [];
const daily = { time: '09:00' };

function template(t: WorkflowTemplate): WorkflowTemplate {
  return t;
}

export const WORKFLOW_TEMPLATES: readonly WorkflowTemplate[] = [
  template({
    key: 'send-unsent-invoices',
    audience: 'customer',
    recordType: 'invoice',
    trigger: 'schedule',
    description: {
      'en-US': 'Sends invoices that have not been sent yet to their customer, and marks them sent.',
      'fr-CA': "Envoie à leur client les factures qui n'ont pas encore été envoyées, et les marque comme envoyées.",
    },
    conditionFields: INVOICE_FIELDS,
    variables: INVOICE_VARIABLES,
    actionTypes: ['send', 'email', 'push', 'task'],
    defaults: {
      'en-US': {
        name: 'Send unsent invoices',
        conditions: [{ field: 'sent', op: 'eq', value: false }, { field: 'approvalStatus', op: 'in', value: ['not_required', 'approved'] }],
        actions: [{ type: 'send' }],
        schedule: daily,
        message: {
          subject: 'Invoice {{invoiceNumber}} from {{companyName}}',
          body: 'Hello {{customerName}},\n\nHere is invoice {{invoiceNumber}} for {{money amount}}, due on {{date dueDate}}.\n\n'
            + 'Thank you for your business,\n{{companyName}}',
        },
      },
      'fr-CA': {
        name: 'Envoi des factures non envoyées',
        conditions: [{ field: 'sent', op: 'eq', value: false }, { field: 'approvalStatus', op: 'in', value: ['not_required', 'approved'] }],
        actions: [{ type: 'send' }],
        schedule: daily,
        message: {
          subject: 'Facture {{invoiceNumber}} de {{companyName}}',
          body: "Bonjour {{customerName}},\n\nVoici la facture {{invoiceNumber}} d'un montant de {{money amount}}, payable au plus tard le {{date dueDate}}.\n\n"
            + 'Merci de votre confiance,\n{{companyName}}',
        },
      },
    },
  }),
  template({
    key: 'payment-received',
    audience: 'customer',
    recordType: 'payment',
    trigger: 'event',
    event: 'payment.recorded',
    description: {
      'en-US': 'Emails the customer a thank-you note when a payment is recorded.',
      'fr-CA': "Envoie un courriel de remerciement au client lorsqu'un paiement est enregistré.",
    },
    conditionFields: ['amount', 'customerId', 'invoiceId'],
    variables: PAYMENT_VARIABLES,
    actionTypes: ['email', 'push', 'task'],
    defaults: {
      'en-US': {
        name: 'Thank customers for their payment',
        conditions: NONE,
        actions: [{ type: 'email', to: 'customer' }],
        schedule: null,
        message: {
          subject: 'Payment received - thank you',
          body: 'Hello {{customerName}},\n\nWe received your payment of {{money paymentAmount}} on {{date receivedAt}} for invoice {{invoiceNumber}}. '
            + 'Remaining balance: {{money invoiceBalance}}.\n\nThank you!\n{{companyName}}',
        },
      },
      'fr-CA': {
        name: 'Remerciement pour un paiement reçu',
        conditions: NONE,
        actions: [{ type: 'email', to: 'customer' }],
        schedule: null,
        message: {
          subject: 'Paiement reçu - merci',
          body: 'Bonjour {{customerName}},\n\nNous avons bien reçu votre paiement de {{money paymentAmount}} le {{date receivedAt}} pour la facture {{invoiceNumber}}. '
            + 'Solde restant : {{money invoiceBalance}}.\n\nMerci !\n{{companyName}}',
        },
      },
    },
  }),
  template({
    key: 'payment-due-reminder',
    audience: 'customer',
    recordType: 'invoice',
    trigger: 'schedule',
    description: {
      'en-US': 'Emails the customer before an invoice falls due.',
      'fr-CA': "Envoie un rappel au client avant l'échéance d'une facture.",
    },
    conditionFields: INVOICE_FIELDS,
    variables: INVOICE_VARIABLES,
    actionTypes: ['email', 'push', 'task', 'memo', 'stamp'],
    defaults: {
      'en-US': {
        name: 'Payment due reminder',
        conditions: [{ field: 'balance', op: 'gt', value: '0.00' }, { field: 'dueDate', op: 'within_days', value: 3 }],
        actions: [{ type: 'email', to: 'customer' }],
        schedule: daily,
        message: {
          subject: 'Reminder: invoice {{invoiceNumber}} is due on {{date dueDate}}',
          body: 'Hello {{customerName}},\n\nThis is a friendly reminder that invoice {{invoiceNumber}} has a balance of {{money balance}} due on {{date dueDate}}.\n\n'
            + 'If you have already paid, please disregard this message.\n\nThank you,\n{{companyName}}',
        },
      },
      'fr-CA': {
        name: "Rappel d'échéance de paiement",
        conditions: [{ field: 'balance', op: 'gt', value: '0.00' }, { field: 'dueDate', op: 'within_days', value: 3 }],
        actions: [{ type: 'email', to: 'customer' }],
        schedule: daily,
        message: {
          subject: 'Rappel : la facture {{invoiceNumber}} arrive à échéance le {{date dueDate}}',
          body: 'Bonjour {{customerName}},\n\nNous vous rappelons que la facture {{invoiceNumber}} présente un solde de {{money balance}} '
            + 'payable au plus tard le {{date dueDate}}.\n\nSi vous avez déjà effectué le paiement, veuillez ne pas tenir compte de ce message.\n\n'
            + 'Merci,\n{{companyName}}',
        },
      },
    },
  }),
  template({
    key: 'overdue-invoice-stamp',
    audience: 'customer',
    recordType: 'invoice',
    trigger: 'schedule',
    description: {
      'en-US': 'Stamps overdue invoices and updates their message to the customer.',
      'fr-CA': 'Appose une estampille sur les factures en retard et met à jour leur message au client.',
    },
    conditionFields: INVOICE_FIELDS,
    variables: INVOICE_VARIABLES,
    actionTypes: ['stamp', 'memo', 'email', 'push', 'task'],
    defaults: {
      'en-US': {
        name: 'Stamp overdue invoices',
        conditions: [{ field: 'balance', op: 'gt', value: '0.00' }, { field: 'dueDate', op: 'overdue_by_days', value: 1 }],
        actions: [
          { type: 'stamp', text: 'OVERDUE' },
          { type: 'memo', text: 'Payment overdue since {{date dueDate}}. Please pay the balance of {{money balance}} as soon as possible.' },
        ],
        schedule: daily,
        message: {
          subject: 'Invoice {{invoiceNumber}} is overdue',
          body: 'Hello {{customerName}},\n\nInvoice {{invoiceNumber}} was due on {{date dueDate}} and still has a balance of {{money balance}}. '
            + 'Please send your payment at your earliest convenience.\n\nThank you,\n{{companyName}}',
        },
      },
      'fr-CA': {
        name: 'Estampiller les factures en retard',
        conditions: [{ field: 'balance', op: 'gt', value: '0.00' }, { field: 'dueDate', op: 'overdue_by_days', value: 1 }],
        actions: [
          { type: 'stamp', text: 'EN RETARD' },
          { type: 'memo', text: 'Paiement en retard depuis le {{date dueDate}}. Veuillez régler le solde de {{money balance}} dans les plus brefs délais.' },
        ],
        schedule: daily,
        message: {
          subject: 'La facture {{invoiceNumber}} est en retard',
          body: 'Bonjour {{customerName}},\n\nLa facture {{invoiceNumber}} était payable le {{date dueDate}} et présente toujours un solde de {{money balance}}. '
            + 'Merci de nous faire parvenir votre paiement dans les meilleurs délais.\n\nCordialement,\n{{companyName}}',
        },
      },
    },
  }),
  template({
    key: 'invoice-approval',
    audience: 'team',
    recordType: 'invoice',
    trigger: 'approval',
    description: {
      'en-US': 'Requires approval of matching invoices created by non-admin users before they can be sent.',
      'fr-CA': "Exige l'approbation des factures correspondantes créées par des utilisateurs non administrateurs avant leur envoi.",
    },
    conditionFields: ['amount', 'balance', 'customerId', 'customerGroup', 'locationId', 'dueDate', 'issueDate', 'number', 'createdBy'],
    variables: APPROVAL_VARIABLES,
    actionTypes: ['approval', 'email', 'push'],
    defaults: {
      'en-US': {
        name: 'Approve large invoices',
        conditions: [{ field: 'amount', op: 'gt', value: '1000.00' }],
        actions: [{ type: 'approval', steps: [{ approverIds: [] }], timeoutDays: 30, allowAdmins: false, notify: { userIds: [] } }],
        schedule: null,
        message: {
          subject: 'Approval needed: invoice {{invoiceNumber}} for {{customerName}}',
          body: '{{createdByName}} submitted invoice {{invoiceNumber}} for {{customerName}} ({{money amount}}, due on {{date dueDate}}) for approval.\n\n'
            + 'Please approve or reject it before {{date deadline}}.',
        },
      },
      'fr-CA': {
        name: 'Approbation des factures importantes',
        conditions: [{ field: 'amount', op: 'gt', value: '1000.00' }],
        actions: [{ type: 'approval', steps: [{ approverIds: [] }], timeoutDays: 30, allowAdmins: false, notify: { userIds: [] } }],
        schedule: null,
        message: {
          subject: 'Approbation requise : facture {{invoiceNumber}} pour {{customerName}}',
          body: '{{createdByName}} a soumis la facture {{invoiceNumber}} pour {{customerName}} ({{money amount}}, échéance le {{date dueDate}}) à votre approbation.\n\n'
            + "Veuillez l'approuver ou la refuser avant le {{date deadline}}.",
        },
      },
    },
  }),
  template({
    key: 'unsent-invoice-reminder',
    audience: 'team',
    recordType: 'invoice',
    trigger: 'schedule',
    description: {
      'en-US': 'Reminds the team to send invoices that have not been sent yet.',
      'fr-CA': "Rappelle à l'équipe d'envoyer les factures qui ne l'ont pas encore été.",
    },
    conditionFields: INVOICE_FIELDS,
    variables: INVOICE_VARIABLES,
    actionTypes: ['email', 'push', 'task'],
    defaults: {
      'en-US': {
        name: 'Remind the team of unsent invoices',
        conditions: [{ field: 'sent', op: 'eq', value: false }, { field: 'issueDate', op: 'older_than_days', value: 1 }],
        actions: [{ type: 'email', to: { userIds: [] } }],
        schedule: daily,
        message: {
          subject: 'Invoice {{invoiceNumber}} has not been sent yet',
          body: 'Invoice {{invoiceNumber}} for {{customerName}} ({{money amount}}, due on {{date dueDate}}) was issued on {{date issueDate}} '
            + 'but has not been sent to the customer yet.',
        },
      },
      'fr-CA': {
        name: 'Rappel des factures non envoyées',
        conditions: [{ field: 'sent', op: 'eq', value: false }, { field: 'issueDate', op: 'older_than_days', value: 1 }],
        actions: [{ type: 'email', to: { userIds: [] } }],
        schedule: daily,
        message: {
          subject: "La facture {{invoiceNumber}} n'a pas encore été envoyée",
          body: 'La facture {{invoiceNumber}} de {{customerName}} ({{money amount}}, échéance le {{date dueDate}}) a été émise le {{date issueDate}} '
            + "mais n'a pas encore été envoyée au client.",
        },
      },
    },
  }),
  template({
    key: 'bill-payment-reminder',
    audience: 'team',
    recordType: 'bill',
    trigger: 'schedule',
    description: {
      'en-US': 'Reminds the team when a vendor bill falls due.',
      'fr-CA': "Rappelle à l'équipe qu'une facture fournisseur arrive à échéance.",
    },
    conditionFields: Object.keys(CONDITION_FIELDS.bill),
    variables: BILL_VARIABLES,
    actionTypes: ['email', 'push', 'task'],
    defaults: {
      'en-US': {
        name: 'Bill payment reminder',
        conditions: [{ field: 'balance', op: 'gt', value: '0.00' }, { field: 'dueDate', op: 'within_days', value: 3 }],
        actions: [{ type: 'email', to: { userIds: [] } }],
        schedule: daily,
        message: {
          subject: 'Bill from {{vendorName}} due on {{date dueDate}}',
          body: 'The bill from {{vendorName}}{{#if billNumber}} ({{billNumber}}){{/if}} has a balance of {{money balance}} due on {{date dueDate}}. '
            + 'Remember to pay it on time.',
        },
      },
      'fr-CA': {
        name: 'Rappel de paiement des factures fournisseurs',
        conditions: [{ field: 'balance', op: 'gt', value: '0.00' }, { field: 'dueDate', op: 'within_days', value: 3 }],
        actions: [{ type: 'email', to: { userIds: [] } }],
        schedule: daily,
        message: {
          subject: 'Facture de {{vendorName}} à payer d\'ici le {{date dueDate}}',
          body: 'La facture de {{vendorName}}{{#if billNumber}} ({{billNumber}}){{/if}} présente un solde de {{money balance}} à payer d\'ici le {{date dueDate}}. '
            + 'Pensez à la régler à temps.',
        },
      },
    },
  }),
  template({
    key: 'bank-deposit-reminder',
    audience: 'team',
    recordType: 'payment',
    trigger: 'schedule',
    description: {
      'en-US': 'Reminds the team to record bank deposits for payments received (undeposited funds).',
      'fr-CA': 'Rappelle à l\'équipe d\'enregistrer les dépôts bancaires des paiements reçus (fonds non déposés).',
    },
    conditionFields: Object.keys(CONDITION_FIELDS.payment),
    variables: PAYMENT_VARIABLES,
    actionTypes: ['email', 'push', 'task'],
    defaults: {
      'en-US': {
        name: 'Bank deposit reminder',
        conditions: [{ field: 'deposited', op: 'eq', value: false }, { field: 'receivedAt', op: 'older_than_days', value: 2 }],
        actions: [{ type: 'email', to: { userIds: [] } }],
        schedule: daily,
        message: {
          subject: 'Payment from {{customerName}} not deposited yet',
          body: 'A payment of {{money paymentAmount}} from {{customerName}} received on {{date receivedAt}} (invoice {{invoiceNumber}}) '
            + 'has not been recorded in a bank deposit yet.',
        },
      },
      'fr-CA': {
        name: 'Rappel de dépôt bancaire',
        conditions: [{ field: 'deposited', op: 'eq', value: false }, { field: 'receivedAt', op: 'older_than_days', value: 2 }],
        actions: [{ type: 'email', to: { userIds: [] } }],
        schedule: daily,
        message: {
          subject: "Paiement de {{customerName}} pas encore déposé",
          body: 'Le paiement de {{money paymentAmount}} de {{customerName}} reçu le {{date receivedAt}} (facture {{invoiceNumber}}) '
            + "n'a pas encore été inscrit dans un dépôt bancaire.",
        },
      },
    },
  }),
  template({
    key: 'collection-sequence',
    audience: 'customer',
    recordType: 'invoice',
    trigger: 'schedule',
    description: {
      'en-US': 'A dunning sequence: emails the customer at set days before and after the due date, each step once, until the invoice is paid.',
      'fr-CA': "Une séquence de relance : écrit au client à des jours fixés avant et après l'échéance, chaque étape une fois, jusqu'au paiement.",
    },
    conditionFields: INVOICE_FIELDS,
    variables: INVOICE_VARIABLES,
    actionTypes: [],
    defaults: {
      'en-US': {
        name: 'Collection sequence',
        conditions: NONE,
        actions: [],
        schedule: daily,
        message: {
          subject: 'Invoice {{invoiceNumber}}: {{money balance}} due on {{date dueDate}}',
          body: 'Hello {{customerName}},\n\nInvoice {{invoiceNumber}} has a balance of {{money balance}} due on {{date dueDate}}.\n\nThank you,\n{{companyName}}',
        },
        steps: [
          {
            offsetDays: -3, subject: 'Invoice {{invoiceNumber}} is due on {{date dueDate}}',
            body: 'Hello {{customerName}},\n\nA friendly reminder that invoice {{invoiceNumber}} ({{money balance}}) is due on {{date dueDate}}.\n\nThank you,\n{{companyName}}',
          },
          {
            offsetDays: 1, subject: 'Invoice {{invoiceNumber}} is now past due',
            body: 'Hello {{customerName}},\n\nInvoice {{invoiceNumber}} was due on {{date dueDate}} and still has a balance of {{money balance}}. '
              + 'If you have already paid, please disregard this message.\n\nThank you,\n{{companyName}}',
          },
          {
            offsetDays: 7, subject: 'Second notice: invoice {{invoiceNumber}} is {{daysOverdue}} days overdue',
            body: 'Hello {{customerName}},\n\nInvoice {{invoiceNumber}} is {{daysOverdue}} days overdue; {{money balance}} remains unpaid. '
              + 'Please send your payment as soon as possible.\n\n{{companyName}}',
          },
        ],
      },
      'fr-CA': {
        name: 'Séquence de relance',
        conditions: NONE,
        actions: [],
        schedule: daily,
        message: {
          subject: 'Facture {{invoiceNumber}} : {{money balance}} payable le {{date dueDate}}',
          body: 'Bonjour {{customerName}},\n\nLa facture {{invoiceNumber}} présente un solde de {{money balance}} payable le {{date dueDate}}.\n\nMerci,\n{{companyName}}',
        },
        steps: [
          {
            offsetDays: -3, subject: 'La facture {{invoiceNumber}} arrive à échéance le {{date dueDate}}',
            body: 'Bonjour {{customerName}},\n\nNous vous rappelons que la facture {{invoiceNumber}} ({{money balance}}) est payable le {{date dueDate}}.\n\nMerci,\n{{companyName}}',
          },
          {
            offsetDays: 1, subject: 'La facture {{invoiceNumber}} est échue',
            body: 'Bonjour {{customerName}},\n\nLa facture {{invoiceNumber}} était payable le {{date dueDate}} et présente toujours un solde de {{money balance}}. '
              + 'Si vous avez déjà payé, veuillez ne pas tenir compte de ce message.\n\nMerci,\n{{companyName}}',
          },
          {
            offsetDays: 7, subject: 'Deuxième avis : la facture {{invoiceNumber}} est en retard de {{daysOverdue}} jours',
            body: 'Bonjour {{customerName}},\n\nLa facture {{invoiceNumber}} est en retard de {{daysOverdue}} jours ; {{money balance}} reste impayé. '
              + 'Merci de nous faire parvenir votre paiement dans les meilleurs délais.\n\n{{companyName}}',
          },
        ],
      },
    },
  }),
  template({
    key: 'bill-approval',
    audience: 'team',
    recordType: 'bill',
    trigger: 'approval',
    description: {
      'en-US': 'Requires approval of matching vendor bills recorded by non-admin users before they can be paid.',
      'fr-CA': "Exige l'approbation des factures fournisseurs correspondantes saisies par des utilisateurs non administrateurs avant leur paiement.",
    },
    conditionFields: ['amount', 'balance', 'vendorId', 'locationId', 'dueDate'],
    variables: BILL_APPROVAL_VARIABLES,
    actionTypes: ['approval', 'email', 'push'],
    defaults: {
      'en-US': {
        name: 'Multi-condition bill approval',
        conditions: [{ field: 'amount', op: 'gt', value: '1000.00' }],
        actions: [{ type: 'approval', steps: [{ approverIds: [] }], timeoutDays: 30, allowAdmins: false, notify: { userIds: [] } }],
        schedule: null,
        message: {
          subject: 'Approval needed: bill {{billNumber}} from {{vendorName}}',
          body: '{{createdByName}} submitted the bill {{billNumber}} from {{vendorName}} ({{money amount}}, due on {{date dueDate}}) for approval.\n\n'
            + 'Please approve or reject it before {{date deadline}}.',
        },
      },
      'fr-CA': {
        name: 'Approbation multi-conditionnelle de facture à payer',
        conditions: [{ field: 'amount', op: 'gt', value: '1000.00' }],
        actions: [{ type: 'approval', steps: [{ approverIds: [] }], timeoutDays: 30, allowAdmins: false, notify: { userIds: [] } }],
        schedule: null,
        message: {
          subject: 'Approbation requise : facture à payer {{billNumber}} de {{vendorName}}',
          body: '{{createdByName}} a soumis la facture à payer {{billNumber}} de {{vendorName}} ({{money amount}}, échéance le {{date dueDate}}) à votre approbation.\n\n'
            + "Veuillez l'approuver ou la refuser avant le {{date deadline}}.",
        },
      },
    },
  }),
];

const BY_KEY = new Map<string, WorkflowTemplate>(WORKFLOW_TEMPLATES.map((t) => [t.key, t]));

/** The templates whose definitions ask for approval of their record when it is saved (invoice-approval, bill-approval). */
export const APPROVAL_TEMPLATE_KEYS: readonly TemplateKey[] = WORKFLOW_TEMPLATES.filter((t) => t.trigger === 'approval').map((t) => t.key);

/** The template of that key, or undefined. */
export function findTemplate(key: string): WorkflowTemplate | undefined {
  return BY_KEY.get(key);
}

/** Names of the variables a template's messages may use. */
export function templateVariableNames(template: WorkflowTemplate): string[] {
  return template.variables.map((variable) => variable.name);
}
