// For the benchmarks that talk to the running service (bench-mixed, bench-intake): a small HTTP client that keeps its
// cookies by name and its CSRF token, fetching the token again after logging in or registering (both replace the CSRF
// secret cookie).
export class Client {
  private cookies = new Map<string, string>();
  private csrf = '';
  constructor(private readonly base: string) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return { ...(cookie ? { cookie } : {}), ...(this.csrf ? { 'x-csrf-token': this.csrf } : {}), ...extra };
  }

  private keep(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
  }

  async request(method: string, path: string, body?: unknown, ok: number[] = [200]): Promise<Response> {
    const res = await fetch(this.base + path, {
      method,
      headers: this.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
    this.keep(res);
    if (!ok.includes(res.status))
      throw new Error(`${method} ${path}: ${res.status} ${(await res.text()).slice(0, 200)}`);
    return res;
  }

  async get(path: string, ok?: number[]): Promise<void> {
    await (await this.request('GET', path, undefined, ok)).arrayBuffer();
  }
  async post(path: string, body: unknown, ok?: number[]): Promise<void> {
    await (await this.request('POST', path, body, ok)).arrayBuffer();
  }
  async json(method: string, path: string, body?: unknown, ok?: number[]): Promise<unknown> {
    return (await this.request(method, path, body, ok)).json();
  }

  private async token() {
    this.csrf = ((await this.json('GET', '/api/v1/auth/csrf')) as { token: string }).token;
  }

  async login(email: string, password: string): Promise<void> {
    await this.token();
    await this.post('/api/v1/auth/login', { email, password });
    await this.token(); // a token issued before login may not survive it
  }

  async register(email: string, password = 'bench-consumer-password'): Promise<void> {
    await this.token();
    await this.post('/api/v1/auth/register', { email, password, displayName: '压测用户' }, [201]);
    await this.token();
  }
}
