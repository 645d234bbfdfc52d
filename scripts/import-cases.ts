// Bulk import of the shared generator's cases (node ../shared/bench/gen-cases.mjs --count N > cases.jsonl) as real
// complaints of a demo consumer: providers the directory does not know become unverified entries; each case gets the
// timeline the lifecycle would have written (approval, first answer, breaches, resolution, confirmation or closing),
// its public_cases row (through toPublicCase) and its scorecard contribution. Batched transactions and prepared
// statements; the search index is built at the end with a progress bar. Importing the same file again skips the
// cases already there (their reference is GEN-<id>).
//
//   npm run import:cases -- cases.jsonl [--batch 5000] [--no-index]
import { systemCtx } from '../server/lib/ctx.ts';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { getTableColumns, type Table } from 'drizzle-orm';
import { ConfigError, loadConfig, type Config } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { systemClock } from '../server/lib/clock.ts';
import { hashPassword } from '../server/modules/accounts/password.ts';
import { complaints, type Complaint, type ComplaintEvent } from '../server/modules/complaints/schema.ts';
import { providerService } from '../server/modules/providers/service.ts';
import { providers, type Provider } from '../server/modules/providers/schema.ts';
import { checkGenerated, generatedComplaint } from '../server/modules/board/generated-case.ts';
import { deadlinePolicy } from '../server/modules/sla/policy.ts';
import { chinaDayStart } from '../server/lib/china-time.ts';
import { toPublicCase } from '../server/modules/board/public-case.ts';
import { reindexTo } from './reindex.ts';
import { contributionOf } from '../server/modules/board/stats.ts';
import { rebuildAggregates } from '../server/modules/board/stats-store.ts';
import { ProgressBar } from './progress-bar.ts';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { batch: { type: 'string' }, 'no-index': { type: 'boolean' } },
});
const file = positionals[0];
const BATCH = Number(args.batch ?? 5000);
if (!file || (file !== '-' && !existsSync(file))) {
  console.error(
    'usage: npm run import:cases -- <cases.jsonl | -> [--batch 5000] [--no-index]\n  make one with: node ../shared/bench/gen-cases.mjs --count 100000 > cases.jsonl',
  );
  process.exit(2);
}

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
const { sqlite, db } = openDatabase(config.databasePath);
const policy = deadlinePolicy(config);
sqlite.pragma('cache_size = -262144');
const ctx = systemCtx(systemClock);
const directory = providerService(db);
directory.seed(ctx);

/** An INSERT for a drizzle table taking an object keyed by its TypeScript field names. */
function inserter<T extends Table>(table: T, name: string, verb = 'INSERT') {
  // Generated columns (the merchant inbox's keys) are computed by SQLite and cannot be written.
  const cols = (Object.entries(getTableColumns(table)) as [string, { name: string; generated?: unknown }][]).filter(
    ([, c]) => !c.generated,
  );
  const stmt = sqlite.prepare(
    `${verb} INTO ${name} (${cols.map(([, c]) => `"${c.name}"`).join(', ')}) VALUES (${cols.map(([k]) => `@${k}`).join(', ')})`,
  );
  return (row: Record<string, unknown>) => {
    const params: Record<string, unknown> = {};
    for (const [k] of cols) {
      const v = row[k];
      params[k] =
        v === undefined
          ? null
          : typeof v === 'boolean'
            ? v
              ? 1
              : 0
            : v !== null && typeof v === 'object'
              ? JSON.stringify(v)
              : v;
    }
    return stmt.run(params);
  };
}

const insertComplaint = inserter(complaints, 'complaints', 'INSERT OR IGNORE');
const insertEvent =
  sqlite.prepare(`INSERT INTO complaint_events (complaint_id, type, actor_role, actor_id, body, status, data, internal, created_at)
  VALUES (?, ?, ?, NULL, ?, ?, ?, 0, ?)`);
const insertPublic =
  sqlite.prepare(`INSERT OR REPLACE INTO public_cases (complaint_id, provider_id, category, status, amount_fen, filed_at, overdue,
  resolved, refunded, resolution_days, doc, version, published_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`);
const insertStats =
  sqlite.prepare(`INSERT OR REPLACE INTO case_stats (complaint_id, provider_id, month, forwarded, replied, first_response_decided,
  first_response_on_time, first_response_tenths, finished, resolved, rating_points, rating_parts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);

async function demoConsumer() {
  const email = 'demo-consumer@example.invalid';
  const found = sqlite.prepare('SELECT id, email, display_name AS displayName FROM users WHERE email = ?').get(email) as
    | { id: number; email: string; displayName: string }
    | undefined;
  if (found) return found;
  // Nobody knows the password: the account exists only to own the imported cases.
  const now = Date.now();
  const id = sqlite
    .prepare(
      `INSERT INTO users (email, password_hash, display_name, real_name, role, created_at, updated_at) VALUES (?, ?, ?, NULL, 'consumer', ?, ?)`,
    )
    .run(email, await hashPassword(randomBytes(24).toString('hex')), '演示用户', now, now).lastInsertRowid as number;
  return { id, email, displayName: '演示用户' };
}

const bySlug = new Map<string, Provider>(directory.all().map((p) => [p.slug, p]));
function providerFor(slug: string, name: string): Provider {
  let p = bySlug.get(slug);
  if (!p) {
    const now = Date.now();
    p = db
      .insert(providers)
      .values({
        slug,
        name,
        aliases: [],
        hotline: null,
        contactSource: '批量导入的演示数据，客服电话待核实',
        lastVerifiedAt: null,
        verified: false,
        website: null,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    bySlug.set(slug, p);
  }
  return p;
}

async function main() {
  const consumer = await demoConsumer();
  const source = { realName: null, displayName: consumer.displayName, email: consumer.email, phone: null };
  const total = file === '-' ? null : Math.round(statSync(file!).size / 560); // about 560 bytes a line, for the ETA only
  const bar = new ProgressBar('导入案例', total);
  let imported = 0;
  let skipped = 0;
  let line = 0;
  let publicMs = 0;
  let textBytes = 0;
  let pending: string[] = [];

  const writeBatch = sqlite.transaction((lines: string[], firstLine: number) => {
    lines.forEach((text, i) => {
      let rec: ReturnType<typeof checkGenerated>;
      try {
        rec = checkGenerated(JSON.parse(text));
      } catch (err) {
        throw new Error(`line ${firstLine + i}: ${(err as Error).message}`);
      }
      const p = providerFor(rec.provider, rec.providerName);
      const { complaint: c, events } = generatedComplaint(rec, policy.forCategory(rec.category));
      const res = insertComplaint({ ...c, userId: consumer.id, providerId: p.id });
      if (res.changes === 0) {
        skipped++;
        return;
      }
      const id = Number(res.lastInsertRowid);
      const complaint = { ...c, id, userId: consumer.id, providerId: p.id } as Complaint;
      const rows: ComplaintEvent[] = events.map((e) => {
        const r = insertEvent.run(
          id,
          e.type,
          e.actorRole,
          e.body,
          e.status,
          e.data ? JSON.stringify(e.data) : null,
          e.createdAt,
        );
        return { ...e, id: Number(r.lastInsertRowid), complaintId: id };
      });
      const t0 = performance.now();
      const doc = toPublicCase({
        complaint,
        provider: p,
        consumer: source,
        events: rows,
        attachmentNames: [],
        secret: config.sessionSecret,
      });
      publicMs += performance.now() - t0;
      textBytes +=
        Buffer.byteLength(c.title) +
        Buffer.byteLength(c.description) +
        rows.reduce((s, e) => s + (e.body ? Buffer.byteLength(e.body) : 0), 0);
      insertPublic.run(
        id,
        p.id,
        doc.category,
        doc.status,
        doc.amountFen,
        chinaDayStart(c.createdAt),
        doc.overdue ? 1 : 0,
        doc.outcome.resolved ? 1 : 0,
        doc.outcome.refunded ? 1 : 0,
        doc.outcome.daysToResolution,
        JSON.stringify(doc),
        c.createdAt,
        c.updatedAt,
      );
      const s = contributionOf(complaint, rows);
      insertStats.run(
        id,
        s.providerId,
        s.month,
        s.forwarded,
        s.replied,
        s.firstResponseDecided,
        s.firstResponseOnTime,
        s.firstResponseTenths,
        s.finished,
        s.resolved,
        s.ratingPoints,
        s.ratingParts,
      );
      imported++;
    });
  });

  const started = performance.now();
  const input = file === '-' ? process.stdin : createReadStream(file!, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    if (!text.trim()) continue;
    pending.push(text);
    if (pending.length >= BATCH) {
      writeBatch(pending, line - pending.length + 1);
      bar.tick(pending.length);
      pending = [];
    }
  }
  if (pending.length) {
    writeBatch(pending, line - pending.length + 1);
    bar.tick(pending.length);
  }
  bar.setTotal(imported + skipped); // the line count was an estimate from the file size
  const rows = bar.finish();
  const t1 = performance.now();
  sqlite.transaction(() => rebuildAggregates(db))();
  const aggMs = performance.now() - t1;
  console.error(
    `导入 ${imported.toLocaleString('en-US')} 条（跳过已存在 ${skipped}），${rows.seconds.toFixed(1)} 秒，${Math.round(imported / rows.seconds).toLocaleString('en-US')} 条/秒；` +
      `公开视图（匿名化）${(publicMs / 1000).toFixed(1)} 秒${publicMs > 0 ? `，${(textBytes / 1024 / 1024 / (publicMs / 1000)).toFixed(1)} MB/s` : ''}；评分卡汇总 ${(aggMs / 1000).toFixed(1)} 秒`,
  );

  let indexed = 0;
  let indexSeconds = 0;
  if (!args['no-index']) ({ docs: indexed, seconds: indexSeconds } = await reindexTo(config, sqlite, db));
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const size = statSync(config.databasePath).size;
  console.log(
    JSON.stringify({
      imported,
      skipped,
      importSeconds: +rows.seconds.toFixed(1),
      rowsPerSecond: Math.round(imported / rows.seconds),
      anonymiseMBps: +(textBytes / 1024 / 1024 / (publicMs / 1000)).toFixed(2),
      indexed,
      indexSeconds: +indexSeconds.toFixed(1),
      totalSeconds: +((performance.now() - started) / 1000).toFixed(1),
      databaseMB: Math.round(size / 1024 / 1024),
    }),
  );
  sqlite.close();
}

await main();
