// Readiness waits for the search warm-up (a cold first search or similar() costs seconds at scale), but never longer
// than WARM_READY_CAP_MS: a slow warm-up must not keep a live process out of service.
import { expect, it } from 'vitest';
import { searchReadiness, WARM_READY_CAP_MS } from '../../server/modules/board/plugin.ts';
import type { WarmStatus } from '../../server/modules/search/warm-runner.ts';

const status = (state: WarmStatus['state'], ms: number): WarmStatus => ({
  state,
  terms: 120,
  total: 412,
  ms,
  slices: 10,
  longestSliceMs: 4,
});

it('is not ready while the index loads, nor while the warm-up runs within its cap; ready otherwise', () => {
  expect(searchReadiness(false, null)).toBe('搜索索引尚未加载完成');
  expect(searchReadiness(true, null)).toBeNull();
  expect(searchReadiness(true, status('idle', 0))).toBeNull();
  expect(searchReadiness(true, status('warming', 5_000))).toBe('搜索预热中（120/412 个常用词）');
  expect(searchReadiness(true, status('warming', WARM_READY_CAP_MS))).toBeNull();
  for (const s of ['warm', 'failed', 'stopped', 'off'] as const)
    expect(searchReadiness(true, status(s, 5_000))).toBeNull();
});

it('then waits for the pages warm-up, within the same cap', () => {
  expect(searchReadiness(true, status('warm', 5_000), true)).toBe('页面预热中');
  expect(searchReadiness(true, status('warm', WARM_READY_CAP_MS), true)).toBeNull();
  expect(searchReadiness(true, status('warm', 5_000), false)).toBeNull();
});
