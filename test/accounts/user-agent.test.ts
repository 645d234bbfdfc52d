// The settings page's session list names each browser in words a person recognises.
import { describe, expect, it } from 'vitest';
import { describeUserAgent } from '../../server/modules/accounts/user-agent.ts';

const CHROME_WIN =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

describe('describeUserAgent', () => {
  it.each([
    [CHROME_WIN, 'Chrome · Windows'],
    [SAFARI_IPHONE, 'Safari · iPhone'],
    [
      'Mozilla/5.0 (Linux; Android 14; V2229A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.47',
      '微信 · Android',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0',
      'Edge · macOS',
    ],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0', 'Firefox · Linux'],
    ['curl/8.5.0', 'curl'],
    [null, '未知浏览器'],
    ['something odd', '未知浏览器'],
  ])('%s -> %s', (ua, words) => {
    expect(describeUserAgent(ua)).toBe(words);
  });
});
