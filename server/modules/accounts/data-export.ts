// Everything the platform holds about one account, for its owner (个人信息保护法 art. 45): the profile, each complaint
// as its owner sees it (timeline, attachments with their download links, deliveries), the ratings given, the e-mails
// sent to the account that the outbox still remembers, and the live sessions (never their secrets).
import type { FastifyInstance } from 'fastify';
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import { requireActor, type Ctx } from '../../lib/ctx.ts';
import { NotFound } from '../../lib/errors.ts';
import { complaintDetail } from '../complaints/page-view.ts';
import { toComplaintView } from '../complaints/view-model.ts';
import { complaintDrafts } from '../complaints/schema.ts';
import { outbox } from '../outbox/schema.ts';
import { hashSessionId } from './service.ts';
import { sessions } from './schema.ts';

const iso = (ms: number | null | undefined) => (typeof ms === 'number' ? new Date(ms).toISOString() : null);

interface EmailRow {
  kind?: unknown;
  subject?: unknown;
  complaintId?: unknown;
}

export function accountExporter(app: FastifyInstance) {
  const { db } = app;

  return {
    /** `sessionId`: the cookie value of the asking session, marked as the current one. */
    export(ctx: Ctx, sessionId: string | null) {
      const actor = requireActor(ctx);
      const user = app.accounts.get(actor.id);
      if (!user) throw new NotFound();
      const now = ctx.clock.now();

      const complaints =
        user.role === 'consumer'
          ? app.complaints.listMine(ctx).map((r) => toComplaintView(complaintDetail(app, ctx, r.complaint.id), actor))
          : [];
      const base = app.config.publicUrl;
      const attachments = complaints.flatMap((c) =>
        c.attachments.map((a) => ({
          complaintId: c.id,
          reference: c.reference,
          name: a.name,
          mime: a.mime,
          sizeBytes: a.sizeBytes,
          url: `${base}${a.url}`,
        })),
      );
      const ratings = complaints.flatMap((c) =>
        c.timeline
          .filter((e) => e.type === 'confirm' && e.data && typeof e.data.rating === 'object')
          .map((e) => ({
            complaintId: c.id,
            reference: c.reference,
            ...(e.data!.rating as { attitude: number; speed: number; satisfaction: number }),
            at: e.at,
          })),
      );

      // Mails addressed to this account, as long as the outbox keeps their payloads (secret ones are emptied once sent).
      const mails = db
        .select({
          payload: outbox.payload,
          status: outbox.status,
          createdAt: outbox.createdAt,
          doneAt: outbox.doneAt,
        })
        .from(outbox)
        .where(and(eq(outbox.topic, 'email'), sql`json_extract(${outbox.payload}, '$.userId') = ${user.id}`))
        .orderBy(desc(outbox.id))
        .all()
        .map((m) => {
          const p = m.payload as EmailRow;
          return {
            kind: typeof p.kind === 'string' ? p.kind : '',
            subject: typeof p.subject === 'string' ? p.subject : '',
            complaintId: typeof p.complaintId === 'number' ? p.complaintId : null,
            status: m.status,
            queuedAt: iso(m.createdAt) as string,
            sentAt: m.status === 'done' ? iso(m.doneAt) : null,
          };
        });

      const draftOf = (userId: number) => {
        const d = db.select().from(complaintDrafts).where(eq(complaintDrafts.userId, userId)).get();
        return d ? { fields: d.fields as Record<string, unknown>, updatedAt: iso(d.updatedAt) as string } : null;
      };
      const current = sessionId ? hashSessionId(sessionId) : null;
      const live = db
        .select()
        .from(sessions)
        .where(and(eq(sessions.userId, user.id), gt(sessions.expiresAt, now)))
        .orderBy(asc(sessions.createdAt))
        .all()
        .map((s) => ({
          createdAt: iso(s.createdAt) as string,
          lastSeenAt: iso(s.lastSeenAt),
          expiresAt: iso(s.expiresAt) as string,
          userAgent: s.userAgent,
          current: s.idHash === current,
        }));

      return {
        exportedAt: iso(now) as string,
        profile: {
          id: user.id,
          email: user.email,
          displayName: user.displayName,
          realName: user.realName,
          phone: user.phone,
          role: user.role,
          createdAt: iso(user.createdAt) as string,
          emailVerified: user.emailVerifiedAt !== null,
          emailVerifiedAt: iso(user.emailVerifiedAt),
          twoFactor: user.totpSecret !== null,
          notifyPrefs: user.notifyPrefs ?? {},
        },
        complaints,
        attachments,
        ratings,
        notifications: mails,
        sessions: live,
        draft: draftOf(user.id),
      };
    },
  };
}

export type AccountExport = ReturnType<ReturnType<typeof accountExporter>['export']>;
