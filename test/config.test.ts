import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/config.ts';

describe('config', () => {
  it('has working defaults and keeps a generated session secret in DATA_DIR', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wc-cfg-'));
    try {
      const c = loadConfig({ DATA_DIR: dir });
      expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', databasePath: join(dir, 'complaints.sqlite'), testClock: false, rateLimits: true, admin: null, meili: null, smtpUrl: null });
      expect(c.uploads).toEqual({ maxFileBytes: 10 * 1024 * 1024, maxFiles: 5 });
      expect(existsSync(join(dir, 'session-secret'))).toBe(true);
      expect(loadConfig({ DATA_DIR: dir }).sessionSecret).toBe(readFileSync(join(dir, 'session-secret'), 'utf8'));
      expect(Object.isFrozen(c)).toBe(true);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('reads every variable', () => {
    const c = loadConfig({
      DATABASE_PATH: ':memory:', PORT: '8080', HOST: '0.0.0.0', SESSION_SECRET: 's'.repeat(40), ADMIN_EMAIL: 'Root@Example.com', ADMIN_PASSWORD: 'long-password',
      SMTP_URL: 'smtp://127.0.0.1:2525', MEILI_URL: 'http://127.0.0.1:7700', MEILI_KEY: 'k', TEST_CLOCK: '1', RATE_LIMITS: 'off',
      UPLOAD_MAX_BYTES: '2048', UPLOAD_MAX_FILES: '2', LOG_LEVEL: 'warn',
    });
    expect(c).toMatchObject({ port: 8080, host: '0.0.0.0', admin: { email: 'root@example.com' }, smtpUrl: 'smtp://127.0.0.1:2525',
      meili: { url: 'http://127.0.0.1:7700', key: 'k' }, testClock: true, rateLimits: false, uploads: { maxFileBytes: 2048, maxFiles: 2 }, logLevel: 'warn' });
  });

  it('bounds slow clients, overload and shutdown by default, and trusts no proxy', () => {
    const c = loadConfig({ DATABASE_PATH: ':memory:' });
    expect(c.http).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 600_000, idleTimeoutMs: 60_000, keepAliveTimeoutMs: 5_000, maxConnectionsPerIp: 64, shutdownGraceMs: 10_000 });
    // Five 10 MB attachments at 1 Mbit/s (125,000 bytes/s) fit the whole-request timeout.
    expect((5 * c.uploads.maxFileBytes) / 125_000 * 1000).toBeLessThan(c.http.requestTimeoutMs);
    expect(c.trustProxy).toBe(false);
    expect(c.pressure.maxEventLoopDelayMs).toBe(500);
    expect(c.pressure.maxHeapUsedBytes).toBeGreaterThan(0);
    expect(c.pressure.maxRssBytes).toBe(0);
    expect(c.readiness).toEqual({ minFreeDiskBytes: 512 * 1024 * 1024 });
  });

  it('reads the timeouts, the connection cap, the overload limits and the readiness threshold', () => {
    const c = loadConfig({ DATABASE_PATH: ':memory:', HEADERS_TIMEOUT_MS: '5000', REQUEST_TIMEOUT_MS: '120000', IDLE_TIMEOUT_MS: '20000',
      KEEPALIVE_TIMEOUT_MS: '3000', MAX_CONNECTIONS_PER_IP: '0', SHUTDOWN_GRACE_MS: '2500', MAX_EVENT_LOOP_DELAY_MS: '0',
      MAX_HEAP_USED_BYTES: '1000000000', MAX_RSS_BYTES: '2000000000', READY_MIN_FREE_DISK_BYTES: '1048576' });
    expect(c.http).toEqual({ headersTimeoutMs: 5000, requestTimeoutMs: 120_000, idleTimeoutMs: 20_000, keepAliveTimeoutMs: 3000, maxConnectionsPerIp: 0, shutdownGraceMs: 2500 });
    expect(c.pressure).toEqual({ maxEventLoopDelayMs: 0, maxHeapUsedBytes: 1e9, maxRssBytes: 2e9 });
    expect(c.readiness.minFreeDiskBytes).toBe(1048576);
  });

  it.each([
    ['off', false], ['false', false], ['0', false], ['true', true], ['on', true], ['2', 2],
    ['127.0.0.1', ['127.0.0.1']], [' 10.0.0.0/8, ::1 ,loopback', ['10.0.0.0/8', '::1', 'loopback']],
  ])('reads TRUST_PROXY=%j', (raw, expected) => {
    expect(loadConfig({ DATABASE_PATH: ':memory:', TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'], [{ PORT: '70000' }, 'PORT'], [{ TEST_CLOCK: 'maybe' }, 'TEST_CLOCK'], [{ RATE_LIMITS: '2' }, 'RATE_LIMITS'],
    [{ ADMIN_EMAIL: 'a@b.cc' }, 'ADMIN_PASSWORD'], [{ ADMIN_EMAIL: 'nope', ADMIN_PASSWORD: 'long-password' }, 'ADMIN_EMAIL'],
    [{ ADMIN_EMAIL: 'a@b.cc', ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD'], [{ MEILI_URL: 'localhost:7700' }, 'MEILI_URL'],
    [{ SMTP_URL: 'http://x' }, 'SMTP_URL'], [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'], [{ UPLOAD_MAX_FILES: '-1' }, 'UPLOAD_MAX_FILES'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ HEADERS_TIMEOUT_MS: '10s' }, 'HEADERS_TIMEOUT_MS'], [{ REQUEST_TIMEOUT_MS: '0' }, 'REQUEST_TIMEOUT_MS'],
    [{ HEADERS_TIMEOUT_MS: '20000', REQUEST_TIMEOUT_MS: '10000' }, 'HEADERS_TIMEOUT_MS'], [{ IDLE_TIMEOUT_MS: '-5' }, 'IDLE_TIMEOUT_MS'],
    [{ KEEPALIVE_TIMEOUT_MS: 'forever' }, 'KEEPALIVE_TIMEOUT_MS'], [{ MAX_CONNECTIONS_PER_IP: '-1' }, 'MAX_CONNECTIONS_PER_IP'],
    [{ SHUTDOWN_GRACE_MS: '1.5' }, 'SHUTDOWN_GRACE_MS'], [{ TRUST_PROXY: 'nginx' }, 'TRUST_PROXY'], [{ TRUST_PROXY: '10.0.0.1,banana' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '99' }, 'TRUST_PROXY'], [{ MAX_EVENT_LOOP_DELAY_MS: 'x' }, 'MAX_EVENT_LOOP_DELAY_MS'],
    [{ MAX_HEAP_USED_BYTES: '-1' }, 'MAX_HEAP_USED_BYTES'], [{ MAX_RSS_BYTES: '2 GB' }, 'MAX_RSS_BYTES'],
    [{ READY_MIN_FREE_DISK_BYTES: 'lots' }, 'READY_MIN_FREE_DISK_BYTES'],
  ])('stops on a bad value %j naming %s', (env, name) => {
    expect(() => loadConfig({ DATABASE_PATH: ':memory:', ...env })).toThrow(ConfigError);
    try { loadConfig({ DATABASE_PATH: ':memory:', ...env }); } catch (e) { expect((e as Error).message).toContain(name); }
  });
});
