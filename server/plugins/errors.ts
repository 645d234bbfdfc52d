// External plugin: one error handler. Domain errors and fastify's 4xx map to {"error":{code,message,field}}; pages get
// an error page. A full disk or read-only file system is a 503 with Retry-After (nothing was stored, the person may
// try again), recorded in app.storage for readiness. Anything else is logged and answered with a plain 500 that tells
// nothing of the internals.
import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, Busy, TooMany } from '../lib/errors.ts';
import { STORAGE_MESSAGE, STORAGE_RETRY_AFTER_S, storageFailureCode } from '../db/storage-health.ts';

interface ErrorBody {
  code: string;
  message: string;
  field?: string;
}

const FASTIFY_CODES: Record<string, ErrorBody & { status: number }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'TOO_LARGE', message: '提交的内容过大' },
  FST_REQ_FILE_TOO_LARGE: { status: 413, code: 'TOO_LARGE', message: '附件超过大小上限', field: 'attachments' },
  FST_FILES_LIMIT: { status: 413, code: 'TOO_MANY_FILES', message: '附件数量超过上限', field: 'attachments' },
  FST_PARTS_LIMIT: { status: 413, code: 'TOO_LARGE', message: '表单项过多' },
  FST_FIELDS_LIMIT: { status: 413, code: 'TOO_LARGE', message: '表单项过多' },
  FST_MP_PREMATURE_CLOSE: { status: 400, code: 'INVALID_BODY', message: '上传在完成前中断了，请重试' },
  FST_PROTO_VIOLATION: { status: 400, code: 'INVALID_BODY', message: '表单项名称无效' },
  FST_INVALID_JSON_FIELD_ERROR: { status: 400, code: 'INVALID_JSON', message: '表单项不是有效的 JSON' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持的请求内容类型' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'INVALID_JSON', message: '请求内容为空' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'INVALID_BODY', message: '请求长度不正确' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: '请求不是 multipart 表单',
  },
  FST_CSRF_INVALID_TOKEN: { status: 403, code: 'CSRF', message: '页面已过期或请求来源无效，请刷新页面后重试' },
  FST_CSRF_MISSING_SECRET: { status: 403, code: 'CSRF', message: '页面已过期或请求来源无效，请刷新页面后重试' },
};

export function toErrorBody(err: unknown): { status: number; body: ErrorBody; retryAfter?: number } | null {
  if (storageFailureCode(err))
    return {
      status: 503,
      body: { code: 'STORAGE_UNAVAILABLE', message: STORAGE_MESSAGE },
      retryAfter: STORAGE_RETRY_AFTER_S,
    };
  if (err instanceof AppError)
    return {
      status: err.statusCode,
      body: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) },
    };
  const e = err as FastifyError & { code?: string };
  const known = e?.code ? FASTIFY_CODES[e.code] : undefined;
  if (known) {
    const { status, ...body } = known;
    return { status, body };
  }
  if (e?.statusCode === 429)
    return { status: 429, body: { code: 'RATE_LIMITED', message: e.message || '操作过于频繁，请稍后再试' } };
  if (e?.validation)
    return {
      status: 400,
      body: {
        code: 'INVALID',
        message: '输入有误',
        field: String(e.validation[0]?.instancePath ?? '').replace(/^\//, '') || undefined,
      },
    };
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: e.statusCode, body: { code: 'BAD_REQUEST', message: '请求无法处理' } };
  }
  return null;
}

export const wantsHtml = (req: FastifyRequest) =>
  !req.url.startsWith('/api/') && (req.headers.accept ?? '').includes('text/html');

export default fp(
  async (app) => {
    app.setErrorHandler((err, req, reply: FastifyReply) => {
      const mapped = toErrorBody(err);
      if (!mapped) {
        req.log.error({ err }, 'unhandled error');
        if (wantsHtml(req))
          return reply
            .code(500)
            .type('text/html; charset=utf-8')
            .send('<!doctype html><meta charset="utf-8"><title>出错了</title><p>服务器出错了，请稍后重试。</p>');
        return reply.code(500).send({ error: { code: 'INTERNAL', message: '服务器内部错误，请稍后重试' } });
      }
      if (err instanceof Busy || err instanceof TooMany) reply.header('Retry-After', String(err.retryAfterSeconds));
      else if (mapped.status >= 500) req.log.error({ err }, 'server error');
      if (mapped.retryAfter) {
        app.storage.record(err);
        reply.header('retry-after', String(mapped.retryAfter));
      }
      if (wantsHtml(req) && reply.page) {
        return reply.page(
          'error',
          { title: '出错了', status: mapped.status, message: mapped.body.message },
          mapped.status,
        );
      }
      return reply.code(mapped.status).send({ error: mapped.body });
    });

    app.setNotFoundHandler((req, reply) => {
      if (wantsHtml(req))
        return reply.page('error', { title: '页面不存在', status: 404, message: '找不到这个页面。' }, 404);
      return reply.code(404).send({ error: { code: 'NOT_FOUND', message: '找不到该资源' } });
    });
  },
  { name: 'errors' },
);
