// Files under DATA_DIR hold complaints, contact details and attachments: they are the service user's alone.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { consumer } from '../helpers/factories.ts';
import { png } from '../helpers/files.ts';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

const mode = (path: string) => statSync(path).mode & 0o777;

describe('file modes', () => {
  it('database, WAL, shared memory, session secret, attachments and the mail log are 0600; the dirs made for them 0700', async () => {
    // Files created under a permissive umask still come out private: the modes are set, not inherited.
    const previous = process.umask(0o022);
    const root = mkdtempSync(join(tmpdir(), 'wc-modes-'));
    try {
      // DATA_DIR read as main.ts reads it: a database file, a generated session secret, uploads beside them.
      const config = loadConfig({
        DATA_DIR: join(root, 'data'),
        LOG_LEVEL: 'silent',
        TEST_CLOCK: '1',
        RATE_LIMITS: 'off',
        WORKERS: '0',
        MAX_EVENT_LOOP_DELAY_MS: '0',
        MAX_HEAP_USED_BYTES: '0',
      });
      t = await makeApp({ ...config, smtpUrl: null });
      const dir = config.dataDir;
      expect(mode(dir)).toBe(0o700);
      expect(mode(join(dir, 'session-secret'))).toBe(0o600);
      for (const f of ['complaints.sqlite', 'complaints.sqlite-wal', 'complaints.sqlite-shm'])
        expect(mode(join(dir, f))).toBe(0o600);

      const c = await consumer(t.app);
      const res = await c.multipart(
        '/api/v1/complaints',
        {
          provider: '某某小钱包',
          category: 'account-frozen',
          title: '账户被冻结无法提现',
          description: '账户突然被冻结，客服一直说在核实，已经一周了。',
          demands: 'unfreeze',
          consent: 'public',
        },
        [{ filename: '冻结通知.png', data: png(), type: 'image/png' }],
      );
      expect(res.statusCode, res.body).toBe(201);
      const stored = t.app.sqlite.prepare('SELECT sha256 AS key FROM attachments').all() as { key: string }[];
      expect(stored).toHaveLength(1);
      expect(mode(config.uploadDir)).toBe(0o700);
      expect(mode(join(config.uploadDir, stored[0]!.key.slice(0, 2)))).toBe(0o700);
      expect(mode(join(config.uploadDir, stored[0]!.key.slice(0, 2), stored[0]!.key))).toBe(0o600);

      await t.app.mailer.send({ to: 'someone@example.com', subject: '测试', text: '正文', key: 'mode-test' });
      expect(mode(join(dir, 'mail-outbox.log'))).toBe(0o600);
    } finally {
      process.umask(previous);
      await t?.app.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
