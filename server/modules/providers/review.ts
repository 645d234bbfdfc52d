// Admins' review of names consumers typed that matched no listed provider: verify (list it, with a checked contact),
// merge into a listed provider (the name becomes an alias, complaints and scorecard figures move), or reject (never
// public). Each decision writes an internal timeline event on every affected complaint (the audit trail) and runs the
// complaint hooks, so the public copies, search documents and scorecards follow in the same transaction.
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { requireActor, type Ctx } from '../../lib/ctx.ts';
import { Conflict, Invalid, NotFound } from '../../lib/errors.ts';
import { anonymise } from '../anonymise/anonymise.ts';
import type { ComplaintHooks } from '../complaints/hooks.ts';
import type { PlatformAccess } from '../complaints/platform.ts';
import type { Timeline } from '../complaints/timeline.ts';
import { isOpen, type Status } from '../complaints/states.ts';
import { providers, type Provider } from './schema.ts';
import { foldName, type ProviderService } from './service.ts';
import { isListed, isPending, STATUS_LABELS } from './states.ts';
import type { MergeInput, RejectInput, VerifyInput } from './review-input.ts';

export interface ReviewDeps {
  db: Db;
  providers: ProviderService;
  hooks: ComplaintHooks;
  /** The complaints that name a provider, and moving them on a merge (the complaints module's platform verbs). */
  complaints: PlatformAccess;
  /** Consumers' names (accounts' `namesOf`): a provider name that repeats one is personal data. */
  namesOf: (userIds: readonly number[]) => { realName: string | null; displayName: string }[];
  /** The complaints module's one timeline writer: each decision is an audit event on every affected complaint. */
  timeline: Pick<Timeline, 'append'>;
  /**
   * For an open complaint whose forwarding waited in the operator queue (research or a call for the old name):
   * close those tasks and forward again through the complaint's current provider's channels.
   */
  reforward(tx: Db, ctx: Ctx, complaintId: number, reason: string): void;
}

export interface PendingName {
  slug: string;
  name: string;
  personalData: boolean;
  complaints: number;
  createdAt: string;
  status: string;
  statusLabel: string;
}

export const REVIEW_EVENT = 'provider_review';

export function providerReview(deps: ReviewDeps) {
  const { db } = deps;
  const requireAdmin = (ctx: Ctx) => {
    const a = requireActor(ctx);
    if (a.role !== 'admin') throw new NotFound();
    return a;
  };

  const pendingBySlug = (slug: string): Provider => {
    const p = deps.providers.bySlug(slug);
    if (!p || p.status === 'reserved') throw new NotFound('找不到该机构');
    if (!isPending(p))
      throw new Conflict(`该名称的当前状态为「${STATUS_LABELS[p.status]}」，只能处理待审核的名称`, 'NOT_PENDING');
    return p;
  };

  /** The names of the consumers who typed it: a provider name that repeats one of them is personal data. */
  const fillerNames = (tx: Db, providerId: number) =>
    deps
      .namesOf(deps.complaints.filerIds(providerId, tx))
      .flatMap((u) => [u.realName, u.displayName])
      .filter((n): n is string => !!n && n.trim().length >= 2);

  /** What staff see of a name: scrubbed like any public text, and whether anything had to be scrubbed. */
  const scrubbed = (tx: Db, p: Provider) => {
    const r = anonymise(p.name, { knownNames: fillerNames(tx, p.id) });
    return { name: r.text, personalData: r.findings.length > 0 };
  };

  const complaintsOf = (tx: Db, providerId: number) => deps.complaints.ofProvider(providerId, tx);

  /** The audit event on each complaint, then the hooks (board: public row, scorecard, search sync). */
  function touchComplaints(
    tx: Db,
    ctx: Ctx,
    list: { id: number; status: string }[],
    body: string,
    data: Record<string, unknown>,
  ) {
    const actor = requireActor(ctx);
    const now = ctx.clock.now();
    for (const c of list) {
      deps.timeline.append({ complaintId: c.id, type: REVIEW_EVENT, actor, body, internal: true, data, at: now });
      deps.hooks.run(tx, { ...ctx, tx }, { complaintId: c.id, event: REVIEW_EVENT, from: c.status, to: c.status });
    }
  }

  return {
    /** Pending names, oldest first, each with how many complaints name it. Names are shown scrubbed. */
    queue(ctx: Ctx): PendingName[] {
      requireAdmin(ctx);
      const rows = db
        .select()
        .from(providers)
        .where(eq(providers.status, 'pending'))
        .orderBy(asc(providers.createdAt), asc(providers.id))
        .all();
      const counts = deps.complaints.countsByProvider(rows.map((r) => r.id));
      return rows.map((p) => ({
        slug: p.slug,
        ...scrubbed(db, p),
        complaints: counts.get(p.id) ?? 0,
        createdAt: new Date(p.createdAt).toISOString(),
        status: p.status,
        statusLabel: STATUS_LABELS[p.status],
      }));
    },

    /** Lists the name with a checked contact. The public name must carry no personal data. */
    verify(ctx: Ctx, slug: string, input: VerifyInput): Provider {
      requireAdmin(ctx);
      return db.transaction((tx) => {
        const p = pendingBySlug(slug);
        const name = input.name ?? p.name;
        if (anonymise(name, { knownNames: fillerNames(tx, p.id) }).findings.length) {
          throw new Invalid(
            { name: '名称含有个人信息（姓名、电话等），请改为机构的正式名称后再核实' },
            'NAME_PERSONAL',
          );
        }
        if (input.slug && input.slug !== p.slug && deps.providers.bySlug(input.slug))
          throw new Invalid({ slug: '该标识已被使用' }, 'SLUG_TAKEN');
        const now = ctx.clock.now();
        const updated = tx
          .update(providers)
          .set({
            name,
            slug: input.slug ?? p.slug,
            hotline: input.hotline ?? p.hotline,
            contactSource: input.contactSource,
            lastVerifiedAt: input.lastVerifiedAt ?? now,
            verified: true,
            status: 'listed',
            reviewedAt: now,
            updatedAt: now,
          })
          .where(eq(providers.id, p.id))
          .returning()
          .get();
        const list = complaintsOf(tx, p.id);
        touchComplaints(tx, ctx, list, `平台已核实机构名称「${name}」`, { action: 'verify', provider: updated.slug });
        // The contact the operators were researching is known now: waiting complaints go out through it at once.
        if (updated.hotline) {
          for (const c of list)
            if (isOpen({ status: c.status as Status }))
              deps.reforward(tx, ctx, c.id, `机构已核实，客服电话 ${updated.hotline}`);
        }
        return updated;
      });
    },

    /** Folds the name into a listed provider: complaints, figures and waiting forwarding move to the target. */
    merge(ctx: Ctx, slug: string, input: MergeInput): { provider: Provider; moved: number; aliasAdded: boolean } {
      requireAdmin(ctx);
      return db.transaction((tx) => {
        const p = pendingBySlug(slug);
        if (input.into === p.slug) throw new Invalid({ into: '不能合并到它自己' }, 'MERGE_SELF');
        const target = deps.providers.bySlug(input.into);
        if (!target) throw new Invalid({ into: '找不到要合并到的机构' }, 'MERGE_TARGET_UNKNOWN');
        if (!isListed(target))
          throw new Invalid(
            { into: `只能合并到已收录的机构（「${input.into}」的状态为${STATUS_LABELS[target.status]}）` },
            'MERGE_TARGET_NOT_LISTED',
          );
        const now = ctx.clock.now();
        // Never turn personal data (李雷 15011112222 骗子) into a public alias; the complaints move all the same.
        const personal = anonymise(p.name, { knownNames: fillerNames(tx, p.id) }).findings.length > 0;
        const known = new Set([target.name, ...target.aliases].map(foldName));
        const aliasAdded = !personal && !known.has(foldName(p.name));
        const provider = tx
          .update(providers)
          .set({ aliases: aliasAdded ? [...target.aliases, p.name] : target.aliases, updatedAt: now })
          .where(eq(providers.id, target.id))
          .returning()
          .get();
        tx.update(providers)
          .set({ status: 'merged', mergedInto: target.id, reviewedAt: now, updatedAt: now })
          .where(eq(providers.id, p.id))
          .run();
        const moved = complaintsOf(tx, p.id);
        if (moved.length) deps.complaints.moveToProvider(tx, p.id, target.id);
        touchComplaints(tx, ctx, moved, `平台已将机构名称合并至「${target.name}」`, {
          action: 'merge',
          into: target.slug,
        });
        for (const c of moved) {
          if (isOpen({ status: c.status as Status }))
            deps.reforward(tx, ctx, c.id, `机构名称已合并至「${target.name}」，改按其转交渠道处理`);
        }
        return { provider, moved: moved.length, aliasAdded };
      });
    },

    /** Spam or personal data: the name stays private for good; its complaints stay with the consumer and moderation. */
    reject(ctx: Ctx, slug: string, input: RejectInput): Provider {
      requireAdmin(ctx);
      return db.transaction((tx) => {
        const p = pendingBySlug(slug);
        const now = ctx.clock.now();
        const updated = tx
          .update(providers)
          .set({ status: 'rejected', reviewedAt: now, updatedAt: now })
          .where(eq(providers.id, p.id))
          .returning()
          .get();
        touchComplaints(
          tx,
          ctx,
          complaintsOf(tx, p.id),
          `平台驳回了该机构名称${input.reason ? `：${input.reason}` : ''}`,
          { action: 'reject' },
        );
        return updated;
      });
    },
  };
}

export type ProviderReview = ReturnType<typeof providerReview>;
