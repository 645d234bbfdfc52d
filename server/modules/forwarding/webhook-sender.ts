// Webhook channel: POST the complaint as JSON, signed twice with the provider's secret: X-Complaint-Signature (HMAC-SHA256
// over `${timestamp}.${rawBody}`, hex) and the Standard Webhooks headers (webhook-id / -timestamp / -signature, HMAC-SHA256
// over `${id}.${timestamp}.${rawBody}`, base64), so a receiver can use a stock Standard Webhooks verifier.
// 2xx delivered; 4xx (except 408/429) is a refusal that retrying cannot fix; anything else retries.
import { createHmac } from 'node:crypto';
import type { SendResult } from '../outbox/registry.ts';

export function signatureHeader(secret: string, timestampSec: number, rawBody: string): string {
  const v1 = createHmac('sha256', secret).update(`${timestampSec}.${rawBody}`).digest('hex');
  return `t=${timestampSec},v1=${v1}`;
}

/**
 * Standard Webhooks (standardwebhooks.com) `webhook-signature`: `v1,<base64 HMAC-SHA256 of "<id>.<t>.<raw body>">`. The
 * key is the secret's UTF-8 bytes, as for X-Complaint-Signature: a stock verifier takes it as `whsec_` + their base64.
 */
export function standardSignature(secret: string, id: string, timestampSec: number, rawBody: string): string {
  return `v1,${createHmac('sha256', secret).update(`${id}.${timestampSec}.${rawBody}`).digest('base64')}`;
}

export interface WebhookRequest {
  url: string;
  secret: string;
  body: unknown;
  idempotencyKey: string;
  nowMs: number;
  timeoutMs: number;
  signal: AbortSignal;
}

export async function sendWebhook(r: WebhookRequest): Promise<SendResult> {
  const rawBody = JSON.stringify(r.body);
  const t = Math.floor(r.nowMs / 1000);
  const signal = AbortSignal.any([r.signal, AbortSignal.timeout(r.timeoutMs)]);
  let res: Response;
  try {
    res = await fetch(r.url, {
      method: 'POST',
      body: rawBody,
      signal,
      redirect: 'manual',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'wallet-complaints-webhook/1',
        'x-complaint-signature': signatureHeader(r.secret, t, rawBody),
        'x-complaint-timestamp': String(t),
        'idempotency-key': r.idempotencyKey,
        // The delivery's key is also its Standard Webhooks message id: the same on every retry of one delivery.
        'webhook-id': r.idempotencyKey,
        'webhook-timestamp': String(t),
        'webhook-signature': standardSignature(r.secret, r.idempotencyKey, t, rawBody),
      },
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why =
      e.name === 'TimeoutError'
        ? `超时（${r.timeoutMs / 1000} 秒无响应）`
        : e.name === 'AbortError'
          ? '已中止（服务关闭）'
          : `连接失败：${e.cause?.code ?? e.cause?.message ?? e.message}`;
    return { ok: false, detail: why, retryable: true };
  }
  const text = (await res.text().catch(() => '')).replace(/\s+/g, ' ').slice(0, 200);
  const detail = `HTTP ${res.status}${text ? ` ${text}` : ''}`;
  if (res.status >= 200 && res.status < 300) return { ok: true, detail };
  const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
  return { ok: false, detail, retryable: !permanent };
}
