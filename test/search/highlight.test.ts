import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../server/lib/escape-html.ts';
import { highlightAll, snippet, termMatcher } from '../../server/modules/search/highlight.ts';

describe('highlighting', () => {
  it('escapes before marking, and marks the longest term first', () => {
    const m = termMatcher(['微信', '微信支付']);
    expect(highlightAll('<i>微信支付</i> & 微信', m)).toBe(
      '&lt;i&gt;<mark>微信支付</mark>&lt;/i&gt; &amp; <mark>微信</mark>',
    );
    expect(escapeHtml(`<a href="x">'`)).toBe('&lt;a href&#x3D;&quot;x&quot;&gt;&#x27;');
  });

  it('treats regular-expression characters in terms literally and ignores case', () => {
    expect(highlightAll('a.b a+b ICBC', termMatcher(['a+b', 'icbc']))).toBe('a.b <mark>a+b</mark> <mark>ICBC</mark>');
    expect(highlightAll('plain', termMatcher([]))).toBe('plain');
  });

  it('cuts a window of about 80 characters around the first hit', () => {
    const text = `${'前'.repeat(100)}账户冻结${'后'.repeat(100)}`;
    const s = snippet(text, termMatcher(['冻结']));
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    expect(s).toContain('<mark>冻结</mark>');
    expect(s.replace(/<\/?mark>|…/g, '').length).toBe(80);
    expect(snippet('短文本<b>', termMatcher(['文本']))).toBe('短<mark>文本</mark>&lt;b&gt;');
    expect(snippet('没有命中'.repeat(30), termMatcher(['冻结'])).startsWith('没有命中')).toBe(true);
  });

  it('never splits a surrogate pair', () => {
    const s = snippet(`${'🙂'.repeat(100)}冻结`, termMatcher(['冻结']));
    expect(s).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
