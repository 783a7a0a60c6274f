import 'reflect-metadata';
import { RequestMethod } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { IS_PUBLIC } from '../auth/public.decorator';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/** Every controller class of the API, loaded from its file. */
function controllers(): [string, Function][] { // eslint-disable-line @typescript-eslint/no-unsafe-function-type
  const root = path.resolve(__dirname, '..');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.controller.ts'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return files.flatMap((file) => Object.entries(require(path.join(root, file)) as Record<string, unknown>)
    .filter((entry): entry is [string, Function] => typeof entry[1] === 'function' && entry[0].endsWith('Controller'))); // eslint-disable-line @typescript-eslint/no-unsafe-function-type
}

describe('Idempotency-Key on POST routes', () => {
  // Public routes (an email's decision page, an unsubscribe link) have no company to keep a key under: their token
  // is their idempotence.
  const routes = controllers().flatMap(([name, cls]) => Object.getOwnPropertyNames(cls.prototype)
    .map((method) => [`${name}.${method}`, cls.prototype[method]] as const)
    .filter(([, handler]) => Reflect.getMetadata(METHOD_METADATA, handler) === RequestMethod.POST)
    .filter(([, handler]) => !Reflect.getMetadata(IS_PUBLIC, handler) && !Reflect.getMetadata(IS_PUBLIC, cls)));

  it('finds the POST routes of the API', () => {
    expect(routes.length).toBeGreaterThanOrEqual(24);
  });

  it('binds the idempotency interceptor to every POST route that takes an API key, and to no other', () => {
    const missing = routes.filter(([, handler]) => !(Reflect.getMetadata(INTERCEPTORS_METADATA, handler) ?? []).includes(IdempotencyInterceptor));
    expect(missing.map(([route]) => route)).toEqual([]);
    const others = controllers().flatMap(([name, cls]) => Object.getOwnPropertyNames(cls.prototype)
      .filter((m) => Reflect.getMetadata(METHOD_METADATA, cls.prototype[m]) !== RequestMethod.POST)
      .filter((m) => (Reflect.getMetadata(INTERCEPTORS_METADATA, cls.prototype[m]) ?? []).includes(IdempotencyInterceptor))
      .map((m) => `${name}.${m}`));
    expect(others).toEqual([]);
  });
});
