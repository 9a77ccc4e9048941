import path from 'node:path';

/** Everything OHWB reads from the environment, read once at start. */
export type Config = {
  port: number;
  host: string;
  /** A PostgreSQL server; when absent the embedded PGlite database is used. */
  databaseUrl: string | null;
  /** Folder of the embedded database and its key file; `memory://` keeps it in memory. */
  dataDir: string;
  /** Base64 of 32 bytes for AES-256-GCM field encryption; a key file in dataDir when absent. */
  dataKey: string | null;
  demoPassword: string | null;
  /** Mark cookies Secure (behind HTTPS). */
  secureCookies: boolean;
  logLevel: string;
  /** Login attempts allowed per minute from one address for one account. */
  loginRateLimit: number;
  /** Session and token lifetime. */
  sessionHours: number;
  /** Trust X-Forwarded-For from a reverse proxy (only when one is in front). */
  trustProxy: boolean;
  /** Seconds a resolved session is reused in this process before the database is asked again. */
  sessionCacheSeconds: number;
  /** An SMTP server for email (smtp:// or smtps://, with credentials); when absent, email waits in the outbox page. */
  smtpUrl: string | null;
  /** The From address of email. */
  mailFrom: string;
  /** The address people reach the service at, for links in email. */
  publicUrl: string;
};

/** Reads the environment. The only place that touches process.env. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || null,
    dataDir: env.OHWB_DATA_DIR ?? path.resolve('data'),
    dataKey: env.OHWB_DATA_KEY || null,
    demoPassword: env.OHWB_DEMO_PASSWORD || null,
    secureCookies: isTrue(env.OHWB_SECURE_COOKIES) || env.NODE_ENV === 'production',
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    loginRateLimit: Number(env.OHWB_LOGIN_RATE_LIMIT ?? 10),
    sessionHours: Number(env.OHWB_SESSION_HOURS ?? 12),
    trustProxy: isTrue(env.OHWB_TRUST_PROXY),
    sessionCacheSeconds: wholeNumber(env.OHWB_SESSION_CACHE_SECONDS, 5, 'OHWB_SESSION_CACHE_SECONDS'),
    smtpUrl: env.OHWB_SMTP_URL || null,
    mailFrom: env.OHWB_MAIL_FROM || 'OHWB <no-reply@ohwb.invalid>',
    publicUrl: (env.OHWB_PUBLIC_URL || `http://localhost:${env.PORT ?? 3000}`).replace(/\/+$/, ''),
  };
}

/** `true`, `1` or `yes` (any case) switch a setting on. */
function isTrue(value: string | undefined): boolean {
  return ['true', '1', 'yes'].includes((value ?? '').trim().toLowerCase());
}

/** A whole number setting, or its default when unset; anything else stops the start with a clear message. */
function wholeNumber(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a whole number of 0 or more, not "${value}".`);
  return n;
}
