// External plugin: request bodies. JSON must be valid UTF-8; urlencoded forms are parsed here (capped). Multipart is
// the uploads plugin's: it is never parsed before the handler has checked who is asking.
import fp from 'fastify-plugin';
import formbody from '@fastify/formbody';
import { isUtf8 } from 'node:buffer';
import { AppError } from '../lib/errors.ts';

export default fp(
  async (app) => {
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body: Buffer, done) => {
      if (!isUtf8(body)) return done(new AppError(400, 'INVALID_UTF8', '请求内容不是有效的 UTF-8 编码'));
      if (body.length === 0) return done(null, {});
      try {
        done(null, JSON.parse(body.toString('utf8')));
      } catch {
        done(new AppError(400, 'INVALID_JSON', '请求内容不是有效的 JSON'));
      }
    });
    await app.register(formbody, { bodyLimit: 200 * 1024 });
  },
  { name: 'body' },
);
