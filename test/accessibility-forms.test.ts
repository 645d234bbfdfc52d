// Field errors are tied to their fields (aria-invalid, aria-describedby naming the message), the summary links each
// message to its field, and every page starts with a skip link to its content.
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from './helpers/app.ts';
import { Client } from './helpers/client.ts';
import { consumer } from './helpers/factories.ts';

let t: TestApp;
afterEach(async () => t?.close());

/** The opening tag of the element with this id. */
const tagOf = (html: string, id: string) => html.match(new RegExp(`<[a-z]+ id="${id}"[^>]*>`))?.[0] ?? '';

describe('field errors', () => {
  it('the filing form marks each failed field and links the summary to it', async () => {
    t = await makeApp();
    const c = await consumer(t.app);
    const res = await c.form('/complaints/new', { provider: '', title: '', description: '太短', consent: 'public' });
    expect(res.statusCode).toBe(400);
    for (const id of ['title', 'description']) {
      const tag = tagOf(res.body, id);
      expect(tag, id).toContain('aria-invalid="true"');
      expect(tag, id).toMatch(new RegExp(`aria-describedby="[^"]*${id}-error`));
      expect(res.body).toContain(`id="${id}-error"`);
      expect(res.body).toMatch(new RegExp(`<li><a href="#${id}">`));
    }
    // The provider keeps its hint beside the error; a field without an error is not marked.
    expect(tagOf(res.body, 'provider')).toContain('aria-describedby="provider-hint provider-error"');
    expect(tagOf(res.body, 'transactionRef')).not.toContain('aria-invalid');
  });

  it('the login form ties its error to the field', async () => {
    t = await makeApp();
    const res = await new Client(t.app).form('/login', { email: 'not-an-address', password: 'whatever-pass' });
    expect(res.statusCode).toBe(400);
    expect(tagOf(res.body, 'email')).toContain('aria-invalid="true"');
    expect(res.body).toContain('<li><a href="#email">');
  });

  it('a page without errors has neither marks nor summary', async () => {
    t = await makeApp();
    const c = await consumer(t.app);
    const html = (await c.get('/complaints/new')).body;
    expect(html).not.toContain('aria-invalid');
    expect(html).not.toContain('id="error-summary"');
    expect(tagOf(html, 'provider')).toContain('aria-describedby="provider-hint"');
  });
});

describe('skip link', () => {
  it('is the first link of every page and points at the main content', async () => {
    t = await makeApp();
    for (const url of ['/', '/cases', '/providers', '/login', '/help']) {
      const html = (await t.app.inject({ url })).body;
      const firstLink = html.match(/<a [^>]*>/)?.[0];
      expect(firstLink, url).toBe('<a class="skip-link" href="#main">');
      expect(html, url).toContain('<main class="wrap" id="main"');
    }
  });
});
