import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type ApprovalLinkPage, ApprovalLinksRepository } from '../../db/approval-links.repository';
import { InvoiceDocumentsRepository } from '../../db/invoice-documents.repository';
import { isMoney, toCents } from '../../domain/money';
import { DomainError } from '../../domain/errors';
import { decisionTokenHash, isDecisionToken } from '../../infra/decision-tokens';
import { formatMoney } from '../../domain/messages';
import { invoicePdfFilename, renderInvoicePdf } from '../../infra/invoice-pdf';
import { RATE_LIMITS, type RateLimits } from '../../infra/rate-limits';
import type { AuthUser } from '../auth/current-user.decorator';
import { ApprovalsService } from '../approvals/approvals.service';
import { describe, fill, formatInstant, type PageModel, pageTexts, renderPage, seatLostMessage, textsFor } from './approval-page';
import type { RenderedPage } from '../common/token-page';


/** The invoice's PDF, as the link's recipient may download it. */
export interface InvoicePdf {
  pdf: Buffer;
  filename: string;
}

/** What the page's forms post (application/x-www-form-urlencoded). */
export interface DecisionForm {
  decision?: unknown;
  comment?: unknown;
  reason?: unknown;
}

const MAX_TEXT = 2000;
/** How long a refused post waits for a concurrent decision to reach the database: 20 × 250 ms. */
const SETTLE_POLLS = 20;
const SETTLE_POLL_MS = 250;

/**
 * The page behind an approval email's link: shows the invoice to the recipient the link was made for,
 * and decides through ApprovalsService.decide (the REST routes' checks and Update), recorded `via: "email"`. Links
 * that are wrong, used, expired or superseded answer a page saying so with 404 or 410, never a decision.
 */
@Injectable()
export class ApprovalLinksService {
  private readonly links: ApprovalLinksRepository;
  private readonly documents: InvoiceDocumentsRepository;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly approvals: ApprovalsService,
    @Inject(RATE_LIMITS) private readonly limits: RateLimits,
  ) {
    this.links = new ApprovalLinksRepository(dataSource);
    this.documents = new InvoiceDocumentsRepository(dataSource);
  }

  async show(token: string, ip: string): Promise<RenderedPage> {
    const found = await this.lookup(token, ip);
    if ('html' in found) return found;
    return this.current(found.page, token);
  }

  /** The invoice's PDF while the link would show its forms; otherwise the page's refusal, never the file. */
  async pdf(token: string, ip: string): Promise<InvoicePdf | RenderedPage> {
    const found = await this.lookup(token, ip);
    if ('html' in found) return found;
    const state = this.current(found.page, token);
    if (state.status !== 200) return state;
    // A bill has no PDF of ours: as gone as a link that never was.
    const document = found.page.invoice.kind === 'invoice' ? await this.documents.find(found.page.companyId, found.page.invoice.id) : undefined;
    // Deleted since the link was read: as gone as a link that never was.
    if (!document) return { status: 404, html: renderPage(found.page.company.locale, { title: 'Relance', error: textsFor(found.page.company.locale).t.notFound, earlier: [], decidable: false }) };
    return { pdf: await renderInvoicePdf(document), filename: invoicePdfFilename(document.invoice.number) };
  }

  async decide(token: string, ip: string, form: DecisionForm): Promise<RenderedPage> {
    const found = await this.lookup(token, ip);
    if ('html' in found) return found;
    const p = found.page;
    const state = this.current(p, token);
    if (state.status !== 200 || this.overLimit(p)) return state.status !== 200 ? state : { ...state, status: 403 };

    const { t } = pageTexts(p);
    const decision = form.decision === 'approve' || form.decision === 'reject' ? form.decision : undefined;
    const comment = typeof form.comment === 'string' ? form.comment.slice(0, MAX_TEXT) : undefined;
    const reason = typeof form.reason === 'string' ? form.reason.slice(0, MAX_TEXT) : undefined;
    if (!decision) return this.render(p, { status: 400, error: 'decision must be approve or reject', link: token });
    if (decision === 'reject' && !reason?.trim()) return this.render(p, { status: 400, error: t.reasonRequired, link: token });

    // The recipient's links of the step are taken before deciding, in one conditional statement: of two posts at once
    // (one link twice, or two of their emails), one decides and the other is told the link is used. A refusal gives them back.
    const tokenHash = decisionTokenHash(token);
    const link = { tokenHash, approvalId: p.approvalId, step: p.step, userId: p.userId };
    const claim = await this.links.claim(link);
    if (!claim) return this.settled(token, p);
    try {
      await this.approvals.decide({ kind: p.invoice.kind, id: p.invoice.id }, this.recipient(p), decision, decision === 'approve' ? { comment } : { reason }, 'email', p.step);
    } catch (err) {
      await this.links.release(link, claim);
      if (!(err instanceof DomainError)) throw err;
      if (err.statusCode === 503) return this.render(p, { status: 503, error: t.unavailable, link: token });
      // Decided by someone else meanwhile (or by this same link, posted twice): once the database has that decision,
      // the page says who took it. A decision accepted but not yet recorded is a moment away, so wait briefly for it.
      for (let attempt = 0; err.statusCode === 409 && attempt < SETTLE_POLLS; attempt += 1) {
        const now = await this.links.findPage(tokenHash);
        const after = now ? this.current(now, token) : undefined;
        if (after && after.status !== 200) return after;
        await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
      }
      return this.render(p, { status: err.statusCode, error: fill(t.refused, { message: err.message }), link: token });
    }
    await this.links.markUsed(p.approvalId, p.step, p.userId);
    const done = await this.links.findPage(tokenHash);
    const verb = decision === 'approve' ? t.approved : t.rejected;
    return this.render(done ?? p, { status: 200, message: fill(t.done, { decision: verb, number: p.invoice.number }), decidable: false });
  }

  /**
   * A post that found its link taken by another: once that one's decision is in the database the page says who took
   * it; while it is in flight (or was refused and the link given back), the link is used (410), never a second decision.
   */
  private async settled(token: string, p: ApprovalLinkPage): Promise<RenderedPage> {
    for (let attempt = 0; attempt < SETTLE_POLLS; attempt += 1) {
      const now = await this.links.findPage(decisionTokenHash(token));
      if (!now || !now.usedAt) break;
      if (now.approval.status !== 'pending' || now.approval.currentStep !== now.step
        || now.decisions.some((d) => d.step === now.step && (d.closesStep || (d.userId === now.userId && d.decision === 'approved')))) {
        return this.current(now, token);
      }
      await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    }
    const { t } = pageTexts(p);
    return this.render(p, { status: 410, message: t.used, decidable: false });
  }

  /**
   * Only unknown links count against the address (RELANCE_LINK_GUESS_RATE, across API processes), and only they are
   * refused past it: a link Relance issued is always answered, whatever was guessed from its recipient's address (a
   * shared office address, or someone trying to lock them out).
   */
  private async lookup(token: string, ip: string): Promise<{ page: ApprovalLinkPage } | RenderedPage> {
    const page = isDecisionToken(token) ? await this.links.findPage(decisionTokenHash(token)) : undefined;
    if (page) return { page };
    const { t } = textsFor('en-US');
    const verdict = await this.limits.consume('link-guess', ip);
    if (!verdict.allowed) {
      return {
        status: 429, retryAfterSeconds: verdict.retryAfterSeconds,
        html: renderPage('en-US', { title: 'Relance', error: t.tooMany, earlier: [], decidable: false }),
      };
    }
    return { status: 404, html: renderPage('en-US', { title: 'Relance', error: t.notFound, earlier: [], decidable: false }) };
  }

  /** What the link allows now: the forms (200), or why not (410). */
  private current(p: ApprovalLinkPage, token: string): RenderedPage {
    const { t } = pageTexts(p);
    // A deactivated recipient's link shows nothing of the invoice: whoever holds it may no longer work there.
    if (p.userStatus !== 'active') return { status: 410, html: renderPage(p.company.locale, { title: 'Relance', message: t.deactivated, earlier: [], decidable: false }) };
    const when = (at: string | Date) => formatInstant(at, p.company.locale, p.company.timezone);
    const closing = (step: number) => p.decisions.find((d) => d.step === step && d.closesStep);
    const verb = (d: { decision: string }) => (d.decision === 'approved' ? t.approved : d.decision === 'timeout' ? t.timeout : d.decision === 'cancelled' ? t.cancelled : t.rejected);
    const decidedBy = (d: { userName: string | null }) => d.userName ?? t.nobody;

    if (p.approval.status !== 'pending') {
      const last = [...p.decisions].reverse().find((d) => d.closesStep);
      const message = last
        ? fill(t.already, { number: p.invoice.number, decision: verb(last), name: decidedBy(last), when: when(last.decidedAt) })
        : fill(t.already, { number: p.invoice.number, decision: t[p.approval.status as 'approved'] ?? p.approval.status, name: t.nobody, when: '' });
      return this.render(p, { status: 410, message, decidable: false });
    }
    const stepDecision = closing(p.step);
    if (p.approval.currentStep !== p.step || stepDecision) {
      const d = stepDecision;
      const message = d
        ? fill(t.stepDone, { k: p.step + 1, number: p.invoice.number, decision: verb(d), name: decidedBy(d), when: when(d.decidedAt) })
        : t.used;
      return this.render(p, { status: 410, message, decidable: false });
    }
    const mine = p.decisions.find((d) => d.step === p.step && d.userId === p.userId && d.decision === 'approved');
    if (mine) return this.render(p, { status: 410, message: fill(t.youApproved, { when: when(mine.decidedAt) }), decidable: false });
    if (p.supersededAt) {
      const lost = p.decisions.find((d) => d.step === p.step && d.userId === p.userId && d.decision === 'seat_lost');
      if (lost) return this.render(p, { status: 410, message: seatLostMessage(t, p.step, lost.comment), decidable: false });
      return this.render(p, { status: 410, message: fill(t.moved, { name: p.supersededToName ?? t.nobody, when: when(p.supersededAt) }), decidable: false });
    }
    if (p.usedAt) return this.render(p, { status: 410, message: t.used, decidable: false });
    if (p.expiresAt.getTime() <= Date.now()) return this.render(p, { status: 410, message: fill(t.expired, { when: when(p.expiresAt) }), decidable: false });
    if (this.overLimit(p)) {
      const limit = formatMoney(p.company.emailApprovalLimit, p.company.locale, p.company.currency);
      return this.render(p, { status: 200, message: fill(t.overLimit, { company: p.company.name, limit, id: p.invoice.id }), decidable: false, link: token });
    }
    return this.render(p, { status: 200, decidable: true, link: token });
  }

  private overLimit(p: ApprovalLinkPage): boolean {
    const limit = p.company.emailApprovalLimit;
    return limit !== null && isMoney(limit) && toCents(p.invoice.amount) > toCents(limit);
  }

  /** `link`: the token of a link that is still valid; the page then says for whom it decides and links the invoice's PDF. */
  private render(p: ApprovalLinkPage, o: { status: number; error?: string; message?: string; decidable?: boolean; link?: string }): RenderedPage {
    const { t } = pageTexts(p);
    const model: PageModel = {
      title: fill(t.title, { number: p.invoice.number }),
      ...describe(p),
      error: o.error,
      message: o.message,
      forWhom: o.link ? fill(t.forWhom, { name: p.userName, email: p.userEmail }) : undefined,
      pdfHref: o.link && p.invoice.kind === 'invoice' ? `/approvals/${encodeURIComponent(o.link)}/pdf` : undefined,
      decidable: o.decidable ?? true,
    };
    return { status: o.status, html: renderPage(p.company.locale, model) };
  }

  /** The link's recipient as the approvals service knows callers: the link stands for their key. */
  private recipient(p: ApprovalLinkPage): AuthUser {
    return {
      id: p.userId, companyId: p.companyId, role: p.userRole, name: p.userName, email: p.userEmail, apiKeyId: 'approval-link',
      company: { id: p.company.id, name: p.company.name, locale: p.company.locale, timezone: p.company.timezone, currency: p.company.currency, plan: p.company.plan },
    };
  }
}
