// The pure deadline module: no database, no app, the clock value passed in.
import { describe, expect, it } from 'vitest';
import {
  countdownText,
  DEFAULT_POLICY,
  dueDeadlines,
  firstResponseWarnAt,
  nextDeadlineAt,
  pauseResolution,
  pendingDeadlines,
  policyFor,
  resolutionWarnAt,
  resumeResolution,
  startClocks,
  type Clocks,
} from '../../server/modules/sla/deadlines.ts';
import { clocksAfter } from '../../server/modules/sla/transition-clocks.ts';

const H = 3600_000;
const T = Date.UTC(2026, 10, 2, 2, 0, 0);

const blank: Clocks = {
  status: 'submitted',
  forwardedAt: null,
  firstResponseAt: null,
  firstResponseDueAt: null,
  resolutionDueAt: null,
  firstResponseWarnedAt: null,
  resolutionWarnedAt: null,
  firstResponseBreachedAt: null,
  resolutionBreachedAt: null,
  resolutionPausedAt: null,
  resolutionPausedMs: 0,
  resolvedAt: null,
  closedAt: null,
  autoCloseAt: null,
  nextDeadlineAt: null,
};
const forwardedAt = (t: number, policy = DEFAULT_POLICY): Clocks => ({
  ...blank,
  ...startClocks(t, policy),
  status: 'forwarded',
});

describe('policy', () => {
  it('defaults to 24 h first response, 48 h resolution, warning at 80%, 7-day auto-close', () => {
    expect(DEFAULT_POLICY).toMatchObject({
      firstResponseMs: 24 * H,
      resolutionMs: 48 * H,
      warnFraction: 0.8,
      autoCloseMs: 7 * 24 * H,
    });
  });

  it('takes category overrides, field by field, and ignores other categories', () => {
    const overrides = {
      'unauthorized-debit': { firstResponseHours: 12 },
      'account-frozen': { resolutionHours: 72, firstResponseHours: 6 },
    };
    expect(policyFor('unauthorized-debit', overrides)).toMatchObject({ firstResponseMs: 12 * H, resolutionMs: 48 * H });
    expect(policyFor('account-frozen', overrides)).toMatchObject({ firstResponseMs: 6 * H, resolutionMs: 72 * H });
    expect(policyFor('refund-pending', overrides)).toBe(DEFAULT_POLICY);
    expect(policyFor('toString', overrides)).toBe(DEFAULT_POLICY);
  });
});

describe('clocks', () => {
  it('start at forwarding: due at +24 h and +48 h, warnings at 80% (19.2 h and 38.4 h)', () => {
    const c = forwardedAt(T);
    expect(c.firstResponseDueAt).toBe(T + 24 * H);
    expect(c.resolutionDueAt).toBe(T + 48 * H);
    expect(firstResponseWarnAt(c)).toBe(T + 19.2 * H);
    expect(resolutionWarnAt(c)).toBe(T + 38.4 * H);
    expect(pendingDeadlines(c).map((d) => d.kind)).toEqual([
      'first_response_warning',
      'first_response_breach',
      'resolution_warning',
      'resolution_breach',
    ]);
    expect(nextDeadlineAt(c)).toBe(T + 19.2 * H);
  });

  it('warn at 80% of an overridden window too', () => {
    const c = forwardedAt(T, policyFor('unauthorized-debit', { 'unauthorized-debit': { firstResponseHours: 12 } }));
    expect(c.firstResponseDueAt).toBe(T + 12 * H);
    expect(firstResponseWarnAt(c)).toBe(T + 9.6 * H);
  });

  it('pause and resume: the due time shifts by exactly the paused time, and the pause is recorded', () => {
    let c = forwardedAt(T);
    c = { ...c, ...pauseResolution(c, T + 10 * H), status: 'awaiting_consumer' };
    expect(c.resolutionPausedAt).toBe(T + 10 * H);
    expect(pauseResolution(c, T + 11 * H)).toEqual({}); // pausing twice keeps the first instant
    c = { ...c, ...resumeResolution(c, T + 13 * H), status: 'in_progress' };
    expect(c).toMatchObject({ resolutionPausedAt: null, resolutionPausedMs: 3 * H, resolutionDueAt: T + 51 * H });
    // Warning stays at 80% of the active window: 38.4 h of running time, i.e. 41.4 h after forwarding.
    expect(resolutionWarnAt(c)).toBe(T + 41.4 * H);
    c = { ...c, ...pauseResolution(c, T + 20 * H) };
    c = { ...c, ...resumeResolution(c, T + 22 * H) };
    expect(c).toMatchObject({ resolutionPausedMs: 5 * H, resolutionDueAt: T + 53 * H });
    expect(resumeResolution(c, T + 30 * H)).toEqual({}); // not paused: nothing to resume
  });

  it('while paused, the resolution clock has no pending deadline', () => {
    let c = forwardedAt(T);
    c = {
      ...c,
      firstResponseAt: T + H,
      ...pauseResolution(c, T + H),
      status: 'awaiting_consumer',
      autoCloseAt: T + H + 7 * 24 * H,
    };
    expect(pendingDeadlines(c)).toEqual([{ kind: 'auto_close', at: T + H + 7 * 24 * H }]);
  });

  it('what is due at a time; a due breach swallows its own warning', () => {
    const c = forwardedAt(T);
    expect(dueDeadlines(c, T + 19 * H)).toEqual([]);
    expect(dueDeadlines(c, T + 20 * H)).toEqual(['first_response_warning']);
    expect(dueDeadlines(c, T + 25 * H)).toEqual(['first_response_breach']);
    expect(dueDeadlines(c, T + 49 * H)).toEqual(['first_response_breach', 'resolution_breach']);
    const warned = { ...c, firstResponseWarnedAt: T + 20 * H };
    expect(dueDeadlines(warned, T + 21 * H)).toEqual([]);
    expect(nextDeadlineAt(warned)).toBe(T + 24 * H);
    const breached = { ...warned, firstResponseBreachedAt: T + 24 * H };
    expect(nextDeadlineAt(breached)).toBe(T + 38.4 * H);
    expect(
      nextDeadlineAt({ ...breached, resolutionWarnedAt: T + 39 * H, resolutionBreachedAt: T + 48 * H }),
    ).toBeNull();
  });

  it('an answered first response and a finished case have nothing pending', () => {
    const c = { ...forwardedAt(T), firstResponseAt: T + H, status: 'in_progress' as const };
    expect(pendingDeadlines(c).map((d) => d.kind)).toEqual(['resolution_warning', 'resolution_breach']);
    expect(nextDeadlineAt({ ...c, status: 'resolved' })).toBeNull();
    expect(nextDeadlineAt({ ...c, status: 'withdrawn' })).toBeNull();
  });
});

describe('transitions move the clocks', () => {
  const P = DEFAULT_POLICY;
  it('approve starts; a reply answers the first response; propose pauses and sets the auto-close', () => {
    let c: Clocks = { ...blank };
    c = {
      ...c,
      ...clocksAfter(c, { event: 'approve', from: 'submitted', to: 'forwarded' }, T, P),
      status: 'forwarded',
    };
    expect(c.nextDeadlineAt).toBe(T + 19.2 * H);
    c = {
      ...c,
      ...clocksAfter(c, { event: 'reply', from: 'forwarded', to: 'in_progress' }, T + 2 * H, P),
      status: 'in_progress',
    };
    expect(c.firstResponseAt).toBe(T + 2 * H);
    expect(c.nextDeadlineAt).toBe(T + 38.4 * H);
    c = {
      ...c,
      ...clocksAfter(c, { event: 'propose_resolution', from: 'in_progress', to: 'awaiting_consumer' }, T + 10 * H, P),
      status: 'awaiting_consumer',
    };
    expect(c).toMatchObject({
      resolutionPausedAt: T + 10 * H,
      autoCloseAt: T + 10 * H + 7 * 24 * H,
      nextDeadlineAt: T + 10 * H + 7 * 24 * H,
      firstResponseAt: T + 2 * H,
    });
    c = {
      ...c,
      ...clocksAfter(c, { event: 'dispute', from: 'awaiting_consumer', to: 'in_progress' }, T + 16 * H, P),
      status: 'in_progress',
    };
    expect(c).toMatchObject({
      resolutionPausedAt: null,
      resolutionPausedMs: 6 * H,
      resolutionDueAt: T + 54 * H,
      autoCloseAt: null,
    });
    c = {
      ...c,
      ...clocksAfter(c, { event: 'propose_resolution', from: 'in_progress', to: 'awaiting_consumer' }, T + 20 * H, P),
      status: 'awaiting_consumer',
    };
    c = {
      ...c,
      ...clocksAfter(c, { event: 'confirm', from: 'awaiting_consumer', to: 'resolved' }, T + 30 * H, P),
      status: 'resolved',
    };
    expect(c).toMatchObject({
      resolvedAt: T + 30 * H,
      resolutionPausedMs: 16 * H,
      autoCloseAt: null,
      nextDeadlineAt: null,
    });
  });

  it('an internal note is not a first response', () => {
    const c = forwardedAt(T);
    expect(
      clocksAfter(c, { event: 'note', from: 'forwarded', to: 'forwarded' }, T + H, P).firstResponseAt,
    ).toBeUndefined();
  });

  it('a reopen restarts both clocks from the reopening time', () => {
    const done: Clocks = {
      ...forwardedAt(T),
      status: 'resolved',
      firstResponseAt: T + H,
      firstResponseBreachedAt: null,
      resolutionBreachedAt: T + 48 * H,
      resolvedAt: T + 60 * H,
    };
    const patch = clocksAfter(done, { event: 'reopen', from: 'resolved', to: 'forwarded' }, T + 100 * H, P);
    expect(patch).toMatchObject({
      forwardedAt: T + 100 * H,
      firstResponseAt: null,
      firstResponseDueAt: T + 124 * H,
      resolutionDueAt: T + 148 * H,
      resolutionBreachedAt: null,
      resolvedAt: null,
    });
  });

  it('closing sets closedAt and leaves nothing pending', () => {
    const c = forwardedAt(T);
    expect(clocksAfter(c, { event: 'withdraw', from: 'forwarded', to: 'withdrawn' }, T + H, P)).toMatchObject({
      closedAt: T + H,
      nextDeadlineAt: null,
    });
  });
});

describe('countdown text', () => {
  it.each([
    [5 * H + 12 * 60_000 + 30_000, '剩余 5 小时 12 分'],
    [45 * 60_000, '剩余 45 分'],
    [-(3 * H + 10 * 60_000), '已超时 3 小时'],
    [-(20 * 60_000), '已超时 20 分'],
    [0, '已超时 0 分'],
  ])('%d ms -> %s', (ms, text) => {
    expect(countdownText(T + ms, T)).toBe(text);
  });
});
