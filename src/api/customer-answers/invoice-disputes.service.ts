import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DisputesRepository } from '../../db/disputes.repository';
import { Invoice } from '../../db/entities';
import { findOfCompany } from '../../db/owned';
import { webhookEvents } from '../../db/webhook-events';
import { DomainError } from '../../domain/errors';
import { MAX_ANSWER_TEXT } from '../../domain/answers';
import { audit } from '../audit/audit-trail';
import type { AuthUser } from '../auth/current-user.decorator';
import { orNotFound } from '../common/owned';
import { InvoiceView, toInvoiceView } from '../invoices/invoice.mapper';

/** The team's side of a customer's dispute: resolving it lets the invoice's reminders go on. */
@Injectable()
export class InvoiceDisputesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async resolve(user: AuthUser, id: string, resolution: string): Promise<InvoiceView> {
    const note = resolution.trim();
    if (!note) throw new DomainError(400, 'resolution must not be empty: say how the dispute was resolved');
    return this.dataSource.transaction(async (manager) => {
      const invoice = orNotFound(await findOfCompany(manager, Invoice, user.companyId, id, { lock: true }), 'invoice', id);
      const resolved = await new DisputesRepository(manager).resolve(user.companyId, id, user.id, note.slice(0, MAX_ANSWER_TEXT));
      if (!resolved) throw new DomainError(409, `invoice ${invoice.number} has no open dispute`);
      await webhookEvents.invoiceDisputeResolved(manager, {
        companyId: user.companyId, disputeId: resolved.id, invoiceId: id, invoiceNumber: resolved.invoiceNumber, resolution: note,
        resolvedBy: user.id, resolvedAt: resolved.resolvedAt,
      });
      await audit.record(manager, user, { type: 'invoice.dispute_resolved', targetId: id, data: { disputeId: resolved.id } });
      return toInvoiceView(orNotFound(await findOfCompany(manager, Invoice, user.companyId, id), 'invoice', id));
    });
  }
}
