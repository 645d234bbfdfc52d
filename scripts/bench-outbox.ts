// Outbox throughput: deliveries per second through app.outbox.drain() to a webhook receiver in a separate process on
// loopback (so the receiver does not share this event loop), plus the cost of planning and of an idle claim.
// Usage: npx tsx scripts/bench-outbox.ts [--count 2000] [--batch 20]
import { systemCtx } from '../server/lib/ctx.ts';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { complaints } from '../server/modules/complaints/schema.ts';
import { users } from '../server/modules/accounts/schema.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '2000' },
    batch: { type: 'string', default: '20' },
    receiver: { type: 'boolean', default: false },
  },
});

// Child mode: a minimal receiver that answers 200 to every POST.
if (values.receiver) {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end('ok'));
  });
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as { port: number }).port }));
} else {
  const count = Number(values.count);
  const batch = Number(values.batch);
  const dir = mkdtempSync(join(tmpdir(), 'bench-outbox-'));
  const receiver = fork(new URL(import.meta.url).pathname, ['--receiver'], { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((r) => receiver.once('message', (m: { port: number }) => r(m.port)));
  const base = loadConfig({
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    RATE_LIMITS: 'off',
    WORKERS: '0',
    SESSION_SECRET: 'b'.repeat(64),
  });
  const app = await buildApp({ ...base, outbox: { ...base.outbox, batchSize: batch } });
  await app.ready();
  try {
    const ctx = systemCtx(app.clock);
    const provider = app.providers.create(ctx, {
      slug: 'bench-pay',
      name: '压测支付',
      channels: { webhook: { url: `http://127.0.0.1:${port}/hook`, secret: 'whsec_0123456789abcdef' } },
    });
    const now = Date.now();
    const user = app.db
      .insert(users)
      .values({
        email: 'bench@example.com',
        passwordHash: 'x',
        displayName: '压测',
        role: 'consumer',
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    const ids = app.db.transaction((tx) =>
      Array.from(
        { length: count },
        (_, i) =>
          tx
            .insert(complaints)
            .values({
              reference: `BENCH-${i}`,
              userId: user.id,
              providerId: provider.id,
              category: 'refund-pending',
              title: `压测投诉 ${i}`,
              description: '我在11月1日申请了退款，商家已经同意，但一直显示处理中。',
              demands: ['refund'],
              amountFen: 100,
              consent: 'public',
              status: 'forwarded',
              createdAt: now,
              updatedAt: now,
            })
            .returning({ id: complaints.id })
            .get().id,
      ),
    );

    let t0 = performance.now();
    app.db.transaction((tx) => {
      for (const id of ids) app.forwarding.planDeliveries(tx, ctx, id);
    });
    const planMs = performance.now() - t0;

    t0 = performance.now();
    const sent = await app.outbox.drain();
    const drainMs = performance.now() - t0;
    const done = app.sqlite
      .prepare("SELECT count(*) FROM outbox WHERE channel = 'webhook' AND status = 'done'")
      .pluck()
      .get() as number;

    const idle: number[] = [];
    for (let i = 0; i < 200; i++) {
      const s = performance.now();
      app.outbox.worker.claim(batch);
      idle.push(performance.now() - s);
    }
    idle.sort((a, b) => a - b);

    console.log(
      `complaints planned:            ${count} (portal + webhook each) in ${planMs.toFixed(0)} ms (${((count / planMs) * 1000).toFixed(0)}/s, one transaction)`,
    );
    console.log(
      `webhook deliveries via drain(): ${sent} sent, ${done} done in ${drainMs.toFixed(0)} ms = ${((sent / drainMs) * 1000).toFixed(0)} deliveries/s (batch ${batch})`,
    );
    console.log(
      `idle claim (nothing due, ${app.sqlite.prepare('SELECT count(*) FROM outbox').pluck().get()} rows): p50 ${idle[100]!.toFixed(3)} ms, p99 ${idle[198]!.toFixed(3)} ms`,
    );
    if (done !== count) {
      console.error(`expected ${count} done, got ${done}`);
      process.exitCode = 1;
    }
  } finally {
    await app.close();
    receiver.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
