// In-process benchmark of similar() on a built board (npm run import:cases): the similar-cases panel of case pages,
// as the board asks for it (the case's own provider, category, title and description, itself left out, a pool of 50),
// for random cases of the newest 200,000 (as bench-mixed draws them), on the SQLite index of the data dir.
// The common words are read first (the server's warm-up), then every case's doclists once (a server keeps them
// cached), so the figures are the scoring's alone: mean, p50, p99 and max per call. It writes nothing (init() only
// creates the index tables when missing), but the service must not be running on the same dir.
//
//   npx tsx scripts/bench-similar.ts --dir /path/to/built/data [--calls 2000] [--seed 1]
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SqliteSearchIndex } from '../server/modules/search/sqlite-index.ts';
import { fmt } from './bench-lib.ts';

const { values: opts } = parseArgs({
  options: {
    dir: { type: 'string' },
    calls: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '1' },
  },
});
const dbPath = opts.dir ? join(opts.dir, 'complaints.sqlite') : '';
if (!existsSync(dbPath)) {
  console.error(
    'usage: npx tsx scripts/bench-similar.ts --dir <data dir built by npm run import:cases> [--calls 2000]',
  );
  process.exit(2);
}
const db = new Database(dbPath, { fileMustExist: true });
const index = new SqliteSearchIndex(db);
// The doclist reader thread is unreferenced (it must never keep a server alive): this keeps the script's loop open.
const keepAlive = setInterval(() => {}, 1000);
let t = performance.now();
await index.init();
console.log(`index loaded in ${fmt((performance.now() - t) / 1000)} s`);
t = performance.now();
await index.warm();
console.log(`common words read in ${fmt((performance.now() - t) / 1000)} s`);

type Row = { id: number; doc: string };
const newest = db
  .prepare('SELECT complaint_id AS id, doc FROM public_cases ORDER BY complaint_id DESC LIMIT 200000')
  .all() as Row[];
let state = Number(opts.seed) >>> 0;
const random = () => {
  state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
  return state / 2 ** 32;
};
const drafts = Array.from({ length: Number(opts.calls) }, () => {
  const c = JSON.parse(newest[Math.floor(random() * newest.length)].doc) as {
    id: number;
    provider: { slug: string };
    category: string;
    title: string;
    description: string;
  };
  return { provider: c.provider.slug, category: c.category, title: c.title, body: c.description, excludeId: c.id };
});
for (const d of drafts) await index.similar(d, 50); // every draft's words read once, as a running server has them
const ms: number[] = [];
let found = 0;
for (const d of drafts) {
  const t0 = performance.now();
  found += (await index.similar(d, 50)).length;
  ms.push(performance.now() - t0);
}
ms.sort((a, b) => a - b);
const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))];
const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
console.log(
  `similar, ${ms.length} calls (pool of 50): mean ${fmt(mean, 2)} ms, p50 ${fmt(at(0.5), 2)}, p99 ${fmt(at(0.99), 2)}, ` +
    `max ${fmt(ms[ms.length - 1], 2)}; ${fmt(found / ms.length, 1)} cases a call`,
);
await index.close();
db.close();
clearInterval(keepAlive);
