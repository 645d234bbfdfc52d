// What the moderation routes accept and answer: the queue as JSON (every field the queue item has), and the page's
// query. The approve / reject forms are lifecycle events, checked against complaints/schemas.ts EventBody.
import { Loose, Type } from '../../lib/schema.ts';
import { AttachmentView, ProviderRef } from '../complaints/schemas.ts';

const QueueItem = Type.Object(
  {
    id: Type.Integer(),
    reference: Type.String(),
    title: Type.String(),
    description: Type.String(),
    category: Type.String(),
    categoryLabel: Type.String(),
    demands: Type.Array(Type.String()),
    amountFen: Type.Union([Type.Integer({ description: '单位：分' }), Type.Null()]),
    incidentDate: Type.Union([Type.String(), Type.Null()]),
    consent: Type.String(),
    consumerEmailVerified: Type.Boolean({ description: '投诉人是否已验证邮箱；未验证的在队列中标为“未验证邮箱”' }),
    createdAt: Type.String({ format: 'date-time' }),
    provider: Type.Object({
      ...ProviderRef.properties,
      verified: Type.Boolean({ description: '待核实的机构为 false，审核时需先核实' }),
    }),
    attachments: Type.Array(AttachmentView),
  },
  { title: '待审核投诉' },
);

export const QueueBody = Type.Object(
  {
    total: Type.Integer({ description: '待审核总数' }),
    items: Type.Array(QueueItem, { description: '最早提交的在前，每次最多 50 件' }),
  },
  { title: '审核队列' },
);

export const QueuePageQuery = Type.Object({ done: Loose('完成的操作', 40) });
