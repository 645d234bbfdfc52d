// The behaviour every search backend owes the board, run against each backend with its own factory.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseDoc, SearchIndex } from '../../server/modules/search/types.ts';
import { DAY, T0, allIds, caseDoc, countBy, ids, query, sortedIds, type IndexFactory } from './factories.ts';
import { judgedQueries } from './judged.ts';

export function searchContract(label: string, factory: IndexFactory): void {
  describe(`${label}: search contract`, () => {
    let index: SearchIndex;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ index, dispose } = await factory());
    });
    afterEach(async () => {
      await dispose();
    });

    it('finds two-character words (冻结, 退款, 盗刷) and only the cases containing them', async () => {
      await index.upsert([
        caseDoc(1, { title: '账户被冻结无法提现', body: '账户里的余额被冻结，客服不给解释。' }),
        caseDoc(2, { title: '申请退款一直没到账', body: '商家同意退款但是钱没有退回。' }),
        caseDoc(3, { title: '银行卡被盗刷三千元', body: '凌晨收到扣款通知，卡被盗刷了。' }),
        caseDoc(4, { title: '冷冻食品结算有误', body: '超市冷冻柜的结算价格不对，款项多收，盗版发票。' }),
        caseDoc(5, { title: '页面打不开', body: '更新之后一直闪退。' }),
      ]);
      expect(sortedIds(await index.search(query({ q: '冻结' })))).toEqual([1]);
      expect(sortedIds(await index.search(query({ q: '退款' })))).toEqual([2]);
      expect(sortedIds(await index.search(query({ q: '盗刷' })))).toEqual([3]);
      expect((await index.search(query({ q: '冻结' }))).total).toBe(1);
    });

    it('finds a provider by any of its aliases', async () => {
      await index.upsert([
        caseDoc(1, { provider: 'icbc-wallet', title: '钱包余额不见了', body: '登录后发现余额为零。' }),
        caseDoc(2, { provider: 'wechat-pay', title: '转账被退回', body: '给朋友转账显示失败。' }),
        caseDoc(3, { provider: 'alipay', title: '花呗额度被降低', body: '没有任何通知。' }),
        caseDoc(4, { provider: 'ecny', title: '钱包开通失败', body: '一直提示系统繁忙。' }),
        caseDoc(5, { provider: 'jd-pay', title: '优惠券没有到账', body: '活动承诺的返现没有给。' }),
      ]);
      expect(sortedIds(await index.search(query({ q: '工行' })))).toEqual([1]);
      expect(sortedIds(await index.search(query({ q: 'ICBC' })))).toEqual([1]);
      expect(sortedIds(await index.search(query({ q: '微信' })))).toEqual([2]);
      expect(sortedIds(await index.search(query({ q: '财付通' })))).toEqual([2]);
      expect(sortedIds(await index.search(query({ q: 'WeChat Pay' })))).toEqual([2]);
      expect(sortedIds(await index.search(query({ q: '蚂蚁' })))).toEqual([3]);
      expect(sortedIds(await index.search(query({ q: '数币' })))).toEqual([4]);
      expect(sortedIds(await index.search(query({ q: 'e-CNY' })))).toEqual([4]);
    });

    describe('filters', () => {
      const corpus: CaseDoc[] = [
        caseDoc(1, {
          provider: 'alipay',
          category: 'refund-pending',
          status: 'resolved',
          amountFen: 5_000,
          title: '退款没到账',
        }),
        caseDoc(2, {
          provider: 'alipay',
          category: 'account-frozen',
          status: 'closed_unresolved',
          amountFen: 20_000,
          title: '账户冻结',
        }),
        caseDoc(3, {
          provider: 'wechat-pay',
          category: 'refund-pending',
          status: 'resolved',
          amountFen: 30_000,
          title: '退款被拒绝',
        }),
        caseDoc(4, {
          provider: 'wechat-pay',
          category: 'refund-pending',
          status: 'closed_unconfirmed',
          amountFen: 0,
          title: '退款处理中',
        }),
        caseDoc(5, {
          provider: 'ecny',
          category: 'account-frozen',
          status: 'resolved',
          amountFen: 100_000,
          title: '钱包冻结',
        }),
        caseDoc(6, {
          provider: 'alipay',
          category: 'refund-pending',
          status: 'resolved',
          amountFen: 20_000,
          title: '退款一直没处理',
        }),
      ];
      const brute = (pred: (d: CaseDoc) => boolean) =>
        corpus
          .filter(pred)
          .map((d) => d.id)
          .sort((a, b) => a - b);
      beforeEach(async () => {
        await index.upsert(corpus);
      });

      it('each alone', async () => {
        expect(await allIds(index, { provider: 'alipay' })).toEqual(brute((d) => d.provider === 'alipay'));
        expect(await allIds(index, { category: 'refund-pending' })).toEqual(
          brute((d) => d.category === 'refund-pending'),
        );
        expect(await allIds(index, { status: 'resolved' })).toEqual(brute((d) => d.status === 'resolved'));
        // from inclusive, to exclusive
        expect(await allIds(index, { from: T0 + 2 * DAY, to: T0 + 5 * DAY })).toEqual([2, 3, 4]);
        // amounts inclusive at both ends
        expect(await allIds(index, { amountMin: 20_000, amountMax: 30_000 })).toEqual([2, 3, 6]);
        expect(await allIds(index, { amountMax: 0 })).toEqual([4]);
      });

      it('combined, with and without words', async () => {
        expect(await allIds(index, { provider: 'alipay', category: 'refund-pending', status: 'resolved' })).toEqual([
          1, 6,
        ]);
        expect(await allIds(index, { provider: 'alipay', amountMin: 10_000, from: T0 + 2 * DAY })).toEqual([2, 6]);
        expect(await allIds(index, { q: '退款', provider: 'wechat-pay' })).toEqual([3, 4]);
        expect(await allIds(index, { q: '退款', status: 'resolved', amountMin: 10_000 })).toEqual([3, 6]);
        expect(await allIds(index, { q: '冻结', category: 'account-frozen', to: T0 + 5 * DAY })).toEqual([2]);
      });

      it('an unknown filter value matches nothing', async () => {
        const r = await index.search(query({ provider: 'no-such-provider' }));
        expect(r.total).toBe(0);
        expect(r.items).toEqual([]);
      });

      it('facet counts equal brute-force counts over the result set', async () => {
        const r = await index.search(query({ q: '退款', status: 'resolved' }));
        const matched = corpus.filter((d) => d.title.includes('退款') && d.status === 'resolved');
        const count = (key: 'provider' | 'category' | 'status') => countBy(matched, (d) => String(d[key]));
        expect(r.total).toBe(matched.length);
        expect(r.facets.provider).toEqual(count('provider'));
        expect(r.facets.category).toEqual(count('category'));
        expect(r.facets.status).toEqual(count('status'));
        const all = await index.search(query({}));
        expect(all.facets.provider).toEqual({ alipay: 3, 'wechat-pay': 2, ecny: 1 });
      });
    });

    it('sorts newest first, and an empty query returns the newest cases', async () => {
      const filed = [5, 1, 9, 3, 7];
      await index.upsert(filed.map((d, i) => caseDoc(i + 1, { title: `退款问题${i}`, filedAt: T0 + d * DAY })));
      const newest = await index.search(query({ q: '退款', sort: 'newest' }));
      expect(newest.items.map((h) => h.filedAt)).toEqual([9, 7, 5, 3, 1].map((d) => T0 + d * DAY));
      for (const q of [undefined, '']) {
        const browse = await index.search(query({ q, sort: 'relevance' }));
        expect(browse.items.map((h) => h.filedAt)).toEqual([9, 7, 5, 3, 1].map((d) => T0 + d * DAY));
        expect(browse.total).toBe(5);
      }
    });

    it('pages through results without overlap or gaps', async () => {
      await index.upsert(Array.from({ length: 25 }, (_, i) => caseDoc(i + 1, { title: `账户冻结第${i}次` })));
      const pages = await Promise.all(
        [1, 2, 3, 4].map((page) => index.search(query({ q: '冻结', sort: 'newest', page, pageSize: 10 }))),
      );
      expect(pages.map((p) => p.items.length)).toEqual([10, 10, 5, 0]);
      expect(pages.every((p) => p.total === 25)).toBe(true);
      const seen = pages.flatMap((p) => ids(p));
      expect(new Set(seen).size).toBe(25);
      expect(pages[1].page).toBe(2);
      expect(pages[1].pageSize).toBe(10);
    });

    it('escapes HTML in titles and snippets before marking the terms', async () => {
      await index.upsert([
        caseDoc(1, { title: '<b>账户冻结</b> & "说明"', body: '客服说 <script>alert(1)</script> 账户冻结是风控。' }),
      ]);
      const [hit] = (await index.search(query({ q: '冻结' }))).items;
      expect(hit.title).toBe('<b>账户冻结</b> & "说明"');
      expect(hit.titleHighlighted).not.toContain('<b>');
      expect(hit.titleHighlighted).toContain('&lt;b&gt;');
      expect(hit.titleHighlighted).toContain('&amp;');
      expect(hit.titleHighlighted).toContain('<mark>冻结</mark>');
      expect(hit.snippet).not.toContain('<script');
      expect(hit.snippet).toContain('&lt;script&gt;');
      expect(hit.snippet).toContain('<mark>冻结</mark>');
      expect(hit.snippet.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    });

    it('remove() takes a case out of search, facets, similar and count', async () => {
      await index.upsert([
        caseDoc(1, { provider: 'alipay', title: '花呗自动扣款未授权', body: '每月被扣会员费，从未开通自动续费。' }),
        caseDoc(2, { provider: 'wechat-pay', title: '自动续费扣款未授权', body: '每月被扣会员费，从未开通自动续费。' }),
      ]);
      await index.remove([1]);
      expect(await index.count()).toBe(1);
      expect(ids(await index.search(query({ q: '自动续费' })))).toEqual([2]);
      expect(ids(await index.search(query({})))).toEqual([2]);
      expect((await index.search(query({}))).facets.provider).toEqual({ 'wechat-pay': 1 });
      const similar = await index.similar(
        { provider: 'alipay', title: '自动续费扣款', body: '每月被扣会员费，从未开通自动续费。' },
        5,
      );
      expect(ids(similar)).toEqual([2]);
      await index.remove([1, 999]); // removing twice or an unknown id is harmless
      expect(await index.count()).toBe(1);
    });

    it('upsert of an existing id replaces the case', async () => {
      await index.upsert([caseDoc(1, { provider: 'alipay', title: '账户冻结', status: 'resolved' })]);
      await index.upsert([caseDoc(1, { provider: 'wechat-pay', title: '退款未到账', status: 'closed_unresolved' })]);
      expect(await index.count()).toBe(1);
      expect((await index.search(query({ q: '冻结' }))).total).toBe(0);
      const r = await index.search(query({ q: '退款' }));
      expect(ids(r)).toEqual([1]);
      expect(r.items[0].provider).toBe('wechat-pay');
      expect(r.facets.status).toEqual({ closed_unresolved: 1 });
    });

    it('similar() prefers the same provider and category and leaves out excludeId', async () => {
      const text = { title: '退款一直未到账', body: '在美团外卖申请退款，商家已同意，钱一直没有退回。' };
      await index.upsert([
        caseDoc(1, { ...text, provider: 'wechat-pay', category: 'refund-pending' }),
        caseDoc(2, { ...text, provider: 'alipay', category: 'refund-pending' }),
        caseDoc(3, { ...text, provider: 'alipay', category: 'other' }),
        caseDoc(4, {
          title: '人脸识别失败',
          body: '上传身份证后审核被驳回。',
          provider: 'alipay',
          category: 'refund-pending',
        }),
      ]);
      const draft = { provider: 'alipay', category: 'refund-pending', ...text };
      const similar = await index.similar(draft, 3);
      expect(ids(similar)[0]).toBe(2);
      expect(ids(similar).slice(0, 3).sort()).toEqual([1, 2, 3]);
      expect(ids(await index.similar({ ...draft, excludeId: 2 }, 3))).not.toContain(2);
      expect(await index.similar({ title: '的了吗', body: '！！！' }, 3)).toEqual([]);
    });

    it('says when no case has every word: match partial, and which words no case has', async () => {
      await index.upsert([
        caseDoc(1, { title: '账户被冻结', body: '余额无法提现。' }),
        caseDoc(2, { title: '退款没有到账', body: '商家同意退款。' }),
      ]);
      const all = await index.search(query({ q: '冻结 提现' }));
      expect(all).toMatchObject({ match: 'all', unmatched: [] });
      expect(ids(all)).toEqual([1]);
      const partial = await index.search(query({ q: '冻结 退款' }));
      expect(partial).toMatchObject({ match: 'partial', unmatched: [] });
      expect(ids(partial).sort()).toEqual([1, 2]);
      const withNonsense = await index.search(query({ q: '冻结 蓝鲸飞船' }));
      expect(withNonsense).toMatchObject({ match: 'partial', unmatched: ['蓝鲸', '飞船'] }); // the segmenter's words
      expect(ids(withNonsense)).toEqual([1]);
      expect(await index.search(query({ q: '蓝鲸飞船' }))).toMatchObject({
        total: 0,
        match: 'partial',
        unmatched: ['蓝鲸', '飞船'],
      });
      expect(await index.search(query({ q: 'xyzzy' }))).toMatchObject({ total: 0, match: 'all', unmatched: ['xyzzy'] });
    });

    it('similar() follows the problem words, not numbers, dates or generic words', async () => {
      await index.upsert([
        caseDoc(1, {
          title: '账户被冻结无法提现',
          body: '登录后发现账户被冻结，余额提现不了。',
          provider: 'alipay',
          category: 'account-frozen',
        }),
        caseDoc(2, {
          title: '分期手续费多扣',
          body: '2026年11月3日查看账单，客服说3个工作日内回复，问题一直没解决。',
          provider: 'jd-pay',
          category: 'other',
        }),
        caseDoc(3, {
          title: '提现被冻结',
          body: '提现申请不到账，账户冻结了。',
          provider: 'wechat-pay',
          category: 'account-frozen',
        }),
      ]);
      const draft = {
        provider: 'alipay',
        category: 'account-frozen',
        title: '账户冻结 2026年11月3日',
        body: '2026年11月3日开始账户冻结，无法提现，客服说3个工作日内处理，问题一直没有解决。',
      };
      const similar = ids(await index.similar(draft, 5));
      expect(similar.slice(0, 2).sort()).toEqual([1, 3]);
      expect(similar).not.toContain(2);
      expect(
        await index.similar({ title: '2026年11月3日', body: '客服说3个工作日内处理，问题还是没有解决。' }, 5),
      ).toEqual([]);
    });

    it('a query of only punctuation or stop words behaves like an empty query', async () => {
      await index.upsert([caseDoc(1, { title: '账户冻结' }), caseDoc(2, { title: '退款未到账' })]);
      for (const q of ['，。！？', '的了吗', '   ', '!!!']) {
        const r = await index.search(query({ q }));
        expect(r.total).toBe(2);
      }
    });

    it('FTS and query syntax in user input never throws', async () => {
      await index.upsert([caseDoc(1, { title: '账户冻结', body: '无法提现' }), caseDoc(2, { title: '退款未到账' })]);
      const inputs = [
        '"',
        '""',
        '*',
        'AND',
        'OR',
        'NOT',
        '(',
        ')',
        'NEAR',
        'NEAR(冻结 提现)',
        '冻结 AND 提现',
        '冻结 OR',
        'NOT 冻结',
        '-冻结',
        'title:冻结',
        '{title}: 冻结',
        '^冻结',
        '冻结*',
        '"冻结',
        "冻结'",
        '\\',
        '冻结 + 提现',
        ':',
        'body : x',
        '(冻结',
        '冻结)',
        'AND OR NOT',
        '%',
        '_',
        '*冻结*',
        '冻结 NEAR/2 提现',
        '\u0000',
        '🙂',
        'a'.repeat(500),
      ];
      for (const q of inputs) {
        const r = await index.search(query({ q }));
        expect(Array.isArray(r.items), q).toBe(true);
      }
      expect(ids(await index.search(query({ q: '"冻结"' })))).toEqual([1]);
      expect(ids(await index.search(query({ q: '冻结*' })))).toEqual([1]);
      expect(ids(await index.search(query({ q: '冻结 AND 提现' })))).toEqual([1]);
    });

    describe('relevance on a fixed corpus', () => {
      beforeEach(async () => {
        await index.upsert([
          caseDoc(1, { title: '微信账户被冻结', body: '余额无法提现，客服说要等审核。', filedAt: T0 + 1 * DAY }),
          caseDoc(2, {
            title: '提现一直失败',
            body: '账户里的钱被冻结了，提交材料后没有回复。',
            filedAt: T0 + 9 * DAY,
          }),
          caseDoc(3, { title: '余额被冻结', body: '不知道原因，也没有通知。', filedAt: T0 + 2 * DAY }),
          caseDoc(4, { title: '转账失败', body: '对方没有收到钱，账户也被冻结。', filedAt: T0 + 8 * DAY }),
          caseDoc(5, { title: '退款没有到账', body: '商家说已经退了。', filedAt: T0 + 7 * DAY }),
        ]);
      });

      it('a title match outranks a body-only match, even a newer one', async () => {
        const r = ids(await index.search(query({ q: '冻结' })));
        // 1 and 3 have 冻结 in the title; 2 (the newest) and 4 only in the body.
        expect(r.slice(0, 2).sort()).toEqual([1, 3]);
        expect(r.slice(2).sort()).toEqual([2, 4]);
      });

      it('a case with both words outranks one with only one', async () => {
        const both = ids(await index.search(query({ q: '冻结 提现' })));
        expect(both[0] === 1 || both[0] === 2).toBe(true);
        for (const single of [3, 4])
          if (both.includes(single)) expect(both.indexOf(single)).toBeGreaterThan(both.indexOf(1));
        // No case has all three words: the cases with more of them come first.
        const relaxed = ids(await index.search(query({ q: '冻结 提现 人脸识别' })));
        expect(relaxed.length).toBeGreaterThan(0);
        expect(Math.max(relaxed.indexOf(1), relaxed.indexOf(2))).toBeLessThan(relaxed.indexOf(3));
      });
    });

    it('count() and clear()', async () => {
      await index.upsert([caseDoc(1), caseDoc(2), caseDoc(3)]);
      expect(await index.count()).toBe(3);
      await index.clear();
      expect(await index.count()).toBe(0);
      expect((await index.search(query({}))).total).toBe(0);
      await index.upsert([caseDoc(4, { title: '账户冻结' })]);
      expect(ids(await index.search(query({ q: '冻结' })))).toEqual([4]);
    });
  });
  judgedQueries(label, factory);
}
