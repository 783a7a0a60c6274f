import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Invoice } from '../../db/entities';
import { InvoicesRepository } from '../../db/invoices.repository';
import { todayIn } from '../../domain/dates';
import { DomainError } from '../../domain/errors';
import { AuthUser } from '../auth/current-user.decorator';
import { orNotFound } from '../common/owned';
import { PauseRemindersDto, ReminderPauseView } from './dto/reminder-pause.dto';

/** Pausing and resuming an invoice's customer reminders; sweeps read the same columns. */
@Injectable()
export class ReminderPausesService {
  private readonly invoices: InvoicesRepository;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.invoices = new InvoicesRepository(dataSource);
  }

  async pause(user: AuthUser, id: string, dto: PauseRemindersDto): Promise<ReminderPauseView> {
    const today = todayIn(user.company.timezone, new Date());
    if (dto.until !== undefined && dto.until <= today) {
      throw new DomainError(400, `until (${dto.until}) must be after today (${today} in ${user.company.timezone}); omit it to pause until resumed`);
    }
    const invoice = orNotFound(await this.invoices.pauseReminders(user.companyId, id, dto.until ?? null, dto.reason.trim()), 'invoice', id);
    return toPauseView(invoice, today);
  }

  async resume(user: AuthUser, id: string): Promise<ReminderPauseView> {
    const invoice = orNotFound(await this.invoices.resumeReminders(user.companyId, id), 'invoice', id);
    return toPauseView(invoice, todayIn(user.company.timezone, new Date()));
  }

  async get(user: AuthUser, id: string): Promise<ReminderPauseView> {
    const invoice = orNotFound(await this.invoices.findOwnedInvoice(user.companyId, id), 'invoice', id);
    return toPauseView(invoice, todayIn(user.company.timezone, new Date()));
  }
}

function toPauseView(i: Invoice, today: string): ReminderPauseView {
  const paused = i.remindersPausedAt !== null && (i.remindersPausedUntil === null || i.remindersPausedUntil > today);
  return {
    invoiceId: i.id, paused, pausedAt: i.remindersPausedAt ? i.remindersPausedAt.toISOString() : null,
    until: i.remindersPausedUntil, reason: i.remindersPauseReason,
  };
}
