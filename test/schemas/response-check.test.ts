// The test-mode response check: a response schema that would silently drop or change a field turns the answer into a
// loud 500, so every test that calls the API also checks that the route's schema still lists what the handler returns.
import Fastify from 'fastify';
import { expect, it } from 'vitest';
import responseCheck, { differences } from '../../server/plugins/response-check.ts';

it('names the paths where the serialised answer differs from what the handler returned', () => {
  expect(differences({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 2] } })).toEqual([]);
  expect(differences({ a: 1, b: { c: 2, d: 3 } }, { a: 1, b: { c: 2 } })).toEqual(['b.d']);
  expect(differences({ n: 1.5 }, { n: 2 })).toEqual(['n']);
});

it('turns an answer whose schema dropped a field into a 500 naming it, and lets a faithful one through', async () => {
  const app = Fastify();
  await app.register(responseCheck);
  const schema = { response: { 200: { type: 'object', properties: { kept: { type: 'string' } } } } };
  app.get('/drops', { schema }, async () => ({ kept: 'x', added: 'y' }));
  app.get('/faithful', { schema }, async () => ({ kept: 'x' }));
  const dropped = await app.inject('/drops');
  expect(dropped.statusCode).toBe(500);
  expect(dropped.json().error.message).toContain('added');
  const ok = await app.inject('/faithful');
  expect(ok.statusCode).toBe(200);
  expect(ok.json()).toEqual({ kept: 'x' });
  await app.close();
});
