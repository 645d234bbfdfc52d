// The ways in, as issue 11 found them: 我要投诉 while logged out explains why an account is needed and offers 注册;
// the header offers 注册; a consumer at the merchant entrance is told where to log in instead of being let through;
// staff are told that a reply is also published, anonymised.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeApp, type TestApp } from './helpers/app.ts';
import { Client } from './helpers/client.ts';
import { actors, publishedCase, staffFor, type Actors } from './helpers/lifecycle.ts';

let t: TestApp;
let who: Actors;
beforeAll(async () => {
  t = await makeApp();
  who = await actors(t);
});
afterAll(async () => t.close());

it('sends 我要投诉 while logged out to a login page that says why, with 注册 there and in the header', async () => {
  const anon = new Client(t.app);
  const go = await anon.get('/complaints/new', { accept: 'text/html' });
  expect(go.statusCode).toBe(303);
  const login = await anon.get(go.headers.location as string, { accept: 'text/html' });
  expect(login.body).toContain('提交投诉需要先登录');
  expect(login.body).toContain('href="/register?next=/complaints/new"');
  expect((await anon.get('/cases', { accept: 'text/html' })).body).toContain('<a href="/register">注册</a>');
  // Any other protected page: a plain explanation, no filing text.
  const other = await anon.get('/login?next=/me/complaints', { accept: 'text/html' });
  expect(other.body).toContain('登录后会回到你刚才要打开的页面');
  expect(other.body).not.toContain('提交投诉需要先登录');
});

it('tells a consumer at the merchant entrance where to log in, and starts no session', async () => {
  const c = new Client(t.app);
  const res = await c.form('/merchant/login', { email: 'consumer@example.com', password: 'wrong-password-1' });
  expect(res.statusCode).toBe(401); // wrong password: the usual answer, nothing revealed
  const email = (await who.consumer.get('/api/v1/auth/me')).json().user.email as string;
  const wrongDoor = await c.form('/merchant/login', { email, password: 'correct-horse-1' });
  expect(wrongDoor.statusCode).toBe(400);
  expect(wrongDoor.body).toContain('这是机构工作人员的登录入口');
  expect((await c.get('/api/v1/auth/me')).json().user).toBeNull();
});

it('says beside the reply box that a reply is also published, anonymised', async () => {
  const filed = await publishedCase(t, who);
  const staff = await staffFor(t, who, 'alipay');
  const page = await staff.get(`/merchant/complaints/${filed.id}`, { accept: 'text/html' });
  expect(page.body).toContain('回复经匿名化后也会公开');
});
