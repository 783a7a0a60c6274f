import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';
import { AppModule } from './app.module';
import { documentSharedErrors, ErrorView } from './common/api-docs';
import { stateNullables } from './common/openapi-nullables';
import { documentWorkflowUnions } from './workflows/workflow-schemas';

/** Objects' keys sorted at every depth, so that the committed openapi.json diffs only where the contract changes. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** The document `/docs-json` serves and `npm run openapi` writes to openapi.json. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Relance API')
      .setDescription('Durable reminders and approvals for invoices, bills and payments, on Temporal.')
      .setVersion('1')
      .setLicense('UNLICENSED', 'https://en.wikipedia.org/wiki/Proprietary_software')
      .addServer('/', 'The API that serves this document')
      .addBearerAuth({
        type: 'http', scheme: 'bearer',
        description: 'API key returned by POST /v1/companies or POST /v1/users/{id}/api-keys. The console signs in instead with an emailed link ' +
          '(POST /v1/sign-in-links, POST /v1/sessions) and sends its relance_session cookie with the X-CSRF-Token header on every request',
      })
      .addBearerAuth({
        type: 'http', scheme: 'bearer', bearerFormat: undefined,
        description: 'RELANCE_INBOUND_SECRET: the operator\'s secret that an MTA pipe or a mail provider\'s inbound hook sends to POST /v1/inbound/email',
      }, 'inbound')
      .build(),
    { extraModels: [ErrorView], operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` },
  );
  return sortKeys(stateNullables(documentWorkflowUnions(documentSharedErrors(document)))) as OpenAPIObject;
}

export const OPENAPI_FILE = path.resolve(__dirname, '..', '..', 'openapi.json');

export function openApiText(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** `npm run openapi`: the routes' document without a database or Temporal (Nest's preview mode builds no provider). */
async function main(): Promise<void> {
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: 'postgres://openapi@127.0.0.1:1/openapi', TEMPORAL_ADDRESS: '127.0.0.1:1', SMTP_URL: 'smtp://127.0.0.1:1',
    // Nothing is sealed here: a key of zeros stands in for the real one.
    RELANCE_SECRET_KEYS: `openapi:${Buffer.alloc(32).toString('base64')}`,
    // The inbound route exists only with its secret: the document describes it as a deployment that receives mail.
    INBOUND_DOMAIN: 'inbound.openapi.invalid', RELANCE_INBOUND_SECRET: 'o'.repeat(32),
  });
  const app = await NestFactory.create(AppModule.forRoot(config), { preview: true, logger: false });
  writeFileSync(OPENAPI_FILE, openApiText(openApiDocument(app)));
  await app.close();
  console.log(`wrote ${OPENAPI_FILE}`);
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(err);
    process.exit(1);
  });
}
