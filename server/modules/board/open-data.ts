// RSS 2.0 feeds built from the public view (per provider, per search).
import type { PublicCase } from './public-case.ts';

// Characters XML 1.0 does not allow at all (C0 controls other than tab, newline, return; lone surrogates; FFFE/FFFF).
const XML_INVALID = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
export const xmlEscape = (s: string) => s.replace(XML_INVALID, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  .replace(/"/g, '&quot;').replace(/'/g, '&apos;');

const rfc822 = (day: string) => new Date(Date.parse(`${day}T00:00:00+08:00`)).toUTCString();

export interface FeedMeta { title: string; description: string; link: string; selfUrl: string }

export function rssFeed(meta: FeedMeta, cases: PublicCase[], baseUrl: string): string {
  const items = cases.map((c) => {
    const text = [c.description, c.resolution ? `机构方案：${c.resolution.text}` : ''].filter(Boolean).join('\n\n');
    return `<item>
<title>${xmlEscape(`${c.title}（${c.provider.name} · ${c.statusLabel}${c.overdue ? ' · 超时' : ''}）`)}</title>
<link>${xmlEscape(baseUrl + c.url)}</link>
<guid isPermaLink="true">${xmlEscape(baseUrl + c.url)}</guid>
<pubDate>${rfc822(c.filedAt)}</pubDate>
<category>${xmlEscape(c.categoryLabel)}</category>
<description>${xmlEscape(text)}</description>
</item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>${xmlEscape(meta.title)}</title>
<link>${xmlEscape(meta.link)}</link>
<description>${xmlEscape(meta.description)}</description>
<language>zh-CN</language>
<atom:link href="${xmlEscape(meta.selfUrl)}" rel="self" type="application/rss+xml"/>
${cases.length ? `<lastBuildDate>${rfc822(cases.map((c) => c.updatedAt).sort().at(-1)!)}</lastBuildDate>\n` : ''}${items.join('\n')}
</channel>
</rss>
`;
}
