// App plugin: the public board. Keeps public_cases and the scorecard sums in step with every complaint change (in the
// change's transaction), syncs the search index through the outbox, and decorates the readers the routes use.
import fp from 'fastify-plugin';
import type { Db } from '../../db/database.ts';
import type { Ctx } from '../../lib/ctx.ts';
import { NEVER_PUBLIC } from '../complaints/states.ts';
import type { SearchIndex } from '../search/types.ts';
import { loadSegmenter } from '../search/segment.ts';
import { WarmRunner, type WarmStatus } from '../search/warm-runner.ts';
import { warmPages, warmPaths } from './page-warm.ts';
import { caseMaterialiser } from './materialise.ts';
import { toPublicCase, type PublicCaseSource } from './public-case.ts';
import { openSearchIndex } from './search-backend.ts';
import { moderationService, type ModerationService } from './moderation.ts';
import { boardReader, type BoardReader } from './reader.ts';
import { Scorecards } from './scorecard.ts';
import { SEARCH_TOPIC, enqueueSearchSync, searchSyncHandler } from './search-sync.ts';

export interface Board {
  reader: BoardReader;
  moderation: ModerationService;
  scorecards: Scorecards;
  search: SearchIndex;
  /** Background warm-up of the search index, started once the app listens (SEARCH_WARM); `warm.status()` for /readyz. */
  warm: WarmRunner;
  /** Brings one complaint's public row and scorecard contribution up to date (the hook; also usable by scripts). */
  refresh(tx: Db, ctx: Ctx, complaintId: number): void;
  /** What the public view of a complaint is built from (the admins' publication page shows it beside the original). */
  source(complaintId: number): PublicCaseSource | null;
  /**
   * The public title and text a case would show if published now (with the admins' corrections), for moderators
   * deciding before approval; null when the consumer did not consent to publication.
   */
  previewPublic(complaintId: number): { title: string; description: string } | null;
  /** Called after a case is published, changed or removed (in the change's transaction: it must only take note). */
  onPublicChange(listener: () => void): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    board: Board;
  }
}

/**
 * The first minute after start, until the warm-up has read the common words' lists, a cold search or similar() costs
 * up to seconds (measured at 1,000,000 cases: similar 1–3 s, 退款 330 ms). Readiness waits for the warm-up, so a load
 * balancer sends traffic to a warm process; past WARM_READY_CAP_MS it is ready anyway (a slow disk must not keep a
 * process out of service), and /healthz says it is alive throughout.
 */
export const WARM_READY_CAP_MS = 60_000;
export function searchReadiness(loaded: boolean, warm: WarmStatus | null, pagesWarming = false): string | null {
  if (!loaded) return '搜索索引尚未加载完成';
  if (warm?.state === 'warming' && warm.ms < WARM_READY_CAP_MS)
    return `搜索预热中（${warm.terms}/${warm.total} 个常用词）`;
  // The pages' own warm-up (page-warm.ts) follows the search's: a few seconds at most.
  if (pagesWarming && (warm === null || warm.ms < WARM_READY_CAP_MS)) return '页面预热中';
  return null;
}

export default fp(
  async (app) => {
    const search: SearchIndex = openSearchIndex(app.config, app.sqlite, (err) =>
      app.log.warn({ err }, 'similar-cases thread failed; the draft was scored on the request thread'),
    );
    // Readiness follows the index's load, so a loading that moves off the start path still reports itself.
    let searchLoaded = false;
    let warmStatus = (): WarmStatus | null => null;
    let pagesWarming = false;
    app.readiness.add('search', () => searchReadiness(searchLoaded, warmStatus(), pagesWarming));
    await search.init();
    // jieba's dictionary loads synchronously (~0.4 s): before listening, not in the first request or the warm-up.
    loadSegmenter();
    searchLoaded = true;
    const scorecards = new Scorecards(app.db, app.sqlite);
    const warm = new WarmRunner(search.warmUp ? (control) => search.warmUp!(control) : null, {
      sliceMs: app.config.searchWarm.sliceMs,
      onError: (err) => app.log.error({ err }, 'search warm-up failed; words are read on first use instead'),
      onFinish: (s) => {
        app.log.info({ warm: s }, 'search warm-up ended');
        if (s.state !== 'warm') return;
        // Then the pages readers open first, before readiness says ready (page-warm.ts).
        pagesWarming = true;
        warmPages(app, warmPaths(app.sqlite))
          .catch((err) => app.log.warn({ err }, 'page warm-up failed'))
          .finally(() => {
            pagesWarming = false;
          });
      },
    });
    warmStatus = () => warm.status();
    // After listening, never before: start time stays what it was, and the warm-up yields to requests (warm-runner.ts).
    if (app.config.searchWarm.enabled)
      app.addHook('onListen', async () => {
        void warm.start();
      });
    const materialiser = caseMaterialiser(app.sqlite, app.config.sessionSecret);

    // Most changes before approval (filing, editing, rejecting) concern nothing public and count for no provider yet:
    // one indexed read decides that, so intake does not pay for the board. A change into any other status needs no read.
    const neverPublic = new Set<string>(NEVER_PUBLIC);
    const untouched = app.sqlite
      .prepare(`SELECT 1 FROM complaints c WHERE c.id = ? AND c.status IN (${NEVER_PUBLIC.map((s) => `'${s}'`).join(', ')})
    AND NOT EXISTS (SELECT 1 FROM case_stats s WHERE s.complaint_id = c.id) AND NOT EXISTS (SELECT 1 FROM public_cases p WHERE p.complaint_id = c.id)`)
      .pluck();

    const publicChangeListeners: (() => void)[] = [];

    // The materialiser's statements run on this app's one connection, so inside the transaction `tx` holds.
    function refresh(tx: Db, ctx: Ctx, complaintId: number, status?: string): void {
      if ((status === undefined || neverPublic.has(status)) && untouched.get(complaintId)) return;
      const r = materialiser.refresh(complaintId, ctx.clock.now());
      if (!r) return;
      if (r.statsChanged) scorecards.invalidate();
      if (r.publication === 'none') return;
      enqueueSearchSync(app.outbox, tx, ctx, complaintId, r.lastEventId);
      for (const listener of publicChangeListeners) listener();
    }

    // Internal events (staff notes, pre-breach warnings) change neither the public view nor any scorecard figure.
    const INVISIBLE = new Set(['note', 'first_response_warning', 'resolution_warning']);
    app.complaintHooks.onChange('board', (tx, ctx, change) => {
      if (INVISIBLE.has(change.event) && change.from === change.to) return;
      refresh(tx, ctx, change.complaintId, change.to);
    });
    // POST /api/v1/complaints/:id/events {type: unpublish|republish} (the lifecycle's route) writes the timeline event;
    // the hook above then reads it and takes the case down or puts it back, in the same transaction.
    const moderation = moderationService(app.db, app.complaints.platform, app.complaintHooks, app.timeline);
    if (app.hasDecorator('lifecycle')) {
      app.lifecycle.definePluggedAction('unpublish', {
        role: 'admin',
        allowed: (c) => moderation.stateOf(c.id) === 'published',
        apply: () => ({ via: 'events' }),
      });
      app.lifecycle.definePluggedAction('republish', {
        role: 'admin',
        allowed: (c) => moderation.stateOf(c.id) === 'taken_down',
        apply: () => ({ via: 'events' }),
      });
    }
    app.outbox.registerHandler(
      SEARCH_TOPIC,
      searchSyncHandler(app.db, () => search),
    );
    app.decorate('board', {
      reader: boardReader(
        app.sqlite,
        () => search,
        () => app.clock.now(),
      ),
      moderation,
      scorecards,
      search,
      warm,
      refresh,
      source: (complaintId) => materialiser.loadSource(complaintId),
      previewPublic: (complaintId) => {
        const src = materialiser.loadSource(complaintId);
        if (src?.complaint.consent !== 'public') return null;
        const doc = toPublicCase(src);
        return { title: doc.title, description: doc.description };
      },
      onPublicChange: (listener) => {
        publicChangeListeners.push(listener);
      },
    } satisfies Board);
    // preClose: no slice runs once closing has begun, before any plugin releases what a slice reads.
    app.addHook('preClose', async () => {
      warm.stop();
    });
    app.addHook('onClose', async () => {
      warm.stop();
      searchLoaded = false;
      await search.close();
    });
  },
  { name: 'board', dependencies: ['db', 'clock', 'providers', 'complaints', 'outbox', 'readiness'] },
);
