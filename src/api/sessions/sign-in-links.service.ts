import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Config } from '../../config';
import { createDeliveriesRepository } from '../../db/deliveries.repository';
import { SessionsRepository } from '../../db/sessions.repository';
import { INVITE_LINK_MS, SIGN_IN_LINK_MS } from '../../domain/sessions';
import { renderSignInEmail } from '../../domain/sign-in-emails';
import type { Mailer } from '../../infra/mailer';
import { createOutbox, deliveryPolicies, type Outbox } from '../../infra/outbox';
import { newSessionToken, sessionTokenHash } from '../auth/session-tokens';
import { CONFIG } from '../config/config.module';
import { MAILER } from '../mail/mail.module';

/** Whom a link is mailed to, and the company whose locale and deliveries it goes with. */
export interface Recipient {
  email: string;
  userId: string;
  companyId: string;
  locale: string;
}

/** The page of the console where a person asks a sign-in link. */
export const SIGN_IN_PAGE = '/app/sign-in';

/**
 * Emails sign-in links: one link per request for every active user of an address (the console lets the person
 * choose the company), and an invitation's link for the one user invited. Each link is a fresh 256-bit token stored as
 * its SHA-256; the email goes through the outbox, keyed by the link.
 */
@Injectable()
export class SignInLinksService {
  private readonly logger = new Logger(SignInLinksService.name);
  private readonly sessions: SessionsRepository;
  private readonly outbox: Outbox;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(CONFIG) private readonly config: Config,
  ) {
    this.sessions = new SessionsRepository(dataSource);
    this.outbox = createOutbox(createDeliveriesRepository(dataSource));
  }

  /**
   * Looks the address up and mails its link after the request has answered, so that the answer and its time are the
   * same whether or not the address is known (no account enumeration). A failure is logged, never answered.
   */
  requestLater(email: string): void {
    setImmediate(() => {
      this.request(email).catch((err: Error) => this.logger.warn(`a sign-in link could not be sent: ${err.message}`));
    });
  }

  /** The link of a user just invited, valid INVITE_LINK_MS, saying who invited them where; sent like requestLater's. */
  inviteLater(invited: Recipient, invitation: { inviterName: string; companyName: string }): void {
    setImmediate(() => {
      this.send(invited, invited.userId, invitation)
        .catch((err: Error) => this.logger.warn(`the invitation of user ${invited.userId} could not be sent: ${err.message}`));
    });
  }

  private async request(email: string): Promise<void> {
    const [first] = await this.sessions.findSignInCandidates(email);
    // A person of several companies gets one link, in the locale of the company they joined first.
    if (first) await this.send({ email, userId: first.userId, companyId: first.companyId, locale: first.locale }, null);
  }

  /** `invitedUserId`: the one user an invitation's link signs in; null for a link to every active user of the address. */
  private async send(to: Recipient, invitedUserId: string | null, invitation?: { inviterName: string; companyName: string }): Promise<void> {
    const token = newSessionToken();
    const linkId = await this.sessions.insertLink({
      tokenHash: sessionTokenHash(token), email: to.email, userId: invitedUserId, validMs: invitation ? INVITE_LINK_MS : SIGN_IN_LINK_MS,
    });
    const base = this.config.publicUrl.endsWith('/') ? this.config.publicUrl.slice(0, -1) : this.config.publicUrl;
    const common = { locale: to.locale, link: `${base}${SIGN_IN_PAGE}/${token}`, askAgainUrl: `${base}${SIGN_IN_PAGE}` };
    const mail = renderSignInEmail(invitation ? { kind: 'invite', ...common, ...invitation } : { kind: 'sign-in', ...common });
    const outcome = await this.outbox.deliver(
      {
        key: `sign-in|link:${linkId}`, owner: { companyId: to.companyId, recordType: 'user', recordId: to.userId }, occurrence: `link:${linkId}`,
        channel: 'email', recipient: to.email, attempt: 1,
      },
      { policy: deliveryPolicies.signInEmail, send: async (deliveryKey) => { await this.mailer.send({ to: to.email, ...mail, deliveryKey }); } },
    );
    // Not the mail server's answer, which quotes the address: the delivery row keeps it, for whoever may read the company's data.
    if (outcome.status === 'failed' || outcome.status === 'inDoubt') this.logger.warn(`sign-in link ${linkId} to user ${to.userId}: ${outcome.status}`);
  }
}
