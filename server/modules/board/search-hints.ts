// What the case list says when a query cannot work the way the reader hoped: reference numbers and long numbers are
// never public (they are removed before publication), and the cases are Chinese text, so an English word finds
// nothing unless it names a provider, in which case the reader is offered that provider's cases.
import type { Provider } from '../providers/schema.ts';

const REFERENCE = /\bTS\d{8}-?\d{6}\b/i;
const LONG_NUMBER = /\d{8,}/;
const LATIN_WORD = /[A-Za-z][A-Za-z-]+/g;

export interface SearchHint {
  kind: 'reference' | 'number' | 'latin';
  text: string;
  /** A provider whose alias the reader typed in Latin letters: its cases, and its name. */
  provider?: { slug: string; name: string; href: string };
}

export function searchHints(q: string, total: number, providers: Pick<Provider, 'slug' | 'name' | 'aliases'>[]) {
  const hints: SearchHint[] = [];
  if (!q) return hints;
  if (REFERENCE.test(q)) {
    hints.push({
      kind: 'reference',
      text: '投诉编号不会公开，公开案例中查不到。要查看自己的投诉，请登录后打开「我的投诉」。',
    });
  } else if (LONG_NUMBER.test(q)) {
    hints.push({
      kind: 'number',
      text: '交易单号、手机号、银行卡号等在案例公开前已去除，无法按这些号码搜索。请用文字描述问题，例如“退款”“冻结”。',
    });
  }
  const latin = (q.match(LATIN_WORD) ?? []).map((w) => w.toLowerCase());
  if (latin.length) {
    const fold = (s: string) => s.toLowerCase().replace(/[\s-]/g, '');
    const named = providers.find((p) =>
      p.aliases.some((a) => latin.some((w) => fold(a) === fold(w) || fold(a) === latin.map(fold).join(''))),
    );
    if (named)
      hints.push({
        kind: 'latin',
        text: `案例是中文的。要看${named.name}的案例，请按机构筛选：`,
        provider: { slug: named.slug, name: named.name, href: `/cases?provider=${encodeURIComponent(named.slug)}` },
      });
    else if (total === 0)
      hints.push({
        kind: 'latin',
        text: '案例是中文的：请用中文描述问题（例如“退款”“冻结”“盗刷”），机构可用中文名或简称（例如“支付宝”“微信支付”）。',
      });
  }
  return hints;
}
