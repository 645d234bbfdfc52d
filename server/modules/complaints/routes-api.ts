// JSON API for complaints (private views). Thin: read input, call a verb, shape the answer.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireRole } from '../../lib/http.ts';
import { doc, IdParams, responses, Type } from '../../lib/schema.ts';
import { readChecked } from '../../lib/schema-check.ts';
import { readComplaint } from './input.ts';
import { complaintDetail } from './page-view.ts';
import { readSubmission } from './submission.ts';
import { AttachmentParams, ComplaintBody, ComplaintView, FiledBody, MyComplaints } from './schemas.ts';
import { toComplaintSummary, toComplaintView } from './view-model.ts';

const FILING =
  '也可以 multipart/form-data 提交：字段同 JSON（demands 可重复或以逗号分隔），附件放在 attachments（每个最多 10 MB，最多 5 个，' +
  '只收 JPEG、PNG、WebP、PDF，按内容判断类型）。multipart 在登录、CSRF 与频率检查通过后才读取，字段按同一 schema 检查。' +
  '同一 Idempotency-Key 请求头（或 submissionKey）重复提交时返回第一次的投诉（200，duplicate 为 true）。';

export default async function complaintApiRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/v1/complaints',
    {
      config: { rateLimit: { max: 20, timeWindow: '1 minute' }, multipart: 'files' },
      schema: {
        ...doc({
          tag: '投诉',
          summary: '提交投诉（JSON，或 multipart 附带 attachments 文件）',
          auth: '消费者',
          csrf: true,
          description: FILING,
        }),
        // Per media type: fastify validates JSON here; a multipart body is read (and checked against the same schema)
        // only in the handler, after the guards.
        consumes: ['application/json', 'multipart/form-data'],
        body: { content: { 'application/json': { schema: ComplaintBody } } },
        response: responses({ 201: FiledBody, 200: FiledBody }, 400, 401, 403, 404, 411, 413, 415, 429, 503),
      },
    },
    async (req, reply) => {
      requireRole(req, 'consumer');
      const { fields, files } = await readSubmission(req, reply);
      const input = readChecked(ComplaintBody, fields, (f) => readComplaint(f, app.clock));
      const key = req.headers['idempotency-key'];
      const submissionKey =
        typeof key === 'string' && key
          ? key.slice(0, 100)
          : typeof fields.submissionKey === 'string'
            ? fields.submissionKey.slice(0, 100)
            : null;
      const { complaint, duplicate } = await app.complaints.file(req.ctx(), input, files, submissionKey);
      return reply
        .code(duplicate ? 200 : 201)
        .send({ id: complaint.id, reference: complaint.reference, status: complaint.status, duplicate });
    },
  );

  app.get(
    '/api/v1/complaints/:id',
    {
      schema: {
        ...doc({ tag: '投诉', summary: '投诉详情（消费者本人、该机构商家、管理员可见；其他人 404）', auth: '是' }),
        params: IdParams,
        response: responses({ 200: ComplaintView }, 400, 401, 404),
      },
    },
    async (req) => {
      const actor = requireRole(req);
      return toComplaintView(complaintDetail(app, req.ctx(), req.params.id), actor);
    },
  );

  app.get(
    '/api/v1/me/complaints',
    {
      schema: {
        ...doc({ tag: '投诉', summary: '我的投诉', auth: '消费者' }),
        response: responses({ 200: MyComplaints }, 401, 404),
      },
    },
    async (req) => {
      requireRole(req, 'consumer');
      return { items: app.complaints.listMine(req.ctx()).map((r) => toComplaintSummary(r.complaint, r.provider)) };
    },
  );

  // Attachments are served only through the complaint's scope, never from a public path.
  app.get(
    '/complaints/:id/attachments/:attachmentId',
    {
      schema: {
        params: AttachmentParams,
        response: responses({ 200: Type.String({ description: '附件内容（图片内联显示，PDF 下载）' }) }, 400, 401, 404),
      },
    },
    async (req, reply) => {
      requireRole(req);
      const { file, bytes } = await app.complaints.attachment(req.ctx(), req.params.id, req.params.attachmentId);
      return reply
        .type(file.mime)
        .header('Cache-Control', 'private, no-store')
        .header(
          'Content-Disposition',
          `${file.mime === 'application/pdf' ? 'attachment' : 'inline'}; filename*=UTF-8''${encodeURIComponent(file.originalName)}`,
        )
        .send(bytes);
    },
  );
}
