// Streams a multipart body part by part: fields are collected, each attachment goes straight to a temporary file under
// the upload folder while its hash, size and first bytes are taken on the way. Nothing holds a whole file in memory.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { storageFailureCode } from '../db/storage-health.ts';
import { AppError, TooLarge } from '../lib/errors.ts';
import { sizeLimitText } from '../lib/sizes.ts';

/** An attachment as received: on disk at `path` until the store adopts it or the request's cleanup removes it. */
export interface ReceivedFile {
  filename: string | undefined;
  path: string;
  /** Bytes received; when `truncated`, the file went past the per-file cap and nothing of it was kept. */
  size: number;
  sha256: string;
  truncated: boolean;
}

export interface ReceiveOptions {
  tmpDir: string;
  maxFileBytes: number;
  maxFiles: number;
  /** false: file parts are read and thrown away (routes that take fields only). */
  keepFiles: boolean;
  /** Every temporary path made is pushed here at once, so the request's cleanup finds it whatever happens next. */
  temps: string[];
}

/** Limits that leave the parser running: the rest of the body is read (and dropped) so the answer arrives cleanly. */
const LIMIT_CODES = new Set(['FST_FILES_LIMIT', 'FST_FIELDS_LIMIT', 'FST_PARTS_LIMIT']);

async function toTempFile(part: MultipartFile, o: ReceiveOptions): Promise<ReceivedFile> {
  const path = join(o.tmpDir, `incoming-${randomBytes(12).toString('hex')}`);
  o.temps.push(path);
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  await pipeline(part.file, tap, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  const truncated = part.file.truncated;
  if (truncated) await rm(path, { force: true });
  return { filename: part.filename, path, size, sha256: hash.digest('hex'), truncated };
}

function addField(fields: Record<string, unknown>, name: string, value: unknown): void {
  if (name in fields) fields[name] = ([] as unknown[]).concat(fields[name], value);
  else fields[name] = value;
}

/** Parser failures as the user should read them; malformed bodies are a 400, never a 500. */
function mapped(err: unknown, o: ReceiveOptions): unknown {
  const code = (err as { code?: string })?.code;
  if (code === 'FST_FILES_LIMIT') return new TooLarge(`最多上传 ${o.maxFiles} 个附件`, 'attachments', 'TOO_MANY_FILES');
  if (code === 'FST_REQ_FILE_TOO_LARGE')
    return new TooLarge(`附件超过大小上限（每个最多 ${sizeLimitText(o.maxFileBytes)}）`, 'attachments');
  // A full or read-only disk under the temp folder is the server's problem, not the body's: the error handler makes it
  // a 503 with Retry-After (db/storage-health.ts).
  if (err instanceof AppError || code?.startsWith('FST_') || storageFailureCode(err)) return err;
  return new AppError(400, 'INVALID_BODY', '上传内容不完整或格式有误，请重新提交');
}

export async function receiveParts(
  req: FastifyRequest,
  o: ReceiveOptions,
): Promise<{ fields: Record<string, unknown>; files: ReceivedFile[] }> {
  const fields: Record<string, unknown> = {};
  const files: ReceivedFile[] = [];
  try {
    const parts = req.parts({
      limits: {
        fileSize: o.maxFileBytes,
        files: o.maxFiles,
        fields: 50,
        fieldSize: 100 * 1024,
        parts: o.maxFiles + 50,
      },
    });
    for await (const part of parts) {
      if (part.type === 'field') {
        addField(fields, part.fieldname, part.value);
        continue;
      }
      if (!o.keepFiles || part.fieldname !== 'attachments') {
        part.file.resume();
        await finished(part.file);
        continue;
      }
      const file = await toTempFile(part, o);
      if (file.size === 0 && !file.filename) continue; // an empty file input
      files.push(file);
    }
  } catch (err) {
    if (LIMIT_CODES.has((err as { code?: string })?.code ?? '') && !req.raw.readableEnded)
      await finished(req.raw).catch(() => {});
    throw mapped(err, o);
  }
  // A multipart JSON-ish client may send demands as one comma-separated field.
  if (typeof fields.demands === 'string' && fields.demands.includes(',')) fields.demands = fields.demands.split(',');
  return { fields, files };
}
