// Schemas at the edge: fastify refuses what a route's schema forbids, with the project's error body and a Chinese
// message that names the field by its label; forms re-render with the message beside the field.
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { consumer } from '../helpers/factories.ts';

let t: TestApp;
afterEach(async () => t?.close());

describe('schema validation', () => {
  it('answers a JSON body of the wrong shape with 400, code INVALID, the field and a Chinese message', async () => {
    t = await makeApp();
    const c = new Client(t.app);
    const wrongType = await c.post('/api/v1/auth/register', {
      email: 5,
      password: 'long-enough-1',
      displayName: '小王',
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json()).toEqual({ error: { code: 'INVALID', message: '邮箱格式不正确', field: 'email' } });

    const missing = await c.post('/api/v1/auth/register', { email: 'a@example.com', password: 'long-enough-1' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toEqual({ code: 'INVALID', message: '请填写昵称', field: 'displayName' });

    const tooLong = await c.post('/api/v1/auth/register', {
      email: 'a@example.com',
      password: 'long-enough-1',
      displayName: '长'.repeat(21),
    });
    expect(tooLong.json().error).toEqual({ code: 'INVALID', message: '昵称不能超过 20 个字', field: 'displayName' });
  });

  it('re-renders a form with the schema message beside its field, keeping what was typed', async () => {
    t = await makeApp();
    const c = new Client(t.app);
    const res = await c.form('/register', {
      email: 'a@example.com',
      password: 'long-enough-1',
      displayName: '长'.repeat(21),
      realName: '',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('昵称不能超过 20 个字');
    expect(res.body).toContain('a@example.com');
  });

  it('takes a JSON body as sent, while forms and query strings, which are text, are read as their schema types them', async () => {
    t = await makeApp();
    const c = await consumer(t.app);
    const quoted = await c.send('PATCH', '/api/v1/me/settings', { notify: { replies: 'false' } });
    expect(quoted.statusCode).toBe(400);
    expect(quoted.json().error).toMatchObject({ code: 'INVALID', field: 'notify.replies' });
    expect((await c.get('/api/v1/me/settings')).json().notify.replies).toBe(true);
    // The page's form posts one ticked box as a string; the API's query string carries numbers as text.
    expect((await c.form('/me/settings/notifications', { notify: 'review' })).statusCode).toBe(303);
    expect((await c.get('/api/v1/me/settings')).json().notify).toMatchObject({ replies: false, review: true });
    const page = await c.get('/api/v1/cases?pageSize=5&page=1');
    expect(page.statusCode).toBe(200);
    expect(page.json().page).toBe(1);
  });

  it('never answers 500 for a body that is not an object', async () => {
    t = await makeApp();
    const c = new Client(t.app);
    for (const payload of ['[1,2]', '"text"', '42', 'null']) {
      const res = await c.post('/api/v1/auth/login', payload);
      expect(res.statusCode, payload).toBe(400);
      expect(res.json().error.code).toMatch(/^INVALID/);
    }
  });
});
