import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, type Schemas } from '../../api/client';
import { defineMessages, fill, useFormat, useMessages } from '../../i18n';
import { Link } from '../../router';
import { useSignedIn } from '../../session';
import { Button, Page, Status, TableRegion } from '../../ui';
import { STATUS_BADGE, approvalWords } from './approval-words';
import { useCustomerNames } from './customers';

const messages = defineMessages({
  'en-US': {
    title: 'Invoice {number}',
    back: 'All invoices',
    details: 'Details',
    customer: 'Customer',
    issued: 'Issued',
    due: 'Due',
    amount: 'Amount',
    balance: 'Balance',
    sent: 'Sent',
    notSent: 'Not sent',
    memo: 'Memo',
    stamp: 'Stamp',
    pdf: 'Download the PDF',
    submit: 'Submit for approval',
    submitted: 'Submitted for approval.',
    submittedBy: 'Submitted by {name} on {when}',
    deadline: 'Decide before {when}',
    steps: 'Steps',
    step: 'Step {step}',
    stepColumn: 'Step',
    approvers: 'Approvers: {names}',
    quorum: '{approvals} of {required} approvals',
    eligible: 'May decide now: {names}',
    forWhom: '{name} (for {other})',
    escalation: 'Escalates to {name} after {days} days',
    escalated: '{name} joined the approvers',
    trail: 'Decisions',
    noDecision: 'No decision yet.',
    who: 'Who',
    when: 'When',
    decision: 'Decision',
    note: 'Comment or reason',
    onBehalf: '{name}, for {other}',
    byTimeout: 'No one (timeout)',
    viaEmail: '(by email)',
    step_waiting: 'Waiting',
    step_pending: 'Pending',
    step_approved: 'Approved',
    step_rejected: 'Rejected',
    step_timeout: 'Timed out',
    step_cancelled: 'Cancelled',
    decision_approved: 'Approved',
    decision_rejected: 'Rejected',
    decision_timeout: 'Timed out',
    decision_cancelled: 'Cancelled',
    decision_escalated: 'Escalated',
    decision_seat_lost: 'No longer an approver',
  },
  'fr-CA': {
    title: 'Facture {number}',
    back: 'Toutes les factures',
    details: 'Détails',
    customer: 'Client',
    issued: 'Émise',
    due: 'Échéance',
    amount: 'Montant',
    balance: 'Solde',
    sent: 'Envoyée',
    notSent: 'Non envoyée',
    memo: 'Note',
    stamp: 'Estampille',
    pdf: 'Télécharger le PDF',
    submit: 'Envoyer pour approbation',
    submitted: 'Envoyée pour approbation.',
    submittedBy: 'Envoyée par {name} le {when}',
    deadline: 'Décider avant le {when}',
    steps: 'Étapes',
    step: 'Étape {step}',
    stepColumn: 'Étape',
    approvers: 'Approbateurs : {names}',
    quorum: '{approvals} approbation(s) sur {required}',
    eligible: 'Peuvent décider maintenant : {names}',
    forWhom: '{name} (pour {other})',
    escalation: 'Escalade à {name} après {days} jours',
    escalated: "{name} s'est joint aux approbateurs",
    trail: 'Décisions',
    noDecision: 'Aucune décision pour le moment.',
    who: 'Qui',
    when: 'Quand',
    decision: 'Décision',
    note: 'Commentaire ou raison',
    onBehalf: '{name}, pour {other}',
    byTimeout: 'Personne (délai expiré)',
    viaEmail: '(par courriel)',
    step_waiting: 'En attente',
    step_pending: 'En cours',
    step_approved: 'Approuvée',
    step_rejected: 'Refusée',
    step_timeout: 'Délai expiré',
    step_cancelled: 'Annulée',
    decision_approved: 'Approuvée',
    decision_rejected: 'Refusée',
    decision_timeout: 'Délai expiré',
    decision_cancelled: 'Annulée',
    decision_escalated: 'Escaladée',
    decision_seat_lost: 'N\'est plus approbateur',
  },
});

type Words = (typeof messages)['en-US'];

/** One invoice: its details, its PDF, where its approval stands (steps, who may decide, every decision), and the submit. */
export function InvoiceDetail({ id }: Record<string, string>) {
  const words = useMessages(messages);
  const statusWords = useMessages(approvalWords);
  const format = useFormat();
  const { user } = useSignedIn();
  const [invoice, setInvoice] = useState<Schemas['Invoice'] | null>(null);
  const [approval, setApproval] = useState<Schemas['ApprovalView'] | null>(null);
  const [error, setError] = useState<string>();
  const [actionError, setActionError] = useState<string>();
  const [announce, setAnnounce] = useState('');
  const [busy, setBusy] = useState(false);
  const names = useCustomerNames(invoice ? [invoice.customerId] : []);

  const load = async () => {
    const [found, view] = await Promise.all([
      api.GET('/v1/invoices/{id}', { params: { path: { id } } }),
      api.GET('/v1/invoices/{id}/approval', { params: { path: { id } } }),
    ]);
    if (!found.data) {
      setError(errorMessage(found.error));
      return;
    }
    setInvoice(found.data);
    setApproval(view.data ?? null);
  };
  useEffect(() => { void load(); }, [id]);

  const submit = async () => {
    setBusy(true);
    setActionError(undefined);
    const { data, error: refused } = await api.POST('/v1/invoices/{id}/submit-for-approval', { params: { path: { id } } });
    setBusy(false);
    if (!data) {
      setActionError(errorMessage(refused));
      return;
    }
    setApproval(data);
    setAnnounce(words.submitted);
    void load();
  };

  // The PDF route needs the session's X-CSRF-Token header like every /v1 request, which a plain link cannot send.
  const downloadPdf = async () => {
    setActionError(undefined);
    const { data, error: refused } = await api.GET('/v1/invoices/{id}/pdf', { params: { path: { id } }, parseAs: 'blob' });
    if (!data) {
      setActionError(errorMessage(refused));
      return;
    }
    const url = URL.createObjectURL(data as Blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `${invoice?.number ?? id}.pdf`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };

  if (!invoice) {
    return <Page title={fill(words.title, { number: '' })}><Status loading={!error} error={error} /></Page>;
  }
  const status = approval?.status ?? invoice.approvalStatus;
  const maySubmit = invoice.createdBy === user.id && (status === 'approval_required' || status === 'rejected');
  return (
    <Page title={fill(words.title, { number: invoice.number })} actions={<Button onClick={() => void downloadPdf()}>{words.pdf}</Button>}>
      <p><Link to="/invoices">{words.back}</Link></p>
      <p role="status" class={announce ? 'notice' : 'visually-hidden'}>{announce}</p>
      {actionError && <p class="notice error" role="alert">{actionError}</p>}
      <h2>{words.details}</h2>
      <dl class="details">
        <dt>{words.customer}</dt><dd>{names.get(invoice.customerId) ?? ''}</dd>
        <dt>{words.issued}</dt><dd>{format.day(invoice.issueDate)}</dd>
        <dt>{words.due}</dt><dd>{format.day(invoice.dueDate)}</dd>
        <dt>{words.amount}</dt><dd>{format.money(invoice.amount)}</dd>
        <dt>{words.balance}</dt><dd>{format.money(invoice.balance)}</dd>
        <dt>{words.sent}</dt><dd>{invoice.sentAt ? format.instant(invoice.sentAt) : words.notSent}</dd>
        {invoice.stamp && <><dt>{words.stamp}</dt><dd>{invoice.stamp}</dd></>}
        {invoice.memo && <><dt>{words.memo}</dt><dd class="pre-line">{invoice.memo}</dd></>}
      </dl>
      <h2>{statusWords.approvalStatus}</h2>
      <p><span class={`badge ${STATUS_BADGE[status]}`}>{statusWords[status]}</span></p>
      {approval?.submittedBy && approval.submittedAt && (
        <p>{fill(words.submittedBy, { name: approval.submittedBy.name, when: format.instant(approval.submittedAt) })}</p>
      )}
      {approval?.deadline && status === 'pending_approval' && <p>{fill(words.deadline, { when: format.instant(approval.deadline) })}</p>}
      {maySubmit && (
        <p><Button variant="primary" disabled={busy} onClick={() => void submit()}>{words.submit}</Button></p>
      )}
      {approval && approval.steps.length > 0 && <Steps steps={approval.steps} words={words} />}
      {approval && <Trail decisions={approval.decisions} words={words} />}
    </Page>
  );
}

function Steps({ steps, words }: { steps: Schemas['ApprovalStep'][]; words: Words }) {
  const person = (p: { name: string; onBehalfOf?: { name: string } | null }) => (p.onBehalfOf ? fill(words.forWhom, { name: p.name, other: p.onBehalfOf.name }) : p.name);
  return (
    <>
      <h3>{words.steps}</h3>
      <ol class="cards">
        {steps.map((step) => (
          <li key={step.step} class="card">
            <p class="meta">
              <strong>{fill(words.step, { step: step.step })}</strong>
              <span>{words[`step_${step.status}`]}</span>
              <span>{fill(words.quorum, { approvals: step.approvals, required: step.required })}</span>
            </p>
            <p>{fill(words.approvers, { names: step.approvers.map((a) => a.name).join(', ') })}</p>
            {step.eligible.length > 0 && <p>{fill(words.eligible, { names: step.eligible.map(person).join(', ') })}</p>}
            {step.escalateTo && step.escalateAfterDays !== null && (
              <p>{step.escalated ? fill(words.escalated, { name: step.escalateTo.name }) : fill(words.escalation, { name: step.escalateTo.name, days: step.escalateAfterDays })}</p>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}

function Trail({ decisions, words }: { decisions: Schemas['ApprovalDecision'][]; words: Words }) {
  const format = useFormat();
  if (!decisions.length) return <><h3>{words.trail}</h3><p>{words.noDecision}</p></>;
  return (
    <>
      <h3>{words.trail}</h3>
      <TableRegion label={words.trail}>
        <table>
          <thead>
            <tr>
              <th scope="col">{words.when}</th>
              <th scope="col">{words.stepColumn}</th>
              <th scope="col">{words.decision}</th>
              <th scope="col">{words.who}</th>
              <th scope="col">{words.note}</th>
            </tr>
          </thead>
          <tbody>
            {decisions.map((d, index) => (
              <tr key={index}>
                <td>{format.instant(d.decidedAt)}</td>
                <td>{d.step}</td>
                <td>{words[`decision_${d.decision}`]}</td>
                <td>
                  {d.by ? (d.onBehalfOf ? fill(words.onBehalf, { name: d.by.name, other: d.onBehalfOf.name }) : d.by.name) : words.byTimeout}
                  {d.via === 'email' && ` ${words.viaEmail}`}
                </td>
                <td class="pre-line">{d.comment ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
    </>
  );
}
