import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { createMailer, Mailer } from '../../infra/mailer';
import { Config } from '../../config';
import { CONFIG } from '../config/config.module';

/** The API's SMTP mailer (SMTP_URL), used for mail sent directly from a request such as POST /v1/invoices/:id/send. */
export const MAILER = Symbol('MAILER');

@Injectable()
class MailerShutdown implements OnApplicationShutdown {
  constructor(@Inject(MAILER) private readonly mailer: Mailer) {}

  onApplicationShutdown(): void {
    this.mailer.close();
  }
}

@Global()
@Module({
  providers: [
    { provide: MAILER, inject: [CONFIG], useFactory: (config: Config): Mailer => createMailer(config.smtpUrl, config.mailFrom) },
    MailerShutdown,
  ],
  exports: [MAILER],
})
export class MailModule {}
