import { defineMessages } from '../../i18n';

/** An invoice's approval status in words, the same on the list's filter and on the invoice's page. */
export const approvalWords = defineMessages({
  'en-US': {
    approvalStatus: 'Approval status',
    approval_required: 'Approval required',
    pending_approval: 'Pending approval',
    approved: 'Approved',
    rejected: 'Rejected',
    not_required: 'Not required',
  },
  'fr-CA': {
    approvalStatus: "État d'approbation",
    approval_required: 'Approbation requise',
    pending_approval: 'Approbation en attente',
    approved: 'Approuvée',
    rejected: 'Approbation refusée',
    not_required: 'Non requise',
  },
});

export const APPROVAL_STATUSES = ['approval_required', 'pending_approval', 'approved', 'rejected', 'not_required'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export const STATUS_BADGE: Record<ApprovalStatus, string> = {
  approval_required: 'warn', pending_approval: 'warn', approved: 'ok', rejected: 'danger', not_required: '',
};
