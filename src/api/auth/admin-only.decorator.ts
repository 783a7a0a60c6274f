import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';

export const ADMIN_ONLY = 'relance:admin-only';

/** Only users with role `admin` may call the route (403 for others). */
export const AdminOnly = () =>
  applyDecorators(SetMetadata(ADMIN_ONLY, true), ApiForbiddenResponse({ description: 'The caller is not an admin' }));
