import { ValidateIf } from 'class-validator';

/**
 * Optional, but not nullable: an absent field is skipped, while `null` is validated (and refused) like any other
 * value. `@IsOptional()` would let `null` through to the service.
 */
export const IsOmittable = (): PropertyDecorator => ValidateIf((_, value) => value !== undefined);
