// A request's fields and attachments, from JSON, an urlencoded form or multipart. Multipart is read only here, in the
// handler, after the guards; its files arrive as temporary files (see server/plugins/uploads.ts), never as buffers.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Submission } from '../../plugins/uploads.ts';

export function readSubmission(req: FastifyRequest, reply: FastifyReply): Promise<Submission> {
  return req.server.uploads.receive(req, reply);
}
