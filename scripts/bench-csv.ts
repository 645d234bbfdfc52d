// The CSV formatting of an export, alone: N synthetic public cases (stored JSON, as public_cases.doc holds them) parsed
// and formatted the way the export worker and a filtered export do. Reports time, bytes and the output's sha256 (equal
// hashes before and after a change to export-format.ts mean byte-identical output). Asserts nothing.
//
//   npx tsx scripts/bench-csv.ts [--rows 100000] [--runs 3] [--batch 1000]
// --batch: rows per csvRows call (the export worker formats a slice of 1000 at a time, a filtered export 16).
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { CSV_BOM, csvHeader, csvRows } from '../server/modules/board/export-format.ts';
import type { PublicCase } from '../server/modules/board/public-case.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '3' },
    batch: { type: 'string', default: '1000' },
  },
});
const rows = Number(values.rows);
const runs = Number(values.runs);
const batch = Number(values.batch);

const TITLES = [
  '提现一直不到账',
  '扣款后订单失败, 客服不理',
  '"免密支付"被开通',
  '=HYPERLINK("x")',
  '-5 元手续费',
  '退款\n迟迟未到',
  '@所有人 请注意',
  '普通标题',
];
function synthetic(i: number): string {
  const c: Partial<PublicCase> = {
    id: i,
    url: `/cases/${i}`,
    filedAt: `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    provider: { slug: `p${i % 40}`, name: `钱包${i % 40}`, hotline: null, verified: i % 2 === 0 },
    category: 'withdrawal',
    categoryLabel: '提现',
    status: i % 3 ? 'resolved' : 'closed_unresolved',
    statusLabel: i % 3 ? '已解决' : '未解决关闭',
    amountFen: i % 5 ? i * 37 : null,
    overdue: i % 7 === 0,
    title: TITLES[i % TITLES.length],
    description: `描述 ${i}：${'用户反映问题，'.repeat(i % 20)}`,
    resolution: i % 4 ? { text: `已退款 ${i} 元, "全额"`, date: '2026-01-02', confirmed: true } : null,
    outcome: { resolved: i % 3 !== 0, refunded: i % 4 === 1, daysToResolution: i % 3 ? i % 30 : null, rating: null },
  };
  return JSON.stringify(c);
}

const docs = Array.from({ length: rows }, (_, i) => synthetic(i + 1));
for (let run = 1; run <= runs; run++) {
  const hash = createHash('sha256');
  let bytes = 0;
  const t0 = performance.now();
  const head = CSV_BOM + csvHeader();
  hash.update(head);
  bytes += Buffer.byteLength(head);
  for (let i = 0; i < docs.length; i += batch) {
    const out = csvRows(
      docs.slice(i, i + batch).map((d) => JSON.parse(d) as PublicCase),
      'https://example.cn',
    );
    hash.update(out);
    bytes += Buffer.byteLength(out);
  }
  const ms = performance.now() - t0;
  console.log(
    `run ${run}: ${rows} rows in ${ms.toFixed(0)} ms (${((rows / ms) * 1000).toFixed(0)} rows/s), ${(bytes / 1024 / 1024).toFixed(1)} MB, sha256 ${hash.digest('hex').slice(0, 16)}`,
  );
}
