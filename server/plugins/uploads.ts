// External plugin: multipart bodies. Nothing of a multipart body is read before the route's handler asks for it, and
// a handler asks only after the rate limit (onRequest), the session and the CSRF token (preHandler; multipart forms
// carry the token in the X-CSRF-Token header or the ?_csrf query) and its own role check have passed. Then the
// request's declared length is reserved from a process-wide byte budget (refused with 503 + Retry-After when it would
// not fit) and the parts stream to temporary files. Whatever the outcome, the temporaries are removed and the
// reservation released before the answer goes out.
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PRIVATE_DIR } from '../lib/data-dir.ts';
import fp from 'fastify-plugin';
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ByteBudget } from '../lib/byte-budget.ts';
import { AppError, Busy, TooLarge } from '../lib/errors.ts';
import { sizeLimitText } from '../lib/sizes.ts';
import { receiveParts, type ReceivedFile } from './upload-receiver.ts';

export type { ReceivedFile } from './upload-receiver.ts';
export interface Submission {
  fields: Record<string, unknown>;
  files: ReceivedFile[];
}

declare module 'fastify' {
  /** Routes that accept multipart say so; every other route refuses it (415) before reading a byte. */
  interface FastifyContextConfig {
    multipart?: 'files' | 'fields';
  }
  interface FastifyRequest {
    uploadCleanup: (() => Promise<void>) | null;
  }
  interface FastifyInstance {
    uploads: { budget: ByteBudget; receive(req: FastifyRequest, reply: FastifyReply): Promise<Submission> };
  }
}

/** When a refused upload may try again: long enough for the uploads in flight to finish at ordinary speeds. */
export const RETRY_AFTER_SECONDS = 10;

const isMultipartType = (req: FastifyRequest) =>
  (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/');
const declaresBody = (req: FastifyRequest) =>
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') ||
  req.headers['transfer-encoding'] !== undefined;

const plainBody = (req: FastifyRequest): Record<string, unknown> =>
  req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};

export interface UploadOptions {
  uploadDir: string;
  maxFileBytes: number;
  maxFiles: number;
  requestMaxBytes: number;
  inflightMaxBytes: number;
}

export default fp<UploadOptions>(
  async (app, opts) => {
    const tmpDir = join(opts.uploadDir, 'tmp');
    mkdirSync(tmpDir, { recursive: true, mode: PRIVATE_DIR });
    const budget = new ByteBudget(opts.inflightMaxBytes);
    // Marks multipart requests and leaves their bodies unread; parsing happens only in receive().
    await app.register(multipart, { throwFileSizeLimit: false });
    app.decorateRequest('uploadCleanup', null);

    app.addHook('preParsing', async (req) => {
      if (isMultipartType(req) && !req.routeOptions.config?.multipart) {
        throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '此接口不接受 multipart 表单，请以 JSON 或普通表单提交');
      }
    });

    app.addHook('onSend', async (req, reply) => {
      if (req.uploadCleanup) await req.uploadCleanup();
      // A body left unread (refused before reading, or a parse that stopped) is not drained: the connection closes.
      if (declaresBody(req) && !req.raw.complete) reply.header('connection', 'close');
    });

    async function receive(req: FastifyRequest, reply: FastifyReply): Promise<Submission> {
      if (!req.isMultipart()) return { fields: plainBody(req), files: [] };
      const declared = req.headers['content-length'];
      const length = Number(declared);
      if (declared === undefined || !Number.isSafeInteger(length) || length < 0) {
        throw new AppError(411, 'LENGTH_REQUIRED', '上传附件的请求须注明长度（Content-Length）', 'attachments');
      }
      if (length > opts.requestMaxBytes)
        throw new TooLarge(`上传内容超过上限（每次最多 ${sizeLimitText(opts.requestMaxBytes)}）`, 'attachments');
      const release = budget.tryReserve(length);
      if (!release)
        throw new Busy(`当前上传的人较多，请 ${RETRY_AFTER_SECONDS} 秒后再试`, RETRY_AFTER_SECONDS, 'attachments');

      const temps: string[] = [];
      let cleaned: Promise<void> | null = null;
      req.uploadCleanup = () =>
        (cleaned ??= (async () => {
          release();
          await Promise.all(temps.map((p) => rm(p, { force: true })));
        })());
      // An aborted client never gets to onSend: the closed socket cleans up instead.
      reply.raw.once('close', () => {
        void req.uploadCleanup?.();
      });
      return receiveParts(req, {
        tmpDir,
        maxFileBytes: opts.maxFileBytes,
        maxFiles: opts.maxFiles,
        keepFiles: req.routeOptions.config?.multipart === 'files',
        temps,
      });
    }

    app.decorate('uploads', { budget, receive });
  },
  { name: 'uploads', dependencies: ['body'] },
);
