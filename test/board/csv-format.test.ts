// The CSV rows of the open-data files, byte for byte: csv-stringify must write what the hand-written writer wrote
// (column order, CRLF, quoting of , " and line breaks, true/false, empty cells for null, apostrophe before a formula).
import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvHeader, csvRows } from '../../server/modules/board/export-format.ts';
import type { PublicCase } from '../../server/modules/board/public-case.ts';

function publicCase(o: {
  id: number;
  title: string;
  description: string;
  amountFen: number | null;
  overdue: boolean;
  resolution: string | null;
  resolved: boolean;
  refunded: boolean;
  days: number | null;
}): PublicCase {
  return {
    id: o.id,
    url: `/cases/${o.id}`,
    title: o.title,
    description: o.description,
    consumer: '用户甲',
    provider: { slug: 'quickpay', name: '快付钱包', hotline: null, verified: true },
    category: 'withdrawal',
    categoryLabel: '提现问题',
    demands: [],
    demandLabels: [],
    amountFen: o.amountFen,
    filedAt: `2026-03-0${(o.id % 9) + 1}`,
    incidentDate: null,
    status: o.resolved ? 'resolved' : 'in_progress',
    statusLabel: o.resolved ? '已解决' : '处理中',
    overdue: o.overdue,
    deadlines: {
      firstResponseDue: null,
      firstResponseMet: null,
      firstResponseOverdue: false,
      resolutionDue: null,
      resolutionOverdue: false,
      firstResponseHours: null,
      resolutionHours: null,
    },
    timeline: [],
    resolution: o.resolution === null ? null : { text: o.resolution, date: '2026-03-09', confirmed: o.resolved },
    stateNote: null,
    outcome: { resolved: o.resolved, refunded: o.refunded, daysToResolution: o.days, rating: null },
    updatedAt: '2026-03-09',
  };
}

const CASES = [
  publicCase({
    id: 1,
    title: '提现一直不到账',
    description: '三天了还没到账',
    amountFen: 12345,
    overdue: false,
    resolution: '已全额退款',
    resolved: true,
    refunded: true,
    days: 3,
  }),
  publicCase({
    id: 2,
    title: '扣款后, 订单失败',
    description: '客服说"系统问题"',
    amountFen: null,
    overdue: true,
    resolution: null,
    resolved: false,
    refunded: false,
    days: null,
  }),
  publicCase({
    id: 3,
    title: '=HYPERLINK("http://x")',
    description: '第一行\n第二行',
    amountFen: 0,
    overdue: false,
    resolution: '+86 热线已回电',
    resolved: false,
    refunded: false,
    days: 0,
  }),
  publicCase({
    id: 4,
    title: '-5 元手续费',
    description: 'Windows 换行\r\n第二行',
    amountFen: 500,
    overdue: false,
    resolution: '@客服 已处理',
    resolved: true,
    refunded: false,
    days: 12,
  }),
  publicCase({
    id: 5,
    title: '\t缩进标题',
    description: '回车\r结尾',
    amountFen: 1,
    overdue: false,
    resolution: '',
    resolved: true,
    refunded: false,
    days: 1,
  }),
  publicCase({
    id: 6,
    title: '＝全角等号开头',
    description: "单引号 ' 不加引号",
    amountFen: 99,
    overdue: false,
    resolution: null,
    resolved: false,
    refunded: false,
    days: null,
  }),
];

const EXPECTED = [
  'id,url,filedAt,provider,providerName,category,categoryLabel,status,statusLabel,amountFen,overdue,title,description,resolution,resolved,refunded,daysToResolution\r\n',
  'https://b.cn',
  '1,https://b.cn/cases/1,2026-03-02,quickpay,快付钱包,withdrawal,提现问题,resolved,已解决,12345,false,提现一直不到账,三天了还没到账,已全额退款,true,true,3\r\n',
  '2,https://b.cn/cases/2,2026-03-03,quickpay,快付钱包,withdrawal,提现问题,in_progress,处理中,,true,"扣款后, 订单失败","客服说""系统问题""",,false,false,\r\n',
  '3,https://b.cn/cases/3,2026-03-04,quickpay,快付钱包,withdrawal,提现问题,in_progress,处理中,0,false,"\'=HYPERLINK(""http://x"")","第一行\n第二行",\'+86 热线已回电,false,false,0\r\n',
  '4,https://b.cn/cases/4,2026-03-05,quickpay,快付钱包,withdrawal,提现问题,resolved,已解决,500,false,\'-5 元手续费,"Windows 换行\r\n第二行",\'@客服 已处理,true,false,12\r\n',
  '5,https://b.cn/cases/5,2026-03-06,quickpay,快付钱包,withdrawal,提现问题,resolved,已解决,1,false,\'\t缩进标题,"回车\r结尾",,true,false,1\r\n',
  "6,https://b.cn/cases/6,2026-03-07,quickpay,快付钱包,withdrawal,提现问题,in_progress,处理中,99,false,＝全角等号开头,单引号 ' 不加引号,,false,false,\r\n",
];

describe('CSV rows of the open-data files', () => {
  it('writes the header and each row exactly as before, in column order', () => {
    expect(CSV_BOM).toBe('\uFEFF');
    expect(csvHeader()).toBe(EXPECTED[0]);
    expect(csvRows(CASES, 'https://b.cn')).toBe(EXPECTED.slice(2).join(''));
  });

  it('gives the same bytes whatever the batch (the worker formats 1000 rows at a time, a filtered export 16)', () => {
    const oneByOne = CASES.map((c) => csvRows([c], 'https://b.cn')).join('');
    expect(oneByOne).toBe(csvRows(CASES, 'https://b.cn'));
    expect(csvRows([], 'https://b.cn')).toBe('');
  });
});
