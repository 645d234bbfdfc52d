// Request logs name the route and the query's keys; a reader's search words, cookies and ids stay out of them.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
afterEach(async () => {
  await t.close();
});

function logCapture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('request log', () => {
  it('records method, route pattern and query keys, never the phone number searched for or the cookie', async () => {
    const log = logCapture();
    t = await makeApp(
      { logLevel: 'info', pressure: { maxEventLoopDelayMs: 0, maxHeapUsedBytes: 0, maxRssBytes: 0 } },
      { logStream: log.stream },
    );
    const cookie = 'sid=s%3Asecret-session-value-9f8e7d; other=also-secret-77';
    for (const url of [
      '/cases?q=15011112222&provider=alipay',
      '/api/v1/cases?q=15011112222',
      '/api/v1/cases/15011112222?q=15011112222',
      '/no-such-page/15011112222?q=15011112222',
    ]) {
      const res = await t.app.inject({
        method: 'GET',
        url,
        headers: { cookie, authorization: 'Bearer token-abc-123' },
      });
      expect(res.statusCode).toBeLessThan(500);
    }
    const text = log.lines.join('\n');
    expect(text).not.toContain('15011112222');
    expect(text).not.toContain('secret-session-value');
    expect(text).not.toContain('also-secret-77');
    expect(text).not.toContain('token-abc-123');
    const requests = log
      .records()
      .filter((r) => r.msg === 'incoming request')
      .map((r) => r.req);
    expect(requests).toEqual([
      { method: 'GET', route: '/cases', queryKeys: ['q', 'provider'] },
      { method: 'GET', route: '/api/v1/cases', queryKeys: ['q'] },
      { method: 'GET', route: '/api/v1/cases/:id', queryKeys: ['q'] },
      { method: 'GET', route: '(no route)', queryKeys: ['q'] },
    ]);
  });

  it('warns at start when there is no SMTP_URL: mail is only logged locally', async () => {
    const log = logCapture();
    t = await makeApp({ logLevel: 'info', smtpUrl: null }, { logStream: log.stream });
    const warning = log.records().find((r) => r.level === 40 && String(r.msg).includes('SMTP_URL is not set'));
    expect(warning).toMatchObject({ mailLog: `${t.dataDir}/mail-outbox.log` });
  });

  it('does not warn when SMTP_URL is set', async () => {
    const log = logCapture();
    t = await makeApp({ logLevel: 'info', smtpUrl: 'smtp://127.0.0.1:2525' }, { logStream: log.stream });
    expect(log.records().some((r) => String(r.msg).includes('SMTP_URL is not set'))).toBe(false);
  });
});
