import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { CustomerAnswersRepository } from '../../db/customer-answers.repository';
import { DisputesRepository } from '../../db/disputes.repository';
import { recordPromise } from '../../db/promises';
import { ResponseLinksRepository, type ResponseLinkPage } from '../../db/response-links.repository';
import { webhookEvents } from '../../db/webhook-events';
import {
  type Answer, type AnswerRefusal, canPromise, latestPromiseDay, linkState, parseAnswer, promiseGraceUntil, SAID_PAID_PAUSE_DAYS, SAID_PAID_REASON,
} from '../../domain/answers';
import { addDays, todayIn } from '../../domain/dates';
import { formatDate } from '../../domain/messages';
import { RATE_LIMITS, type RateLimits } from '../../infra/rate-limits';
import { audit, type AuditActor } from '../audit/audit-trail';
import { answerTexts, describeInvoice, fill, formatDay, renderAnswerPage } from './answer-page';
import type { RenderedPage } from '../common/token-page';


/** What the page's forms post (application/x-www-form-urlencoded). */
export type AnswerForm = Record<string, unknown>;

/** Refusals the invoice's state causes (409); the others are the form's (400). */
const CONFLICTS: ReadonlySet<AnswerRefusal> = new Set(['too_many_promises', 'disputed']);

/**
 * The page behind a reminder's answer link: the customer says the invoice is paid, disputes it, or promises a day. The
 * token in the path is the only credential (no login); a GET shows and changes nothing (mail scanners open every link);
 * each answer is judged and recorded in one transaction that holds the invoice's row, with the delivery the link came
 * with, in the audit trail (no actor: the link's holder, by client address) and among the invoice's messages.
 */
@Injectable()
export class CustomerAnswersService {
  private readonly links: ResponseLinksRepository;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RATE_LIMITS) private readonly limits: RateLimits,
  ) {
    this.links = new ResponseLinksRepository(dataSource);
  }

  async show(token: string, ip: string): Promise<RenderedPage> {
    const found = await this.lookup(token, ip);
    if ('html' in found) return found;
    return this.gone(found.page) ?? this.render(found.page, 200, {});
  }

  async answer(token: string, ip: string, form: AnswerForm): Promise<RenderedPage> {
    const found = await this.lookup(token, ip);
    if ('html' in found) return found;
    return this.dataSource.transaction(async (manager) => {
      const p = await new ResponseLinksRepository(manager).findPage(token, { lock: true });
      if (!p) return notFound();
      const gone = this.gone(p);
      if (gone) return gone;
      const ctx = { today: customerToday(p), promisesMade: p.invoice.promisesMade, disputed: p.invoice.disputedAt !== null };
      const parsed = parseAnswer(form, ctx);
      if ('refused' in parsed) {
        const { t } = answerTexts(localeOf(p));
        return this.render(p, CONFLICTS.has(parsed.refused) ? 409 : 400, { error: fill(t.refused[parsed.refused], { company: p.company.name }) });
      }
      const notice = await this.apply(manager, p, parsed.answer, { id: null, companyId: p.companyId, apiKeyId: null, clientAddress: ip }, ctx.today);
      const after = await new ResponseLinksRepository(manager).findPage(token);
      return this.render(after ?? p, 200, { thanks: notice });
    });
  }

  /** Records the answer and its effects; answers the thanks the page shows. */
  private async apply(manager: EntityManager, p: ResponseLinkPage, answer: Answer, actor: AuditActor, today: string): Promise<string> {
    const { t, locale } = answerTexts(localeOf(p));
    const answers = new CustomerAnswersRepository(manager);
    const base = { companyId: p.companyId, invoiceId: p.invoice.id, deliveryKey: p.deliveryKey };
    switch (answer.kind) {
      case 'already_paid': {
        const until = addDays(today, SAID_PAID_PAUSE_DAYS);
        const paused = await answers.pauseUnlessLonger(p.companyId, p.invoice.id, until, SAID_PAID_REASON);
        const task = await answers.openReconcileTask({
          companyId: p.companyId, invoiceId: p.invoice.id,
          title: `Reconcile invoice ${p.invoice.number}: ${p.customer.name} says it is paid`,
          description: answer.reference ? `Payment reference given: ${answer.reference}` : 'No payment reference given.',
          // One a day per invoice, however often the link is posted.
          idempotencyKey: `customer-said-paid|invoice:${p.invoice.id}|${today}`,
        });
        await answers.keepMessage({ ...base, kind: 'already_paid', subject: '', text: answer.reference ?? '' });
        await audit.record(manager, actor, {
          type: 'invoice.customer_said_paid', targetId: p.invoice.id,
          data: { deliveryKey: p.deliveryKey, reference: answer.reference !== null, pausedUntil: paused ? until : null, taskId: task.id },
        });
        return fill(t.thanksPaid, { company: p.company.name });
      }
      case 'dispute': {
        const dispute = await new DisputesRepository(manager).open({ ...base, reason: answer.reason });
        await answers.keepMessage({ ...base, kind: 'dispute', subject: '', text: answer.reason });
        await webhookEvents.invoiceDisputed(manager, {
          companyId: p.companyId, disputeId: dispute.id, invoiceId: p.invoice.id, invoiceNumber: p.invoice.number, customerId: p.customer.id,
          reason: answer.reason, openedAt: dispute.openedAt, deliveryKey: p.deliveryKey,
        });
        await audit.record(manager, actor, { type: 'invoice.disputed', targetId: p.invoice.id, data: { deliveryKey: p.deliveryKey, disputeId: dispute.id } });
        return fill(t.thanksDispute, { company: p.company.name });
      }
      case 'promise': {
        const graceUntil = promiseGraceUntil(answer.payOn);
        const promise = await recordPromise(manager, { ...base, payOn: answer.payOn });
        await answers.keepMessage({ ...base, kind: 'promise', subject: '', text: answer.payOn });
        await webhookEvents.invoicePromised(manager, {
          companyId: p.companyId, promiseId: promise.id, invoiceId: p.invoice.id, invoiceNumber: p.invoice.number, customerId: p.customer.id,
          payOn: answer.payOn, graceUntil, deliveryKey: p.deliveryKey,
        });
        await audit.record(manager, actor, {
          type: 'invoice.promised', targetId: p.invoice.id, data: { deliveryKey: p.deliveryKey, promiseId: promise.id, payOn: answer.payOn, graceUntil },
        });
        return fill(t.thanksPromise, { day: formatDay(graceUntil, locale) });
      }
    }
  }

  /**
   * Only unknown links count against the address (RELANCE_LINK_GUESS_RATE, across API processes), and only they are
   * refused past it: a link Relance issued is always answered.
   */
  private async lookup(token: string, ip: string): Promise<{ page: ResponseLinkPage } | RenderedPage> {
    const page = await this.links.findPage(token);
    if (page) return { page };
    const verdict = await this.limits.consume('link-guess', ip);
    if (!verdict.allowed) {
      return { status: 429, retryAfterSeconds: verdict.retryAfterSeconds, html: renderAnswerPage('en-US', '', { title: 'Relance', error: answerTexts('en-US').t.tooMany, notices: [] }) };
    }
    return notFound();
  }

  /** A link that no longer takes answers (410): expired, or its invoice paid. Shows nothing of the invoice once expired. */
  private gone(p: ResponseLinkPage): RenderedPage | null {
    const state = linkState({ expiresAt: p.expiresAt, balance: p.invoice.balance }, new Date());
    if (state === 'valid') return null;
    const { t } = answerTexts(localeOf(p));
    const message = state === 'paid' ? fill(t.paid, { number: p.invoice.number }) : t.expired;
    return { status: 410, html: renderAnswerPage(localeOf(p), p.company.name, { title: 'Relance', notices: [message] }) };
  }

  private render(p: ResponseLinkPage, status: number, o: { error?: string; thanks?: string }): RenderedPage {
    const locale = localeOf(p);
    const { t } = answerTexts(locale);
    const today = customerToday(p);
    const disputed = p.invoice.disputedAt !== null;
    const ctx = { today, promisesMade: p.invoice.promisesMade, disputed };
    const notices = [
      ...(o.thanks ? [o.thanks] : []),
      ...(disputed && !o.thanks ? [fill(t.disputeOpen, { when: formatDate(p.invoice.disputedAt, locale, p.customer.timezone ?? p.company.timezone), company: p.company.name })] : []),
      ...(p.invoice.promisedOn && !o.thanks ? [fill(t.promisedOn, { day: formatDay(p.invoice.promisedOn, locale) })] : []),
      ...(!disputed && !canPromise(ctx) ? [t.noMorePromises] : []),
    ];
    const html = renderAnswerPage(locale, p.company.name, {
      title: fill(t.title, { number: p.invoice.number }),
      error: o.error,
      notices,
      invoice: describeInvoice(p, locale),
      forms: { dispute: !disputed, promise: canPromise(ctx) ? { min: today, max: latestPromiseDay(today) } : null },
    });
    return { status, html };
  }
}

function notFound(): RenderedPage {
  const { t } = answerTexts('en-US');
  return { status: 404, html: renderAnswerPage('en-US', '', { title: 'Relance', error: t.notFound, notices: [] }) };
}

/** The customer's locale, else the company's. */
function localeOf(p: ResponseLinkPage): string {
  return p.customer.locale ?? p.company.locale;
}

/** Today where the customer is (their time zone, else the company's): the day a promise is judged against. */
function customerToday(p: ResponseLinkPage): string {
  return todayIn(p.customer.timezone ?? p.company.timezone, new Date());
}
