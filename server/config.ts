// Configuration is read once, validated, and frozen. A bad value stops the process with a clear message.
import { getHeapStatistics } from 'node:v8';
import { checkWritable, dataPaths, sessionSecretFor } from './config-data-dir.ts';
import { readBool, readInt, readUrl, type Env } from './lib/env-readers.ts';
import { readSlaDefaults, readSlaOverrides, type SlaDefaults, type SlaOverrides } from './config-sla.ts';
import { parseTrustProxy, type TrustProxy } from './lib/trust-proxy.ts';

export { dataPaths, type DataPaths } from './config-data-dir.ts';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** SQLite file path, or ':memory:' (tests). */
  readonly databasePath: string;
  readonly uploadDir: string;
  readonly sessionSecret: string;
  readonly cookieSecure: boolean;
  readonly admin: { readonly email: string; readonly password: string } | null;
  readonly smtpUrl: string | null;
  readonly mailFrom: string;
  /** Where people write to the operator (联系我们, the privacy policy): CONTACT_EMAIL, default support@<PUBLIC_URL host>. */
  readonly contactEmail: string;
  readonly publicUrl: string;
  readonly meili: { readonly url: string; readonly key: string | null } | null;
  readonly testClock: boolean;
  readonly rateLimits: boolean;
  /** A session ends after this many days without a request (as well as 30 days after login). */
  readonly sessionIdleDays: number;
  /** Attachments: per file, per submission, per request (bytes on the wire) and all requests in flight together. */
  readonly uploads: {
    readonly maxFileBytes: number;
    readonly maxFiles: number;
    readonly requestMaxBytes: number;
    readonly inflightMaxBytes: number;
  };
  /** Largest image (width × height) an upload may decode to: a small file can still be a decompression bomb. */
  readonly uploadMaxPixels: number;
  readonly logLevel: string;
  readonly workers: boolean;
  /** The platform's deadlines after forwarding (hours), unless a category override says otherwise. */
  readonly slaDefaults: SlaDefaults;
  /** Per-category deadline overrides, e.g. {"unauthorized-debit":{"firstResponseHours":12}}. */
  readonly slaOverrides: SlaOverrides;
  /** Outbound work (deliveries, e-mail): retries with backoff, claim lease, webhook timeout. */
  /** Background warm-up of the search index after listening (server/modules/search/warm-runner.ts). */
  readonly searchWarm: { readonly enabled: boolean; readonly sliceMs: number };
  /** Open data: the whole-board files' rebuild interval after a change, and the row cap of a filtered export. */
  readonly exports: { readonly rebuildMs: number; readonly maxRows: number; readonly downloadBytesPerSecond: number };
  readonly outbox: {
    readonly maxAttempts: number;
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
    readonly leaseMs: number;
    readonly batchSize: number;
    readonly webhookTimeoutMs: number;
    readonly retentionDays: number;
  };
  /** Slow and stuck clients: HTTP timeouts (ms), sockets per peer address (0: no cap), shutdown grace (ms). */
  readonly http: {
    readonly headersTimeoutMs: number;
    readonly requestTimeoutMs: number;
    readonly idleTimeoutMs: number;
    readonly keepAliveTimeoutMs: number;
    readonly maxConnectionsPerIp: number;
    readonly shutdownGraceMs: number;
  };
  readonly trustProxy: TrustProxy;
  /** Overload limits answered with 503 (0: that limit is off). */
  readonly pressure: {
    readonly maxEventLoopDelayMs: number;
    readonly maxHeapUsedBytes: number;
    readonly maxRssBytes: number;
  };
  /** /readyz: free bytes DATA_DIR's file system must keep. */
  readonly readiness: { readonly minFreeDiskBytes: number };
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

const MiB = 1024 * 1024;
const DAY_MS = 24 * 3600_000;

/** A request carries at most its files plus a little form overhead; the process budget must fit at least one. */
function readUploads(env: Env, problems: string[]): Config['uploads'] {
  const maxFileBytes = readInt(env, 'UPLOAD_MAX_BYTES', 10 * MiB, 1024, 100 * MiB, problems);
  const maxFiles = readInt(env, 'UPLOAD_MAX_FILES', 5, 0, 20, problems);
  const requestMaxBytes = readInt(
    env,
    'UPLOAD_REQUEST_MAX_BYTES',
    maxFiles * maxFileBytes + MiB,
    64 * 1024,
    4096 * MiB,
    problems,
  );
  const inflightMaxBytes = readInt(env, 'UPLOAD_INFLIGHT_MAX_BYTES', 200 * MiB, MiB, 64 * 1024 * MiB, problems);
  if (inflightMaxBytes < requestMaxBytes) {
    problems.push(
      `UPLOAD_INFLIGHT_MAX_BYTES (${inflightMaxBytes}) must be at least UPLOAD_REQUEST_MAX_BYTES (${requestMaxBytes}), or no full upload could ever be accepted`,
    );
  }
  return Object.freeze({ maxFileBytes, maxFiles, requestMaxBytes, inflightMaxBytes });
}

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const paths = dataPaths(env);
  const { dataDir, databasePath } = paths;
  const inMemory = databasePath === ':memory:';
  const canWrite = inMemory || checkWritable(paths, problems);
  const port = readInt(env, 'PORT', 3000, 0, 65535, problems);
  const host = env.HOST || '127.0.0.1';

  const adminEmail = env.ADMIN_EMAIL || '';
  const adminPassword = env.ADMIN_PASSWORD || '';
  if ((adminEmail === '') !== (adminPassword === ''))
    problems.push('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  if (adminEmail && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(adminEmail))
    problems.push(`ADMIN_EMAIL is not an e-mail address (got "${adminEmail}")`);
  if (adminPassword && adminPassword.length < 10) problems.push('ADMIN_PASSWORD must be at least 10 characters');

  const meiliUrl = readUrl(env, 'MEILI_URL', ['http:', 'https:'], problems);
  const smtpUrl = readUrl(env, 'SMTP_URL', ['smtp:', 'smtps:'], problems);
  const publicUrl = readUrl(env, 'PUBLIC_URL', ['http:', 'https:'], problems) ?? `http://localhost:${port}`;
  const contactEmail = env.CONTACT_EMAIL || `support@${new URL(publicUrl).hostname}`;
  if (!/^[^@\s]+@[^@\s]+$/.test(contactEmail))
    problems.push(`CONTACT_EMAIL is not an e-mail address (got "${contactEmail}")`);
  const logLevel = env.LOG_LEVEL || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel))
    problems.push(`LOG_LEVEL must be a pino level (got "${logLevel}")`);
  const trust = parseTrustProxy(env.TRUST_PROXY);
  if ('problem' in trust) problems.push(trust.problem);
  // Five 10 MB attachments on a 1 Mbit/s uplink take about 7 minutes: the whole-request default leaves room for that.
  const requestTimeoutMs = readInt(env, 'REQUEST_TIMEOUT_MS', 600_000, 1000, 3600_000, problems);
  const headersTimeoutMs = readInt(env, 'HEADERS_TIMEOUT_MS', 10_000, 100, 600_000, problems);
  if (headersTimeoutMs > requestTimeoutMs)
    problems.push(`HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);

  const config: Config = {
    port,
    host,
    dataDir,
    databasePath,
    uploadDir: paths.uploadDir,
    sessionSecret: sessionSecretFor(env, paths, inMemory, canWrite, problems),
    cookieSecure: readBool(env, 'COOKIE_SECURE', publicUrl.startsWith('https:'), problems),
    admin:
      adminEmail && adminPassword ? Object.freeze({ email: adminEmail.toLowerCase(), password: adminPassword }) : null,
    smtpUrl,
    mailFrom: env.MAIL_FROM || '钱包投诉台 <noreply@localhost>',
    contactEmail,
    publicUrl: publicUrl.replace(/\/$/, ''),
    meili: meiliUrl ? Object.freeze({ url: meiliUrl, key: env.MEILI_KEY || null }) : null,
    testClock: readBool(env, 'TEST_CLOCK', false, problems),
    rateLimits: readBool(env, 'RATE_LIMITS', true, problems),
    sessionIdleDays: readInt(env, 'SESSION_IDLE_DAYS', 7, 1, 30, problems),
    uploads: readUploads(env, problems),
    uploadMaxPixels: readInt(env, 'UPLOAD_MAX_PIXELS', 40_000_000, 1, 1_000_000_000, problems),
    logLevel,
    workers: readBool(env, 'WORKERS', true, problems),
    slaDefaults: readSlaDefaults(env, problems),
    slaOverrides: readSlaOverrides(env, problems),
    searchWarm: Object.freeze({
      enabled: readBool(env, 'SEARCH_WARM', true, problems),
      sliceMs: readInt(env, 'SEARCH_WARM_SLICE_MS', 4, 1, 100, problems),
    }),
    exports: Object.freeze({
      rebuildMs: readInt(env, 'EXPORT_REBUILD_MS', 5 * 60_000, 1000, 7 * DAY_MS, problems),
      maxRows: readInt(env, 'EXPORT_MAX_ROWS', 50_000, 1, 1_000_000, problems),
      // 0: unlimited. 20 MB/s is a fast home line; one client on loopback or a datacentre link would take the CPU.
      downloadBytesPerSecond: readInt(env, 'EXPORT_DOWNLOAD_BYTES_PER_SECOND', 20_000_000, 0, 10_000_000_000, problems),
    }),
    outbox: Object.freeze({
      maxAttempts: readInt(env, 'OUTBOX_MAX_ATTEMPTS', 8, 1, 100, problems),
      baseDelayMs: readInt(env, 'OUTBOX_BASE_DELAY_MS', 30_000, 1, DAY_MS, problems),
      maxDelayMs: readInt(env, 'OUTBOX_MAX_DELAY_MS', 3600_000, 1, 7 * DAY_MS, problems),
      leaseMs: readInt(env, 'OUTBOX_LEASE_MS', 60_000, 1000, DAY_MS, problems),
      batchSize: readInt(env, 'OUTBOX_BATCH', 20, 1, 1000, problems),
      webhookTimeoutMs: readInt(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000, problems),
      retentionDays: readInt(env, 'OUTBOX_RETENTION_DAYS', 30, 1, 3650, problems),
    }),
    http: Object.freeze({
      headersTimeoutMs,
      requestTimeoutMs,
      idleTimeoutMs: readInt(env, 'IDLE_TIMEOUT_MS', 60_000, 100, 3600_000, problems),
      keepAliveTimeoutMs: readInt(env, 'KEEPALIVE_TIMEOUT_MS', 5_000, 100, 600_000, problems),
      maxConnectionsPerIp: readInt(env, 'MAX_CONNECTIONS_PER_IP', 64, 0, 100_000, problems),
      shutdownGraceMs: readInt(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000, problems),
    }),
    trustProxy: 'value' in trust ? trust.value : false,
    pressure: Object.freeze({
      maxEventLoopDelayMs: readInt(env, 'MAX_EVENT_LOOP_DELAY_MS', 500, 0, 60_000, problems),
      // Refusing work near V8's heap limit beats dying of an out-of-memory crash with every request in flight.
      maxHeapUsedBytes: readInt(
        env,
        'MAX_HEAP_USED_BYTES',
        Math.floor(getHeapStatistics().heap_size_limit * 0.9),
        0,
        Number.MAX_SAFE_INTEGER,
        problems,
      ),
      maxRssBytes: readInt(env, 'MAX_RSS_BYTES', 0, 0, Number.MAX_SAFE_INTEGER, problems),
    }),
    readiness: Object.freeze({
      minFreeDiskBytes: readInt(
        env,
        'READY_MIN_FREE_DISK_BYTES',
        512 * 1024 * 1024,
        0,
        Number.MAX_SAFE_INTEGER,
        problems,
      ),
    }),
  };
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(config);
}

/** A config for tests: in-memory database, no workers unless asked, fixed secret. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  // No event-loop-delay refusals in tests: a loaded CI machine must not turn a test's request into a 503 (the pressure
  // test sets its own limits).
  const base = loadConfig({
    DATABASE_PATH: ':memory:',
    DATA_DIR: overrides.dataDir ?? '/tmp/wallet-complaints-test',
    SESSION_SECRET: 'x'.repeat(64),
    LOG_LEVEL: 'silent',
    TEST_CLOCK: '1',
    RATE_LIMITS: 'off',
    WORKERS: '0',
    MAX_EVENT_LOOP_DELAY_MS: '0',
    // Tests move the clock by weeks between requests (deadlines, retention): no idle timeout unless a test sets one.
    SESSION_IDLE_DAYS: '30',
  });
  return Object.freeze({ ...base, ...overrides });
}
