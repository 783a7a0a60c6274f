import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

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
  /**
   * TRUST_PROXY_HOPS: how many reverse proxies in front of the API add X-Forwarded-For (0: none, the default). The
   * decision page limits wrong guesses per client address: behind a proxy without it, every client is the proxy.
   */
  trustProxyHops: number;
  /** Up to this many seconds are added at random to each reminder schedule's firing (Temporal ScheduleSpec `jitter`). */
  scheduleJitterSeconds: number;
  worker: WorkerLimits;
  webhooks: WebhookConfig;
  lostDecisions: LostDecisionConfig;
  /** TEMPORAL_TLS_*: TLS to the Temporal frontend, with a client certificate for mTLS; undefined: plain gRPC (or TEMPORAL_API_KEY's TLS). */
  temporalTls?: TemporalTls;
  /** TEMPORAL_API_KEY: Temporal Cloud's API key (TLS with the system's CAs unless TEMPORAL_TLS_* says more). */
  temporalApiKey?: string;
  /** RELANCE_PAYLOAD_KEYS: the first encrypts every payload sent to Temporal, all decrypt; empty: nothing is encrypted. */
  payloadKeys: PayloadKey[];
  /** The codec endpoint of the Temporal Web UI (API). */
  codec: CodecConfig;
  /** RELANCE_SECRET_KEYS: the keys that encrypt what must be used again (webhook secrets, kept idempotent answers). */
  secretKeys: SecretKey[];
  signup: SignupConfig;
  limits: AbuseLimits;
  inbound: InboundConfig;
}

/** Replies and bounces: each customer email's own reply address, and the endpoint that receives what comes back to it. */
export interface InboundConfig {
  /**
   * INBOUND_DOMAIN (API and worker): every customer email's Reply-To and envelope sender is its own address there
   * (VERP); unset, none is (the emails carry MAIL_FROM alone).
   */
  domain?: string;
  /** RELANCE_INBOUND_SECRET (API): the bearer secret of POST /v1/inbound/email; unset, the route does not exist. */
  secret?: string;
  /** INBOUND_BODY_LIMIT (API): the largest inbound message, in bytes (25 MB by default: replies quote PDFs). */
  bodyLimitBytes: number;
}

export const DEFAULT_INBOUND_BODY_LIMIT = 25 * 1024 * 1024;

/** An AES-256 key (32 bytes) and the id its ciphertexts carry; the first of a list encrypts, all decrypt (rotation). */
export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** A key of RELANCE_SECRET_KEYS: seals what Relance must read again (webhook secrets, kept idempotent answers). */
export type SecretKey = EncryptionKey;
/** A key of RELANCE_PAYLOAD_KEYS: encrypts what Relance sends to Temporal. */
export type PayloadKey = EncryptionKey;

/** Files read at boot: a missing or wrong file stops the process then, not at the first call to Temporal. */
export interface TemporalTls {
  /** TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY (PEM): the client certificate and its private key. */
  clientCertPair?: { crt: Buffer; key: Buffer };
  /** TEMPORAL_TLS_CA (PEM): the CA of the server's certificate; the system's CAs when absent. */
  serverRootCa?: Buffer;
  /** TEMPORAL_TLS_SERVER_NAME: the name the server's certificate must carry (and SNI), when not the address's host. */
  serverName?: string;
}

export interface CodecConfig {
  /** RELANCE_CODEC_TOKEN: the bearer token of /codec/*; without it (or without payload keys) the routes do not exist. */
  token?: string;
  /** RELANCE_CODEC_CORS_ORIGINS: origins of the Temporal Web UI allowed to call it from a browser. */
  corsOrigins: string[];
}

/**
 * Who may create a company (POST /v1/companies), RELANCE_SIGNUP: `open` to anyone (the default), `token` to callers
 * sending RELANCE_SIGNUP_TOKEN in X-Signup-Token (an operator hands it out), `closed` to nobody.
 */
export type SignupConfig = { mode: 'open' } | { mode: 'token'; token: string } | { mode: 'closed' };

/** How much one client may do, counted in Postgres across every API process; each refusal is a 429 with Retry-After. */
export interface AbuseLimits {
  /** RELANCE_SIGNUP_RATE: sign-up attempts per client address per hour. */
  signupsPerHour: number;
  /** RELANCE_DELEGATION_RATE: changes of a user's delegation (PUT or DELETE) per user per day. */
  delegationChangesPerDay: number;
  /** RELANCE_LINK_GUESS_RATE: unknown decision links per client address per 10 minutes (a valid link is never refused). */
  linkGuessesPer10Minutes: number;
  /** RELANCE_SIGNIN_RATE: sign-in links asked per email address per hour, known address or not. */
  signInLinksPerHour: number;
  /** RELANCE_SIGNIN_CLIENT_RATE: sign-in links asked per client address per hour, whatever the email addresses. */
  signInLinksPerClientPerHour: number;
  /** RELANCE_DECISION_RATE: approval decisions through the API per user per minute; each item of a bulk call counts as one. */
  decisionsPerMinute: number;
}

export const DEFAULT_ABUSE_LIMITS: AbuseLimits = { signupsPerHour: 10, delegationChangesPerDay: 20, linkGuessesPer10Minutes: 20, signInLinksPerHour: 5,
  signInLinksPerClientPerHour: 100, decisionsPerMinute: 600,
};

/** Long enough that it cannot be guessed, whatever alphabet the operator drew it from. */
const MIN_SIGNUP_TOKEN_LENGTH = 32;

/** Webhooks. */
export interface WebhookConfig {
  /** RELANCE_WEBHOOK_ALLOW_PRIVATE=true: endpoints on loopback and private networks are allowed (dev and tests). */
  allowPrivate: boolean;
  /** The backoff of failing deliveries (RELANCE_WEBHOOK_RETRY_INITIAL_MS, _MAX_MS, _FOR_MS); defaults: contracts' DEFAULT_WEBHOOK_RETRY. */
  retry: { initialMs: number; maximumMs: number; forMs: number };
  /** How often the worker looks for deliveries whose workflow is not started yet (RELANCE_WEBHOOK_DISPATCH_INTERVAL_MS); 0: never. */
  dispatchIntervalMs: number;
}

/**
 * The worker's look for decisions Postgres holds that their run never heard of (the Temporal server lost the workflow
 * task that recorded them, and the Update with it): each is told to its run again.
 */
export interface LostDecisionConfig {
  /** How often it looks (RELANCE_LOST_DECISION_INTERVAL_MS, default a minute); 0: this worker never does. */
  intervalMs: number;
  /**
   * How old a decision must be before its run is asked whether it heard of it (RELANCE_LOST_DECISION_MIN_AGE_MS,
   * default two minutes): well past how long a live decision takes to be answered, so that only a lost one is left.
   */
  minAgeMs: number;
}

/** The worker's memory and concurrency budget (Temporal WorkerOptions of the same names). */
export interface WorkerLimits {
  /** Workflows kept in memory between tasks; an evicted one is replayed from its history at its next task. */
  maxCachedWorkflows: number;
  maxConcurrentWorkflowTaskExecutions: number;
  maxConcurrentActivityTaskExecutions: number;
  maxConcurrentLocalActivityExecutions: number;
  /** Activities per second on the whole task queue, all workers together (Temporal enforces it); undefined = no cap. */
  maxTaskQueueActivitiesPerSecond?: number;
}

/**
 * 5 minutes: spreads a timezone's 09:00 peak over 300 s (peak firings/s divided by ~300) while a 09:00 reminder
 * still leaves before 09:05, well inside any send window of whole hours.
 */
export const DEFAULT_SCHEDULE_JITTER_SECONDS = 300;

/**
 * For approvals idle for days: a cache of 1,000 workflows bounds the worker's memory whatever the number pending (the
 * cost of one cached approval is in bench/README.md, bench:scale); an evicted approval is replayed from its short
 * history when its decision or timer comes. Activity slots stay near the worker's pool of 10 Postgres connections.
 */
export const DEFAULT_WORKER_LIMITS: WorkerLimits = {
  maxCachedWorkflows: 1000,
  maxConcurrentWorkflowTaskExecutions: 40,
  maxConcurrentActivityTaskExecutions: 20,
  maxConcurrentLocalActivityExecutions: 20,
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function required(env: NodeJS.ProcessEnv, name: string, hint: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`${name} is not set: ${hint}`);
  return value;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${text}"`);
  return value;
}

function workerLimits(env: NodeJS.ProcessEnv): WorkerLimits {
  const d = DEFAULT_WORKER_LIMITS;
  const limits: WorkerLimits = {
    maxCachedWorkflows: integer(env, 'WORKER_MAX_CACHED_WORKFLOWS', d.maxCachedWorkflows, 0, 1_000_000),
    // The SDK refuses fewer than 2 workflow task slots when the cache is on.
    maxConcurrentWorkflowTaskExecutions: integer(env, 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS', d.maxConcurrentWorkflowTaskExecutions, 2, 10_000),
    maxConcurrentActivityTaskExecutions: integer(env, 'WORKER_MAX_CONCURRENT_ACTIVITIES', d.maxConcurrentActivityTaskExecutions, 1, 10_000),
    maxConcurrentLocalActivityExecutions: integer(env, 'WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES', d.maxConcurrentLocalActivityExecutions, 1, 10_000),
  };
  const perSecond = integer(env, 'WORKER_MAX_TASK_QUEUE_ACTIVITIES_PER_SECOND', 0, 0, 1_000_000);
  return perSecond > 0 ? { ...limits, maxTaskQueueActivitiesPerSecond: perSecond } : limits;
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

function webhookConfig(env: NodeJS.ProcessEnv): WebhookConfig {
  const flag = env.RELANCE_WEBHOOK_ALLOW_PRIVATE?.trim() || 'false';
  if (flag !== 'true' && flag !== 'false') throw new ConfigError(`RELANCE_WEBHOOK_ALLOW_PRIVATE must be "true" or "false", got "${flag}"`);
  const day = 24 * 3_600_000;
  // 10 s, doubling up to 1 h, for 3 days: the defaults (contracts' DEFAULT_WEBHOOK_RETRY).
  return {
    allowPrivate: flag === 'true',
    retry: {
      initialMs: integer(env, 'RELANCE_WEBHOOK_RETRY_INITIAL_MS', 10_000, 1, day),
      maximumMs: integer(env, 'RELANCE_WEBHOOK_RETRY_MAX_MS', 3_600_000, 1, day),
      forMs: integer(env, 'RELANCE_WEBHOOK_RETRY_FOR_MS', 3 * day, 1, 30 * day),
    },
    dispatchIntervalMs: integer(env, 'RELANCE_WEBHOOK_DISPATCH_INTERVAL_MS', 1000, 0, 3_600_000),
  };
}

const SECRET_KEYS_HINT = 'set it to "<keyId>:<base64 of 32 random bytes>" (e.g. "k1:$(openssl rand -base64 32)"); ' +
  'to rotate, put a new key first and keep the old ones after it, comma-separated (npm run dev and npm test make one)';

/** RELANCE_SECRET_KEYS, which the API and the worker cannot start without. */
export function parseSecretKeys(text: string | undefined): SecretKey[] {
  if (!text?.trim()) throw new ConfigError(`RELANCE_SECRET_KEYS is not set: ${SECRET_KEYS_HINT}`);
  return parseKeyList('RELANCE_SECRET_KEYS', text);
}

/**
 * A list of AES-256 keys, `id:base64,id:base64` (RELANCE_SECRET_KEYS, RELANCE_PAYLOAD_KEYS): each 32 bytes, ids unique
 * and of [A-Za-z0-9._-]; the first encrypts, all decrypt. A refusal names the entry or its id, never the key.
 */
function parseKeyList(variable: string, text: string): EncryptionKey[] {
  const keys = text.split(',').map((entry) => entry.trim()).filter(Boolean).map((entry, i) => {
    const at = entry.indexOf(':');
    const id = at > 0 ? entry.slice(0, at) : '';
    const encoded = entry.slice(at + 1);
    if (!/^[\w.-]{1,64}$/.test(id)) {
      throw new ConfigError(`${variable} entry ${i + 1} must start with a key id of 1 to 64 letters, digits, ".", "_" or "-", then ":" (e.g. "k1:$(openssl rand -base64 32)")`);
    }
    const key = Buffer.from(encoded, 'base64');
    if (!/^[\w+/-]+={0,2}$/.test(encoded) || key.length !== 32) {
      throw new ConfigError(`${variable} key "${id}" must be 32 bytes in base64 (got ${key.length} bytes)`);
    }
    return { id, key };
  });
  const ids = keys.map((k) => k.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) throw new ConfigError(`${variable} names the key id "${repeated}" twice`);
  return keys;
}

function pemFile(env: NodeJS.ProcessEnv, name: string, kind: 'CERTIFICATE' | 'PRIVATE KEY'): Buffer | undefined {
  const file = env[name]?.trim();
  if (!file) return undefined;
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (err) {
    throw new ConfigError(`${name}: cannot read "${file}" (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (!new RegExp(`-----BEGIN [A-Z ]*${kind}-----`).test(pem.toString('latin1'))) {
    throw new ConfigError(`${name}: "${file}" holds no PEM ${kind.toLowerCase()} ("-----BEGIN ${kind}-----")`);
  }
  return pem;
}

function clientCertPair(env: NodeJS.ProcessEnv): TemporalTls['clientCertPair'] {
  const crt = pemFile(env, 'TEMPORAL_TLS_CERT', 'CERTIFICATE');
  const key = pemFile(env, 'TEMPORAL_TLS_KEY', 'PRIVATE KEY');
  if (!crt && !key) return undefined;
  if (!key) throw new ConfigError('TEMPORAL_TLS_CERT is set without TEMPORAL_TLS_KEY: a client certificate needs its private key (set both, or neither)');
  if (!crt) throw new ConfigError('TEMPORAL_TLS_KEY is set without TEMPORAL_TLS_CERT: set the client certificate too (or neither)');
  let matches: boolean;
  try {
    matches = new X509Certificate(crt).checkPrivateKey(createPrivateKey(key));
  } catch (err) {
    throw new ConfigError(`TEMPORAL_TLS_CERT / TEMPORAL_TLS_KEY cannot be read as a certificate and an unencrypted private key: ${(err as Error).message}`);
  }
  if (!matches) throw new ConfigError('TEMPORAL_TLS_KEY is not the private key of the certificate in TEMPORAL_TLS_CERT');
  return { crt, key };
}

/** Temporal's address aside: how a process reaches it. Exported for the benchmarks, which read no other configuration. */
export function temporalAccess(env: NodeJS.ProcessEnv = process.env): Pick<Config, 'temporalTls' | 'temporalApiKey'> {
  const pair = clientCertPair(env);
  const serverRootCa = pemFile(env, 'TEMPORAL_TLS_CA', 'CERTIFICATE');
  const serverName = env.TEMPORAL_TLS_SERVER_NAME?.trim() || undefined;
  const apiKey = env.TEMPORAL_API_KEY?.trim() || undefined;
  const tls: TemporalTls | undefined = pair || serverRootCa || serverName
    ? { ...(pair && { clientCertPair: pair }), ...(serverRootCa && { serverRootCa }), ...(serverName && { serverName }) }
    : undefined;
  return { ...(tls && { temporalTls: tls }), ...(apiKey && { temporalApiKey: apiKey }) };
}

/** RELANCE_PAYLOAD_KEYS; none: nothing is encrypted. */
function payloadKeys(env: NodeJS.ProcessEnv): PayloadKey[] {
  const text = env.RELANCE_PAYLOAD_KEYS?.trim();
  return text ? parseKeyList('RELANCE_PAYLOAD_KEYS', text) : [];
}

function codecConfig(env: NodeJS.ProcessEnv): CodecConfig {
  const token = env.RELANCE_CODEC_TOKEN?.trim() || undefined;
  if (token && token.length < 32) throw new ConfigError('RELANCE_CODEC_TOKEN must be at least 32 characters: make one with `openssl rand -hex 32`');
  const corsOrigins = (env.RELANCE_CODEC_CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of corsOrigins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin !== origin) throw new ConfigError(`RELANCE_CODEC_CORS_ORIGINS: "${origin}" is not an origin such as http://localhost:8233`);
  }
  return { ...(token && { token }), corsOrigins };
}

function signupConfig(env: NodeJS.ProcessEnv): SignupConfig {
  const mode = env.RELANCE_SIGNUP?.trim() || 'open';
  if (mode === 'open' || mode === 'closed') return { mode };
  if (mode !== 'token') throw new ConfigError(`RELANCE_SIGNUP must be "open", "token" or "closed", got "${mode}"`);
  const token = required(env, 'RELANCE_SIGNUP_TOKEN', 'RELANCE_SIGNUP=token needs the token that sign-ups send in X-Signup-Token, e.g. the output of `openssl rand -hex 32`');
  if (token.length < MIN_SIGNUP_TOKEN_LENGTH) {
    throw new ConfigError(`RELANCE_SIGNUP_TOKEN must be at least ${MIN_SIGNUP_TOKEN_LENGTH} characters (e.g. the output of \`openssl rand -hex 32\`), got ${token.length}`);
  }
  return { mode, token };
}

function abuseLimits(env: NodeJS.ProcessEnv): AbuseLimits {
  const d = DEFAULT_ABUSE_LIMITS;
  return {
    signupsPerHour: integer(env, 'RELANCE_SIGNUP_RATE', d.signupsPerHour, 1, 1_000_000),
    delegationChangesPerDay: integer(env, 'RELANCE_DELEGATION_RATE', d.delegationChangesPerDay, 1, 1_000_000),
    linkGuessesPer10Minutes: integer(env, 'RELANCE_LINK_GUESS_RATE', d.linkGuessesPer10Minutes, 1, 1_000_000),
    signInLinksPerHour: integer(env, 'RELANCE_SIGNIN_RATE', d.signInLinksPerHour, 1, 1_000_000),
    signInLinksPerClientPerHour: integer(env, 'RELANCE_SIGNIN_CLIENT_RATE', d.signInLinksPerClientPerHour, 1, 1_000_000),
    decisionsPerMinute: integer(env, 'RELANCE_DECISION_RATE', d.decisionsPerMinute, 1, 1_000_000),
  };
}

/** A size as `25mb`, `64kb` or bytes (1 kb = 1024 bytes, as BODY_LIMIT reads it). */
function size(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const match = /^(\d{1,10})\s*(b|kb|mb)?$/i.exec(text);
  const bytes = match ? Number(match[1]) * { b: 1, kb: 1024, mb: 1024 * 1024 }[(match[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb'] : NaN;
  if (!(bytes >= 1024 && bytes <= 1024 * 1024 * 1024)) throw new ConfigError(`${name} must be a size from 1kb to 1024mb, such as "25mb", got "${text}"`);
  return bytes;
}

/** A DNS name of at least two labels, each of letters, digits and inner hyphens (RFC 1123). */
function domainName(name: string, text: string): string {
  const labels = text.toLowerCase().split('.');
  if (text.length > 253 || labels.length < 2 || !labels.every((l) => l.length <= 63 && /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(l))) {
    throw new ConfigError(`${name} must be a domain name such as "reply.example.com", got "${text}"`);
  }
  return text.toLowerCase();
}

function inboundConfig(env: NodeJS.ProcessEnv): InboundConfig {
  const domainText = env.INBOUND_DOMAIN?.trim();
  const domain = domainText ? domainName('INBOUND_DOMAIN', domainText) : undefined;
  const secret = env.RELANCE_INBOUND_SECRET?.trim() || undefined;
  if (secret && secret.length < 32) throw new ConfigError('RELANCE_INBOUND_SECRET must be at least 32 characters: make one with `openssl rand -hex 32`');
  if (secret && !domain) throw new ConfigError('RELANCE_INBOUND_SECRET is set without INBOUND_DOMAIN: inbound mail finds its delivery by the reply address at INBOUND_DOMAIN (set both, or neither)');
  return { ...(domain && { domain }), ...(secret && { secret }), bodyLimitBytes: size(env, 'INBOUND_BODY_LIMIT', DEFAULT_INBOUND_BODY_LIMIT) };
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
    trustProxyHops: integer(env, 'TRUST_PROXY_HOPS', 0, 0, 10),
    // At most an hour: a firing later than that would leave the morning it was promised for.
    scheduleJitterSeconds: integer(env, 'REMINDER_SCHEDULE_JITTER_SECONDS', DEFAULT_SCHEDULE_JITTER_SECONDS, 0, 3600),
    worker: workerLimits(env),
    webhooks: webhookConfig(env),
    lostDecisions: {
      intervalMs: integer(env, 'RELANCE_LOST_DECISION_INTERVAL_MS', 60_000, 0, 3_600_000),
      // At most half the look-back of a day (src/worker/lost-decision-reconciler.ts), so that a look still covers hours.
      minAgeMs: integer(env, 'RELANCE_LOST_DECISION_MIN_AGE_MS', 120_000, 60_000, 43_200_000),
    },
    secretKeys: parseSecretKeys(env.RELANCE_SECRET_KEYS),
    ...temporalAccess(env),
    payloadKeys: payloadKeys(env),
    codec: codecConfig(env),
    signup: signupConfig(env),
    limits: abuseLimits(env),
    inbound: inboundConfig(env),
  };
}
