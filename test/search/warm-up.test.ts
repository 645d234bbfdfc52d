import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WarmControl, WarmProgress } from '../../server/modules/search/types.ts';
import { T0, caseDoc, ids, query } from './factories.ts';
import { indexOn } from './memory-index.ts';
import { probeQueries } from '../../server/modules/search/sqlite/warm-up.ts';

const TITLES = ['退款没有到账', '账户被冻结', '客服不回复', '扣款后订单失败'];
const BODIES = ['钱一直没有退回，客服说冻结了。', '申请退款被驳回。', '重复扣款，要求退还。'];
const PROVIDERS = ['alipay', 'wechat-pay', 'ecny'];

const docOf = (i: number) =>
  caseDoc(i, {
    title: TITLES[i % 4],
    body: `${BODIES[i % 3]}${i % 50 === 0 ? '罕见词语蟑螂' : ''}`,
    provider: i % 300 === 7 ? 'icbc-wallet' : PROVIDERS[i % 3],
    status: ['resolved', 'closed_unresolved'][i % 2],
    filedAt: T0 + ((i * 7919) % 600) * 3_600_000,
  });

/** A control that runs every step at once, counting, with hooks between steps and before other-thread work. */
function control(hooks: { pause?: () => Promise<void>; wait?: () => Promise<void> } = {}) {
  const c = {
    pauses: 0,
    waits: 0,
    phases: [] as WarmProgress['phase'][],
    pause: async () => {
      c.pauses++;
      await hooks.pause?.();
    },
    wait: async <T>(work: Promise<T>) => {
      c.waits++;
      await hooks.wait?.();
      return work;
    },
    progress: (p: WarmProgress) => {
      if (c.phases.at(-1) !== p.phase) c.phases.push(p.phase);
    },
  } satisfies WarmControl & Record<string, unknown>;
  return c;
}

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

/** On a file, so the warm-up reads through its worker thread; in memory it reads on the main thread. */
async function openIndex(where: 'file' | 'memory') {
  let path = ':memory:';
  if (where === 'file') {
    const dir = mkdtempSync(join(tmpdir(), 'wc-warm-'));
    dirs.push(dir);
    path = join(dir, 'search.sqlite');
  }
  // Every similar() through the similar-cases thread, however small the draft (in place it answers the same).
  const { index, db, dispose } = await indexOn(path, { bitsetMinDocs: 50, similar: { minEntries: 0 } });
  return { index, db, close: dispose };
}

describe('search warm-up (sqlite)', () => {
  it.each(['file', 'memory'] as const)(
    'leaves the common words and the provider aliases in memory with their bitsets and cubes (%s)',
    async (where) => {
      const { index, close } = await openIndex(where);
      await index.upsert(Array.from({ length: 600 }, (_, i) => docOf(i + 1)));
      expect(index.cached('退款')).toBeNull();
      const cold = await openIndex('memory');
      await cold.index.upsert(Array.from({ length: 600 }, (_, i) => docOf(i + 1)));
      const c = control();
      await index.warmUp(c, { minDocShare: 0.05 });
      expect(c.phases).toEqual(['doclists', 'probes']);
      expect(index.similarInThread).toBe(1); // the probe started the thread and compiled its loop
      if (where === 'file') expect(c.waits).toBeGreaterThan(10);
      else expect(c.waits).toBe(0); // the vocabulary, then each word
      for (const word of ['退款', '冻结', '客服', '扣款'])
        expect(index.cached(word), word).toMatchObject({ bitsets: true, cubes: true });
      // 工行 is in 2 of 600 cases (an alias of icbc-wallet), below the 5% share: warmed because it is a provider's name
      expect(index.cached('工行')).toMatchObject({ len: 2 });
      expect(index.cached('蟑螂')).toBeNull(); // in 12 of 600 cases: neither common nor an alias
      for (const draft of [
        { title: '退款被拒绝', body: '客服说账户冻结了' },
        { title: '重复扣款', body: '订单失败蟑螂', provider: 'alipay' },
      ]) {
        expect(ids(await index.similar(draft, 10))).toEqual(ids(await cold.index.similar(draft, 10)));
      }
      expect(index.similarInThread).toBe(3);
      for (const q of ['退款', '客服 冻结', '工行'])
        expect(await index.search(query({ q }))).toEqual(await cold.index.search(query({ q })));
      await close();
      await cold.close();
    },
  );

  it('answers exactly like a cold index, with writes and removals while the thread reads and between steps', async () => {
    const warm = await openIndex('file');
    const cold = await openIndex('memory');
    const first = Array.from({ length: 500 }, (_, i) => docOf(i + 1));
    await warm.index.upsert(first);
    await cold.index.upsert(first);
    let next = 501,
      writes = 0;
    const write = async () => {
      const added = [docOf(next++), docOf(next++)];
      for (const { index } of [warm, cold]) {
        await index.upsert(added);
        await index.upsert([docOf((writes % 400) + 1)]); // a replacement: the case gets a new, larger ord
        await index.remove([next - 60]);
      }
      writes++;
    };
    let pauses = 0;
    await warm.index.warmUp(
      control({
        wait: write,
        pause: async () => {
          if (++pauses % 3 === 0) await write();
        },
      }),
      { minDocShare: 0.05 },
    );
    expect(writes).toBeGreaterThan(10);
    expect(warm.index.cached('退款')).toMatchObject({ cubes: true });
    for (const q of ['退款', '冻结', '客服', '扣款', '支付宝', '工行', '退款 冻结', '蟑螂']) {
      for (const sort of ['relevance', 'newest'] as const) {
        for (const filter of [
          {},
          { provider: 'alipay' },
          { status: 'resolved' },
          { provider: 'ecny', status: 'closed_unresolved' },
        ]) {
          for (const page of [1, 4]) {
            const args = query({ q, sort, page, pageSize: 20, ...filter });
            const [a, b] = [await cold.index.search(args), await warm.index.search(args)];
            expect(ids(b), JSON.stringify(args)).toEqual(ids(a));
            expect(b.total).toBe(a.total);
            expect(b.facets).toEqual(a.facets);
          }
        }
      }
    }
    // similar() is compared in the test above: after removals its document frequencies count a cached list's dead
    // ords (postings.ts docFreq), so it depends on which lists were cached when, with or without a warm-up.
    await warm.close();
    await cold.close();
  });

  it('a script that warms an index on a file gets its lists before it exits (the reader thread holds it open)', async () => {
    // bench-search-engine.ts --warm: with nothing else to wait for, the script must not end while the thread reads.
    const dir = mkdtempSync(join(tmpdir(), 'wc-warm-'));
    dirs.push(dir);
    const path = join(dir, 'search.sqlite');
    const { index, close } = await (async () => {
      const o = await indexOn(path, { bitsetMinDocs: 50 });
      return { index: o.index, close: o.dispose };
    })();
    await index.upsert(Array.from({ length: 300 }, (_, i) => docOf(i + 1)));
    await close();
    const script = `
      import Database from 'better-sqlite3';
      import { SqliteSearchIndex } from ${JSON.stringify(new URL('../../server/modules/search/sqlite-index.ts', import.meta.url).href)};
      const index = new SqliteSearchIndex(new Database(${JSON.stringify(path)}));
      await index.init();
      console.log('warmed', await index.warm(0.05));
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^warmed [1-9]\d*$/m);
  }, 40_000);

  it('does not cache a list read across a clear of the index', async () => {
    const { index, close } = await openIndex('file');
    await index.upsert(Array.from({ length: 300 }, (_, i) => docOf(i + 1)));
    let waits = 0;
    // the second wait is the first word's doclist: the index is cleared while the thread reads it
    await index.warmUp(
      control({
        wait: async () => {
          if (++waits === 2) {
            await index.clear();
            await index.upsert([docOf(1)]);
          }
        },
      }),
      { minDocShare: 0.05 },
    );
    expect(waits).toBeGreaterThan(2);
    for (const [q, expected] of [
      ['退款', [1]],
      ['冻结', [1]],
      ['客服', []],
    ] as const) {
      const r = await index.search(query({ q }));
      expect([r.total, ids(r)], q).toEqual([expected.length, expected]);
    }
    await close();
  });
});

describe('doclists a query needs, read in a thread (sqlite, on a file)', () => {
  it('search and similar read their words off the event loop and answer exactly like an index reading inline', async () => {
    const file = await openIndex('file');
    const inline = await openIndex('memory');
    const docs = Array.from({ length: 600 }, (_, i) => docOf(i + 1));
    await file.index.upsert(docs);
    await inline.index.upsert(docs);
    expect(file.index.cached('蟑螂')).toBeNull();
    const draft = {
      provider: 'alipay',
      category: 'other',
      title: '账户被冻结',
      body: '钱一直没有退回，罕见词语蟑螂。',
    };
    const [a, b] = await Promise.all([file.index.similar(draft, 10), file.index.similar(draft, 10)]); // one read per word, shared
    expect(ids(a)).toEqual(ids(await inline.index.similar(draft, 10)));
    expect(ids(b)).toEqual(ids(a));
    expect(file.index.cached('蟑螂')).toMatchObject({ len: 12 });
    for (const q of ['蟑螂', '冻结 退款', '客服']) {
      const r = await file.index.search(query({ q }));
      expect(ids(r), q).toEqual(ids(await inline.index.search(query({ q }))));
      expect(r.total).toBe((await inline.index.search(query({ q }))).total);
    }
    // A case written after the word was read is in its list (appended, once).
    await file.index.upsert([docOf(601), docOf(650)]);
    await inline.index.upsert([docOf(601), docOf(650)]);
    expect((await file.index.search(query({ q: '蟑螂' }))).total).toBe(
      (await inline.index.search(query({ q: '蟑螂' }))).total,
    );
    await file.close();
    await inline.close();
  });
});

describe('warm-up probes', () => {
  it('run every query shape, each round over other words, each probe once', () => {
    const all = (...words: string[]) => ({ words, relaxed: false });
    const relaxed = (...words: string[]) => ({ words, relaxed: true });
    expect(probeQueries(['扣款', '退款', '客服', '冻结'], ['工行'], 2)).toEqual([
      all(),
      // round 1: one word, two common words, a common one with a rare one, a provider's name with a word, the relaxed
      // answers of two and three words, a word with one no case has whole (its parts), plain and relaxed
      all('扣款'),
      all('扣款', '退款'),
      all('扣款', '冻结'),
      all('工行', '扣款'),
      relaxed('扣款', '退款'),
      relaxed('扣款', '退款', '冻结'),
      all('退款', '扣款冻结'),
      relaxed('退款', '扣款冻结'),
      // round 2, over the next words (the rare one is 客服 now, the next too: those probes are not repeated)
      all('退款'),
      all('退款', '客服'),
      all('工行', '退款'),
      relaxed('退款', '客服'),
      all('客服', '退款客服'),
      relaxed('客服', '退款客服'),
    ]);
    // Only provider names warmed (a small board): they stand in for the vocabulary.
    expect(probeQueries([], ['工行', '花呗'], 1)).toEqual([
      all(),
      all('工行'),
      all('工行', '花呗'),
      relaxed('工行', '花呗'),
      all('花呗', '工行花呗'),
      relaxed('花呗', '工行花呗'),
    ]);
    expect(probeQueries([], ['工行'], 3)).toEqual([all(), all('工行')]);
    expect(probeQueries([], [])).toEqual([]);
    // The default: several rounds, so that each loop meets several inputs before the first reader's query.
    const rounds = probeQueries(['扣款', '退款', '客服', '冻结', '提现', '失败'], ['工行', '花呗']);
    expect(new Set(rounds.filter((p) => p.words.length === 1).map((p) => p.words[0])).size).toBeGreaterThanOrEqual(5);
    // Names take only the provider-name probe: beside a word, never in the place of one.
    expect(rounds.filter((p) => p.words.some((w) => w === '工行' || w === '花呗'))).toEqual(
      expect.arrayContaining([all('工行', '扣款'), all('花呗', '退款')]),
    );
    expect(
      rounds
        .filter((p) => p.words.some((w) => w === '工行' || w === '花呗'))
        .every((p) => p.words.length === 2 && !p.relaxed),
    ).toBe(true);
  });
});
