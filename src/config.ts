/** Configuration from the environment, validated once at boot; a bad value stops the process with a clear line. */
export interface Config {
  port: number;
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  smtpUrl: string;
  mailFrom: string;
  publicUrl: string;
  bodyLimit: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function required(env: NodeJS.ProcessEnv, name: string, hint: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`${name} is not set: ${hint}`);
  return value;
}

function url(name: string, value: string, protocols: string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(`${name} is not a valid URL: "${value}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const portText = env.PORT?.trim() || '3000';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer from 0 to 65535, got "${portText}"`);
  }
  const temporalAddress = required(env, 'TEMPORAL_ADDRESS', 'set it to host:port of a Temporal frontend, e.g. 127.0.0.1:7233 (npm run dev sets it)');
  if (!/^[^\s:]+:\d+$/.test(temporalAddress)) {
    throw new ConfigError(`TEMPORAL_ADDRESS must be host:port, got "${temporalAddress}"`);
  }
  return {
    port,
    databaseUrl: url('DATABASE_URL',
      required(env, 'DATABASE_URL', 'set it to a Postgres URL, e.g. postgres://user:pass@host:5432/relance (npm run dev sets it)'),
      ['postgres:', 'postgresql:']),
    temporalAddress,
    temporalNamespace: env.TEMPORAL_NAMESPACE?.trim() || 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE?.trim() || 'relance',
    smtpUrl: url('SMTP_URL', env.SMTP_URL?.trim() || 'smtp://127.0.0.1:1025', ['smtp:', 'smtps:']),
    mailFrom: env.MAIL_FROM?.trim() || 'Relance <no-reply@relance.local>',
    publicUrl: env.PUBLIC_URL?.trim() || `http://127.0.0.1:${port}`,
    bodyLimit: env.BODY_LIMIT?.trim() || '256kb',
  };
}
