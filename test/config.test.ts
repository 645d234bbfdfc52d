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
      expect(c.uploads).toEqual({ maxFileBytes: 10 * 1024 * 1024, maxFiles: 5, requestMaxBytes: 51 * 1024 * 1024, inflightMaxBytes: 200 * 1024 * 1024 });
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

  it('reads the upload budgets, the per-request one following the per-file cap by default', () => {
    expect(loadConfig({ DATABASE_PATH: ':memory:', UPLOAD_MAX_BYTES: '2048', UPLOAD_MAX_FILES: '2' }).uploads.requestMaxBytes).toBe(2 * 2048 + 1024 * 1024);
    const c = loadConfig({ DATABASE_PATH: ':memory:', UPLOAD_REQUEST_MAX_BYTES: '1048576', UPLOAD_INFLIGHT_MAX_BYTES: '8388608' });
    expect(c.uploads).toMatchObject({ requestMaxBytes: 1048576, inflightMaxBytes: 8388608 });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'], [{ PORT: '70000' }, 'PORT'], [{ TEST_CLOCK: 'maybe' }, 'TEST_CLOCK'], [{ RATE_LIMITS: '2' }, 'RATE_LIMITS'],
    [{ ADMIN_EMAIL: 'a@b.cc' }, 'ADMIN_PASSWORD'], [{ ADMIN_EMAIL: 'nope', ADMIN_PASSWORD: 'long-password' }, 'ADMIN_EMAIL'],
    [{ ADMIN_EMAIL: 'a@b.cc', ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD'], [{ MEILI_URL: 'localhost:7700' }, 'MEILI_URL'],
    [{ SMTP_URL: 'http://x' }, 'SMTP_URL'], [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'], [{ UPLOAD_MAX_FILES: '-1' }, 'UPLOAD_MAX_FILES'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'], [{ UPLOAD_INFLIGHT_MAX_BYTES: 'lots' }, 'UPLOAD_INFLIGHT_MAX_BYTES'],
    [{ UPLOAD_REQUEST_MAX_BYTES: '100' }, 'UPLOAD_REQUEST_MAX_BYTES'],
    [{ UPLOAD_REQUEST_MAX_BYTES: String(300 * 1024 * 1024) }, 'UPLOAD_INFLIGHT_MAX_BYTES'],
  ])('stops on a bad value %j naming %s', (env, name) => {
    expect(() => loadConfig({ DATABASE_PATH: ':memory:', ...env })).toThrow(ConfigError);
    try { loadConfig({ DATABASE_PATH: ':memory:', ...env }); } catch (e) { expect((e as Error).message).toContain(name); }
  });
});
