// RSS 2.0 feeds built from the public view (per provider, per search), written by the feed library.
import { Feed } from 'feed';
import { dayStartOf } from '../../lib/china-time.ts';
import { escapeHtml } from '../../lib/escape-html.ts';
import type { PublicCase } from './public-case.ts';

// Characters XML 1.0 does not allow at all (C0 controls other than tab, newline, return; lone surrogates; FFFE/FFFF):
// the feed library escapes markup but passes these through, and one would make the whole feed unreadable.
const XML_INVALID = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const xmlText = (s: string) => s.replace(XML_INVALID, '');

export interface FeedMeta {
  title: string;
  description: string;
  link: string;
  selfUrl: string;
}

/** `now` dates a feed with no case in it (lastBuildDate); otherwise the newest case's last change does. */
export function rssFeed(meta: FeedMeta, cases: PublicCase[], baseUrl: string, now: number): string {
  const newest = cases
    .map((c) => c.updatedAt)
    .sort()
    .at(-1);
  const feed = new Feed({
    title: xmlText(meta.title),
    description: xmlText(meta.description),
    id: meta.link,
    link: meta.link,
    language: 'zh-CN',
    updated: new Date(newest ? dayStartOf(newest) : now),
    feedLinks: { rss: meta.selfUrl },
    generator: false,
    copyright: '',
  });
  for (const c of cases) {
    const text = [c.description, c.resolution ? `机构方案：${c.resolution.text}` : ''].filter(Boolean).join('\n\n');
    feed.addItem({
      // The title is plain text; the description is HTML to a reader, so the case's text is escaped into it.
      title: xmlText(`${c.title}（${c.provider.name} · ${c.statusLabel}${c.overdue ? ' · 超时' : ''}）`),
      link: baseUrl + c.url,
      date: new Date(dayStartOf(c.filedAt)),
      category: [{ name: xmlText(c.categoryLabel) }],
      description: escapeHtml(xmlText(text)).replace(/\n/g, '<br>'),
    });
  }
  return `${feed.rss2()}\n`;
}
