// Schema pieces every route shares: TypeBox builders with the Chinese labels the error messages use (`title`), the
// error body, and the response sets. fastify validates with them and @fastify/swagger documents them.
import { Type, type TSchema } from '@sinclair/typebox';

export { Type };
export type { Static, TSchema } from '@sinclair/typebox';

/** The shared error body, registered once (`addSchema`) and referenced by every route's 4xx/5xx responses. */
export const ApiError = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: '机器可读的错误码，如 INVALID、NOT_FOUND、RATE_LIMITED' }),
      message: Type.String({ description: '给人看的中文说明' }),
      field: Type.Optional(Type.String({ description: '出错的字段（表单项名）' })),
    }),
  },
  { $id: 'ApiError', title: '错误' },
);

const errorRef = Type.Unsafe<{ error: { code: string; message: string; field?: string } }>(Type.Ref('ApiError'));

const ERROR_TEXT: Record<number, string> = {
  400: '输入有误',
  401: '未登录',
  403: '没有权限或 CSRF 令牌无效',
  404: '不存在或无权查看',
  409: '当前状态不允许此操作',
  413: '内容过大',
  415: '不支持的内容类型',
  429: '操作过于频繁',
  503: '服务繁忙或存储不可用，稍后重试',
};

/** `responses({ 200: Body }, 400, 404)`: the success shapes, plus the listed error codes with the shared body. */
export function responses(ok: Record<number, TSchema>, ...errors: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = { ...ok };
  for (const code of errors) out[code] = { ...errorRef, description: ERROR_TEXT[code] ?? '错误' } as TSchema;
  return out;
}

/** 204 and redirects have no body. */
export const NoContent = Type.Null({ description: '无内容' });

/** A positive row id in the path. A bad one is a 400 naming the field, never a lookup of -1. */
export const IdParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, title: '编号' }),
});
export const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 80, title: '机构标识' }) });

/** A line of text with its label; the service still normalises (trim, whitespace) and applies domain rules. */
export const Text = (title: string, opts: { min?: number; max: number; description?: string }) =>
  Type.String({
    title,
    maxLength: opts.max,
    ...(opts.min ? { minLength: opts.min } : {}),
    ...(opts.description ? { description: opts.description } : {}),
  });

/**
 * A form field or page query value: an optional string (forms post strings, and leave empty fields out), capped so a
 * huge value is refused with its label. What is required and how long a text may be, the service says beside the field.
 */
export const Loose = (title: string, max = 2000) => Type.Optional(Type.String({ title, maxLength: max }));

/** The operation's place in the docs: tag, summary, who may call it and whether it needs the CSRF header. */
export function doc(d: { tag: string; summary: string; description?: string; auth?: string; csrf?: boolean }) {
  const description = [
    d.auth ? `需要登录：${d.auth}。` : '',
    d.csrf ? '需要 X-CSRF-Token 请求头。' : '',
    d.description ?? '',
  ].join('');
  const security = d.auth ? [{ session: [], ...(d.csrf ? { csrf: [] } : {}) }] : d.csrf ? [{ csrf: [] }] : undefined;
  return {
    tags: [d.tag],
    summary: d.summary,
    ...(description ? { description } : {}),
    ...(security ? { security } : {}),
  };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    noBody?: true;
  }
}
/** A state-changing route that reads no body (a retry): it declares no body schema and says so (route config). */
export const NO_BODY = { noBody: true } as const;
