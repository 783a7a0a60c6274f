import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { dateTime, nullable, text, uuid } from '../common/api-docs';
import { UserView } from '../users/user.mapper';

@ApiSchema({ name: 'Session' })
export class SessionView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty(dateTime) createdAt!: string;
  @ApiProperty({ ...dateTime, description: 'the last request, recorded at most once a minute' }) lastSeenAt!: string;
  @ApiProperty({ ...dateTime, description: 'when it ends without a request: 30 minutes after the last one, at most 12 hours after sign-in' })
  expiresAt!: string;
  @ApiProperty({ ...nullable(text), maxLength: 200, description: 'the browser\'s User-Agent at sign-in, cut to 200 characters' }) userAgent!: string | null;
  @ApiProperty({ ...nullable(text), description: 'the client address at sign-in' }) clientAddress!: string | null;
  @ApiProperty({ type: Boolean, description: 'the session of this request' }) current!: boolean;
}

@ApiSchema({ name: 'SessionList' })
export class SessionListView {
  @ApiProperty({ type: [SessionView] }) items!: SessionView[];
}

/** `POST /v1/sessions` signed in: the session, the CSRF token to echo in X-CSRF-Token, and the user. */
@ApiSchema({ name: 'StartedSession' })
export class StartedSessionView {
  @ApiProperty({ type: SessionView }) session!: SessionView;
  @ApiProperty({ ...text, description: 'send it in the X-CSRF-Token header of every request of this session (also in the relance_csrf cookie)' })
  csrfToken!: string;
  @ApiProperty({ type: UserView }) user!: UserView;
}

@ApiSchema({ name: 'SignInCompany' })
export class SignInCompanyView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty({ ...text, example: 'Acme Inc.' }) name!: string;
}

/** `POST /v1/sessions` without companyId, for a person of several companies: which one? The link is not used yet. */
@ApiSchema({ name: 'SignInCompanyChoice' })
export class CompanyChoiceView {
  @ApiProperty({ type: [SignInCompanyView] }) companies!: SignInCompanyView[];
}

/** The empty answer of `POST /v1/sign-in-links`, the same whether the address is known or not. */
@ApiSchema({ name: 'SignInLinkRequested' })
export class SignInLinkRequestedView {}
