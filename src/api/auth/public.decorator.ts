import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'relance:public';

/** The route needs no API key. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
