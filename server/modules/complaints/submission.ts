// Turning a request (JSON, urlencoded form, or multipart with files) into plain fields and file buffers.
import type { FastifyRequest } from 'fastify';
import type { MultipartFile, MultipartValue } from '@fastify/multipart';
import type { IncomingFile } from './intake.ts';

type Part = MultipartFile | MultipartValue;

export async function readSubmission(req: FastifyRequest): Promise<{ fields: Record<string, unknown>; files: IncomingFile[] }> {
  const raw = (req.body ?? {}) as Record<string, unknown>;
  if (!req.isMultipart()) return { fields: typeof raw === 'object' && !Array.isArray(raw) ? raw : {}, files: [] };
  const fields: Record<string, unknown> = {};
  const files: IncomingFile[] = [];
  for (const [name, value] of Object.entries(raw)) {
    const parts = (Array.isArray(value) ? value : [value]) as Part[];
    for (const part of parts) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (data.length === 0 && !part.filename) continue; // an empty file input
        if (name === 'attachments') files.push({ filename: part.filename, data });
        continue;
      }
      const v = part.value;
      if (name in fields) fields[name] = ([] as unknown[]).concat(fields[name], v);
      else fields[name] = v;
    }
  }
  // A multipart JSON-ish client may send demands as one comma-separated field.
  if (typeof fields.demands === 'string' && fields.demands.includes(',')) fields.demands = fields.demands.split(',');
  return { fields, files };
}
