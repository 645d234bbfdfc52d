// The anonymous page cache: a page is served only for the version it was rendered from, and a full cache drops the
// page read least recently.
import { describe, expect, it } from 'vitest';
import { Doorkeeper } from '../../server/lib/doorkeeper.ts';
import { PageCache } from '../../server/modules/board/page-cache.ts';

describe('PageCache', () => {
  it('answers only for the version a page was rendered from', () => {
    const pages = new PageCache(10);
    pages.set(1, 3, '<p>v3</p>');
    expect(pages.get(1, 3)).toBe('<p>v3</p>');
    expect(pages.get(1, 4)).toBeUndefined();
    expect(pages.get(2, 3)).toBeUndefined();
    pages.set(1, 4, '<p>v4</p>');
    expect(pages.get(1, 3)).toBeUndefined();
    expect(pages.get(1, 4)).toBe('<p>v4</p>');
    expect(pages.size).toBe(1);
  });

  it('drops the least recently read page when full, not the oldest written', () => {
    const pages = new PageCache(3);
    pages.set(1, 1, 'a');
    pages.set(2, 1, 'b');
    pages.set(3, 1, 'c');
    expect(pages.get(1, 1)).toBe('a'); // 1 is now the most recently used; 2 the least
    pages.set(4, 1, 'd');
    expect(pages.size).toBe(3);
    expect(pages.get(2, 1)).toBeUndefined();
    expect([pages.get(1, 1), pages.get(3, 1), pages.get(4, 1)]).toEqual(['a', 'c', 'd']);
  });

  it('with a doorkeeper keeps a page from its second rendering, and the new version of a kept page at once', () => {
    const pages = new PageCache(10, new Doorkeeper<number>(60_000, 100, () => 0));
    pages.set(1, 1, 'read once');
    expect(pages.get(1, 1)).toBeUndefined();
    expect(pages.size).toBe(0);
    pages.set(1, 1, 'read twice');
    expect(pages.get(1, 1)).toBe('read twice');
    pages.set(1, 2, 'edited'); // already kept: the new version replaces it without waiting for a second view
    expect(pages.get(1, 2)).toBe('edited');
    expect(pages.size).toBe(1);
  });
});
