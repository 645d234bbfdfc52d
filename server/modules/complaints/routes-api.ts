// JSON API for complaints (private views). Thin: read input, call a verb, shape the answer.
import type { FastifyInstance } from 'fastify';
import { idParam, requireRole } from '../../lib/http.ts';
import { readComplaint } from './input.ts';
import { complaintDetail } from './page-view.ts';
import { readSubmission } from './submission.ts';
import { toComplaintSummary, toComplaintView } from './view-model.ts';

export default async function complaintApiRoutes(app: FastifyInstance) {
  app.post('/api/v1/complaints', { config: { rateLimit: { max: 20, timeWindow: '1 minute' }, multipart: 'files' } }, async (req, reply) => {
    requireRole(req, 'consumer');
    const { fields, files } = await readSubmission(req, reply);
    const input = readComplaint(fields, app.clock);
    const key = req.headers['idempotency-key'];
    const submissionKey = typeof key === 'string' && key ? key.slice(0, 100) : typeof fields.submissionKey === 'string' ? fields.submissionKey.slice(0, 100) : null;
    const { complaint, duplicate } = await app.complaints.file(req.ctx(), input, files, submissionKey);
    return reply.code(duplicate ? 200 : 201).send({ id: complaint.id, reference: complaint.reference, status: complaint.status, duplicate });
  });

  app.get('/api/v1/complaints/:id', async (req) => {
    const actor = requireRole(req);
    return toComplaintView(complaintDetail(app, req.ctx(), idParam(req)), actor);
  });

  app.get('/api/v1/me/complaints', async (req) => {
    requireRole(req, 'consumer');
    return { items: app.complaints.listMine(req.ctx()).map((r) => toComplaintSummary(r.complaint, r.provider)) };
  });

  // Attachments are served only through the complaint's scope, never from a public path.
  app.get('/complaints/:id/attachments/:attachmentId', async (req, reply) => {
    requireRole(req);
    const { file, bytes } = await app.complaints.attachment(req.ctx(), idParam(req), idParam(req, 'attachmentId'));
    return reply.type(file.mime).header('Cache-Control', 'private, no-store')
      .header('Content-Disposition', `${file.mime === 'application/pdf' ? 'attachment' : 'inline'}; filename*=UTF-8''${encodeURIComponent(file.originalName)}`)
      .send(bytes);
  });
}
