/** What `npm test` (scripts/test.js) provisions for the suites, read from the environment it sets. */
export function testEnv() {
  const need = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run the tests with \`npm test\`, which provisions the services`);
    return value;
  };
  return {
    databaseUrl: need('DATABASE_URL'),
    temporalAddress: need('TEMPORAL_ADDRESS'),
    temporalNamespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    smtpUrl: need('SMTP_URL'),
    mailCatcherUrl: need('MAIL_CATCHER_URL'),
    temporalCliPath: need('TEMPORAL_CLI_PATH'),
    temporalTestServerPath: need('TEMPORAL_TEST_SERVER_PATH'),
    logDir: process.env.RELANCE_TEST_LOG_DIR ?? '.data/test-logs',
  };
}
