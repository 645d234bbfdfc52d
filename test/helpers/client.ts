// A cookie-keeping client over app.inject, with the CSRF token fetched the way outside clients do.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export interface FilePart {
  name?: string;
  filename: string;
  data: Buffer | Uint8Array;
  type?: string;
}

export class Client {
  private readonly jar = new Map<string, string>();
  private token: string | null = null;
  constructor(private readonly app: FastifyInstance) {}

  private keep(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      // A new CSRF secret (set at login): the token held is void, the next request fetches one as outside clients do.
      if (c.name === '_csrf') this.token = null;
      if (c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now())) this.jar.delete(c.name);
      else this.jar.set(c.name, c.value);
    }
    return res;
  }

  get cookieHeader() {
    return [...this.jar].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
  }

  async csrf(): Promise<string> {
    if (!this.token) this.token = (await this.get('/api/v1/auth/csrf')).json().token as string;
    return this.token;
  }

  async get(url: string, headers: Record<string, string> = {}) {
    return this.keep(await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader, ...headers } }));
  }

  /** JSON request with the CSRF header (pass csrf: false to leave it out). */
  async send(
    method: 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
    opts: { csrf?: boolean; headers?: Record<string, string> } = {},
  ) {
    const token = opts.csrf !== false ? await this.csrf() : null;
    const headers: Record<string, string> = { cookie: this.cookieHeader, ...(opts.headers ?? {}) };
    if (token) headers['x-csrf-token'] = token;
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const body =
      payload === undefined
        ? undefined
        : typeof payload === 'string' || Buffer.isBuffer(payload)
          ? payload
          : JSON.stringify(payload);
    return this.keep(await this.app.inject({ method, url, headers, payload: body }));
  }

  post(url: string, payload?: unknown, opts?: { csrf?: boolean; headers?: Record<string, string> }) {
    return this.send('POST', url, payload, opts);
  }

  /** An HTML form post (urlencoded), with the CSRF token in the _csrf field as the pages send it. */
  async form(url: string, fields: Record<string, string | string[]>, opts: { csrf?: boolean } = {}) {
    const params = new URLSearchParams();
    if (opts.csrf !== false) params.append('_csrf', await this.csrf());
    for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) params.append(k, x);
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        payload: params.toString(),
        headers: {
          cookie: this.cookieHeader,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'text/html',
        },
      }),
    );
  }

  /** A multipart post, as the pages' upload forms send it: the CSRF token in the action's ?_csrf query. */
  async multipart(
    url: string,
    fields: Record<string, string | string[]>,
    files: FilePart[],
    opts: { csrf?: boolean; html?: boolean } = {},
  ) {
    const fd = new FormData();
    if (opts.csrf !== false) url += `${url.includes('?') ? '&' : '?'}_csrf=${encodeURIComponent(await this.csrf())}`;
    for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) fd.append(k, x);
    for (const f of files)
      fd.append(
        f.name ?? 'attachments',
        new Blob([new Uint8Array(f.data)], { type: f.type ?? 'application/octet-stream' }),
        f.filename,
      );
    const req = new Request('http://local/', { method: 'POST', body: fd });
    const payload = Buffer.from(await req.arrayBuffer());
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        payload,
        headers: {
          cookie: this.cookieHeader,
          'content-type': req.headers.get('content-type')!,
          ...(opts.html ? { accept: 'text/html' } : {}),
        },
      }),
    );
  }
}
