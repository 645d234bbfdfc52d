import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/config.ts';
import { canMount, mountTmpfs, type Tmpfs } from './helpers/tmpfs.ts';

describe('config', () => {
  it('has working defaults and keeps a generated session secret in DATA_DIR', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wc-cfg-'));
    try {
      const c = loadConfig({ DATA_DIR: dir });
      expect(c).toMatchObject({
        port: 3000,
        host: '127.0.0.1',
        databasePath: join(dir, 'complaints.sqlite'),
        testClock: false,
        rateLimits: true,
        admin: null,
        meili: null,
        smtpUrl: null,
      });
      expect(c.uploads).toEqual({
        maxFileBytes: 10 * 1024 * 1024,
        maxFiles: 5,
        requestMaxBytes: 51 * 1024 * 1024,
        inflightMaxBytes: 200 * 1024 * 1024,
      });
      expect(existsSync(join(dir, 'session-secret'))).toBe(true);
      expect(loadConfig({ DATA_DIR: dir }).sessionSecret).toBe(readFileSync(join(dir, 'session-secret'), 'utf8'));
      expect(Object.isFrozen(c)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads every variable', () => {
    const c = loadConfig({
      DATABASE_PATH: ':memory:',
      PORT: '8080',
      HOST: '0.0.0.0',
      SESSION_SECRET: 's'.repeat(40),
      ADMIN_EMAIL: 'Root@Example.com',
      ADMIN_PASSWORD: 'long-password',
      SMTP_URL: 'smtp://127.0.0.1:2525',
      MEILI_URL: 'http://127.0.0.1:7700',
      MEILI_KEY: 'k',
      TEST_CLOCK: '1',
      RATE_LIMITS: 'off',
      UPLOAD_MAX_BYTES: '2048',
      UPLOAD_MAX_FILES: '2',
      LOG_LEVEL: 'warn',
    });
    expect(c).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      admin: { email: 'root@example.com' },
      smtpUrl: 'smtp://127.0.0.1:2525',
      meili: { url: 'http://127.0.0.1:7700', key: 'k' },
      testClock: true,
      rateLimits: false,
      uploads: { maxFileBytes: 2048, maxFiles: 2 },
      logLevel: 'warn',
    });
  });

  it('bounds slow clients, overload and shutdown by default, and trusts no proxy', () => {
    const c = loadConfig({ DATABASE_PATH: ':memory:' });
    expect(c.http).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 600_000,
      idleTimeoutMs: 60_000,
      keepAliveTimeoutMs: 5_000,
      maxConnectionsPerIp: 64,
      shutdownGraceMs: 10_000,
    });
    // Five 10 MB attachments at 1 Mbit/s (125,000 bytes/s) fit the whole-request timeout.
    expect(((5 * c.uploads.maxFileBytes) / 125_000) * 1000).toBeLessThan(c.http.requestTimeoutMs);
    expect(c.trustProxy).toBe(false);
    expect(c.pressure.maxEventLoopDelayMs).toBe(500);
    expect(c.pressure.maxHeapUsedBytes).toBeGreaterThan(0);
    expect(c.pressure.maxRssBytes).toBe(0);
    expect(c.readiness).toEqual({ minFreeDiskBytes: 512 * 1024 * 1024 });
  });

  it('reads the timeouts, the connection cap, the overload limits and the readiness threshold', () => {
    const c = loadConfig({
      DATABASE_PATH: ':memory:',
      HEADERS_TIMEOUT_MS: '5000',
      REQUEST_TIMEOUT_MS: '120000',
      IDLE_TIMEOUT_MS: '20000',
      KEEPALIVE_TIMEOUT_MS: '3000',
      MAX_CONNECTIONS_PER_IP: '0',
      SHUTDOWN_GRACE_MS: '2500',
      MAX_EVENT_LOOP_DELAY_MS: '0',
      MAX_HEAP_USED_BYTES: '1000000000',
      MAX_RSS_BYTES: '2000000000',
      READY_MIN_FREE_DISK_BYTES: '1048576',
    });
    expect(c.http).toEqual({
      headersTimeoutMs: 5000,
      requestTimeoutMs: 120_000,
      idleTimeoutMs: 20_000,
      keepAliveTimeoutMs: 3000,
      maxConnectionsPerIp: 0,
      shutdownGraceMs: 2500,
    });
    expect(c.pressure).toEqual({ maxEventLoopDelayMs: 0, maxHeapUsedBytes: 1e9, maxRssBytes: 2e9 });
    expect(c.readiness.minFreeDiskBytes).toBe(1048576);
  });

  it.each([
    ['off', false],
    ['false', false],
    ['0', false],
    ['true', true],
    ['on', true],
    ['2', 2],
    ['127.0.0.1', ['127.0.0.1']],
    [' 10.0.0.0/8, ::1 ,loopback', ['10.0.0.0/8', '::1', 'loopback']],
  ])('reads TRUST_PROXY=%j', (raw, expected) => {
    expect(loadConfig({ DATABASE_PATH: ':memory:', TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  it('reads the search warm-up switch and slice length', () => {
    expect(loadConfig({ DATABASE_PATH: ':memory:' }).searchWarm).toEqual({ enabled: true, sliceMs: 4 });
    expect(
      loadConfig({ DATABASE_PATH: ':memory:', SEARCH_WARM: 'off', SEARCH_WARM_SLICE_MS: '10' }).searchWarm,
    ).toEqual({ enabled: false, sliceMs: 10 });
  });

  it('reads the upload budgets, the per-request one following the per-file cap by default', () => {
    expect(
      loadConfig({ DATABASE_PATH: ':memory:', UPLOAD_MAX_BYTES: '2048', UPLOAD_MAX_FILES: '2' }).uploads
        .requestMaxBytes,
    ).toBe(2 * 2048 + 1024 * 1024);
    const c = loadConfig({
      DATABASE_PATH: ':memory:',
      UPLOAD_REQUEST_MAX_BYTES: '1048576',
      UPLOAD_INFLIGHT_MAX_BYTES: '8388608',
    });
    expect(c.uploads).toMatchObject({ requestMaxBytes: 1048576, inflightMaxBytes: 8388608 });
  });

  it('reads the default deadlines (24 h / 48 h unless set)', () => {
    expect(loadConfig({ DATABASE_PATH: ':memory:' }).slaDefaults).toEqual({
      firstResponseHours: 24,
      resolutionHours: 48,
    });
    expect(
      loadConfig({ DATABASE_PATH: ':memory:', SLA_FIRST_RESPONSE_HOURS: '8', SLA_RESOLUTION_HOURS: '30' }).slaDefaults,
    ).toEqual({ firstResponseHours: 8, resolutionHours: 30 });
  });

  it('reads the decoded-pixel cap of an uploaded image, 40 million by default', () => {
    expect(loadConfig({ DATABASE_PATH: ':memory:' }).uploadMaxPixels).toBe(40_000_000);
    expect(loadConfig({ DATABASE_PATH: ':memory:', UPLOAD_MAX_PIXELS: '1000000' }).uploadMaxPixels).toBe(1_000_000);
  });

  it.each([
    [{ SLA_FIRST_RESPONSE_HOURS: '0' }, 'SLA_FIRST_RESPONSE_HOURS'],
    [{ SLA_RESOLUTION_HOURS: 'two days' }, 'SLA_RESOLUTION_HOURS'],
    [{ SLA_FIRST_RESPONSE_HOURS: '30', SLA_RESOLUTION_HOURS: '20' }, 'SLA_RESOLUTION_HOURS'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ TEST_CLOCK: 'maybe' }, 'TEST_CLOCK'],
    [{ RATE_LIMITS: '2' }, 'RATE_LIMITS'],
    [{ ADMIN_EMAIL: 'a@b.cc' }, 'ADMIN_PASSWORD'],
    [{ ADMIN_EMAIL: 'nope', ADMIN_PASSWORD: 'long-password' }, 'ADMIN_EMAIL'],
    [{ ADMIN_EMAIL: 'a@b.cc', ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD'],
    [{ MEILI_URL: 'localhost:7700' }, 'MEILI_URL'],
    [{ SMTP_URL: 'http://x' }, 'SMTP_URL'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    [{ UPLOAD_MAX_FILES: '-1' }, 'UPLOAD_MAX_FILES'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ HEADERS_TIMEOUT_MS: '10s' }, 'HEADERS_TIMEOUT_MS'],
    [{ REQUEST_TIMEOUT_MS: '0' }, 'REQUEST_TIMEOUT_MS'],
    [{ HEADERS_TIMEOUT_MS: '20000', REQUEST_TIMEOUT_MS: '10000' }, 'HEADERS_TIMEOUT_MS'],
    [{ IDLE_TIMEOUT_MS: '-5' }, 'IDLE_TIMEOUT_MS'],
    [{ KEEPALIVE_TIMEOUT_MS: 'forever' }, 'KEEPALIVE_TIMEOUT_MS'],
    [{ MAX_CONNECTIONS_PER_IP: '-1' }, 'MAX_CONNECTIONS_PER_IP'],
    [{ SHUTDOWN_GRACE_MS: '1.5' }, 'SHUTDOWN_GRACE_MS'],
    [{ TRUST_PROXY: 'nginx' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.1,banana' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '99' }, 'TRUST_PROXY'],
    [{ MAX_EVENT_LOOP_DELAY_MS: 'x' }, 'MAX_EVENT_LOOP_DELAY_MS'],
    [{ MAX_HEAP_USED_BYTES: '-1' }, 'MAX_HEAP_USED_BYTES'],
    [{ MAX_RSS_BYTES: '2 GB' }, 'MAX_RSS_BYTES'],
    [{ READY_MIN_FREE_DISK_BYTES: 'lots' }, 'READY_MIN_FREE_DISK_BYTES'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ SEARCH_WARM: 'later' }, 'SEARCH_WARM'],
    [{ SEARCH_WARM_SLICE_MS: '0' }, 'SEARCH_WARM_SLICE_MS'],
    [{ SEARCH_WARM_SLICE_MS: '2.5' }, 'SEARCH_WARM_SLICE_MS'],
    [{ UPLOAD_INFLIGHT_MAX_BYTES: 'lots' }, 'UPLOAD_INFLIGHT_MAX_BYTES'],
    [{ UPLOAD_REQUEST_MAX_BYTES: '100' }, 'UPLOAD_REQUEST_MAX_BYTES'],
    [{ UPLOAD_MAX_PIXELS: '0' }, 'UPLOAD_MAX_PIXELS'],
    [{ UPLOAD_MAX_PIXELS: '40M' }, 'UPLOAD_MAX_PIXELS'],
    [{ UPLOAD_REQUEST_MAX_BYTES: String(300 * 1024 * 1024) }, 'UPLOAD_INFLIGHT_MAX_BYTES'],
  ])('stops on a bad value %j naming %s', (env, name) => {
    expect(() => loadConfig({ DATABASE_PATH: ':memory:', ...env })).toThrow(ConfigError);
    try {
      loadConfig({ DATABASE_PATH: ':memory:', ...env });
    } catch (e) {
      expect((e as Error).message).toContain(name);
    }
  });

  it('reads the retention of finished outbox rows and mail log lines (days), default 30, and stops on bad ones', () => {
    expect(loadConfig({ DATABASE_PATH: ':memory:' }).outbox.retentionDays).toBe(30);
    expect(loadConfig({ DATABASE_PATH: ':memory:', OUTBOX_RETENTION_DAYS: '7' }).outbox.retentionDays).toBe(7);
    for (const bad of ['0', '-1', '2.5', 'month', '3651']) {
      expect(() => loadConfig({ DATABASE_PATH: ':memory:', OUTBOX_RETENTION_DAYS: bad })).toThrow(
        'OUTBOX_RETENTION_DAYS',
      );
    }
  });

  it('reads the open-data export settings, with defaults, and stops on bad ones', () => {
    expect(loadConfig({ DATABASE_PATH: ':memory:' }).exports).toEqual({
      rebuildMs: 300_000,
      maxRows: 50_000,
      downloadBytesPerSecond: 20_000_000,
    });
    expect(
      loadConfig({
        DATABASE_PATH: ':memory:',
        EXPORT_REBUILD_MS: '60000',
        EXPORT_MAX_ROWS: '1000',
        EXPORT_DOWNLOAD_BYTES_PER_SECOND: '0',
      }).exports,
    ).toEqual({ rebuildMs: 60_000, maxRows: 1000, downloadBytesPerSecond: 0 });
    for (const [env, name] of [
      [{ EXPORT_REBUILD_MS: '10' }, 'EXPORT_REBUILD_MS'],
      [{ EXPORT_REBUILD_MS: 'soon' }, 'EXPORT_REBUILD_MS'],
      [{ EXPORT_MAX_ROWS: '0' }, 'EXPORT_MAX_ROWS'],
      [{ EXPORT_MAX_ROWS: '2000001' }, 'EXPORT_MAX_ROWS'],
      [{ EXPORT_DOWNLOAD_BYTES_PER_SECOND: '-1' }, 'EXPORT_DOWNLOAD_BYTES_PER_SECOND'],
      [{ EXPORT_DOWNLOAD_BYTES_PER_SECOND: 'fast' }, 'EXPORT_DOWNLOAD_BYTES_PER_SECOND'],
    ] as const) {
      expect(() => loadConfig({ DATABASE_PATH: ':memory:', ...env })).toThrow(name);
    }
  });
});

describe('config: session secret file', () => {
  const withDir = (fn: (dir: string) => void) => {
    const dir = mkdtempSync(join(tmpdir(), 'wc-cfg-'));
    try {
      fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const problemOf = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error('loadConfig accepted it');
  };

  it('is written atomically with mode 0600 and leaves no temp or probe file behind', () =>
    withDir((dir) => {
      const secret = loadConfig({ DATA_DIR: dir }).sessionSecret;
      expect(secret.length).toBeGreaterThanOrEqual(32);
      expect(statSync(join(dir, 'session-secret')).mode & 0o777).toBe(0o600);
      expect(readdirSync(dir).sort()).toEqual(['session-secret', 'uploads']);
    }));

  it.each([
    ['empty', '', 'is empty'],
    ['only whitespace', '  \n', 'is empty'],
    ['short', 'abc123', 'too short (6 characters'],
  ])('refuses a kept secret that is %s, naming the file and what to do', (_label, content, says) =>
    withDir((dir) => {
      writeFileSync(join(dir, 'session-secret'), content);
      const message = problemOf({ DATA_DIR: dir });
      expect(message).toContain(join(dir, 'session-secret'));
      expect(message).toContain(says);
      expect(message).toContain('delete it to generate a new one');
      expect(message).toContain('SESSION_SECRET');
      expect(loadConfig({ DATA_DIR: dir, SESSION_SECRET: 'z'.repeat(40) }).sessionSecret).toBe('z'.repeat(40)); // the other way out
    }),
  );

  it('refuses an unreadable secret file', () =>
    withDir((dir) => {
      mkdirSync(join(dir, 'session-secret')); // root reads any file, so a directory in its place stands for "unreadable"
      const message = problemOf({ DATA_DIR: dir });
      expect(message).toContain(`session secret file ${join(dir, 'session-secret')} cannot be read (EISDIR)`);
    }));
});

describe.skipIf(!canMount)('config: a full or read-only data directory at start', () => {
  let fs: Tmpfs;
  beforeEach(() => {
    fs = mountTmpfs(2048)!;
  });
  afterEach(() => fs.unmount());

  it('a full disk stops the start naming the directory, and leaves no empty secret file', () => {
    fs.fill();
    const dataDir = join(fs.dir, 'data');
    expect(() => loadConfig({ DATA_DIR: fs.dir })).toThrow(ConfigError);
    try {
      loadConfig({ DATA_DIR: dataDir });
    } catch (e) {
      expect((e as Error).message).toContain(`DATA_DIR ${dataDir} is not writable: the disk is full (ENOSPC)`);
    }
    expect(existsSync(join(fs.dir, 'session-secret'))).toBe(false);
    expect(
      readdirSync(fs.dir, { recursive: true, withFileTypes: true })
        .filter((f) => f.isFile())
        .map((f) => f.name),
    ).toEqual(['filler']); // no probe, temp or empty secret
  });

  it('a read-only data directory stops the start naming the directory', () => {
    fs.readOnly();
    try {
      loadConfig({ DATA_DIR: fs.dir });
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as Error).message).toContain(
        `DATA_DIR ${fs.dir} is not writable: the file system is read-only (EROFS)`,
      );
    }
  });

  it('npm start on a full disk exits 1 with the message, not a stack trace', () => {
    fs.fill();
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, DATA_DIR: fs.dir, PORT: '0', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`DATA_DIR ${fs.dir} is not writable: the disk is full (ENOSPC)`);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
