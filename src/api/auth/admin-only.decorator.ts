import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiErrors } from '../common/api-docs';

export const ADMIN_ONLY = 'relance:admin-only';

/** Only users with role `admin` may call the route (403 for others). */
export const AdminOnly = () =>
  applyDecorators(SetMetadata(ADMIN_ONLY, true), ApiErrors({ 403: 'only an admin of the company may do this' }));
