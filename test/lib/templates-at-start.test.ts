// Every template is compiled before the app listens: the first render of a page must not compile on the event loop.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { describe, expect, it, vi } from 'vitest';
import { registerHelpers } from '../../server/lib/view-helpers.ts';
import { compiledAtStart, VIEWS_DIR } from '../../server/plugins/views.ts';

describe('templates compiled at start', () => {
  it('answers compile(text) of any view from the templates compiled at start, without compiling again', () => {
    const hbs = Handlebars.create();
    registerHelpers(hbs);
    const { engine, templates } = compiledAtStart(hbs);
    expect(templates).toBeGreaterThan(40);
    const precompile = vi.spyOn(hbs, 'precompile');
    const compile = vi.spyOn(hbs, 'compile');
    const text = readFileSync(join(VIEWS_DIR, 'error.hbs'), 'utf8');
    const first = engine.compile(text);
    expect(engine.compile(text)).toBe(first);
    expect(precompile).not.toHaveBeenCalled();
    expect(compile).not.toHaveBeenCalled();
    expect(first({ title: '出错了', message: '<b>找不到</b>' })).toContain('&lt;b&gt;找不到&lt;/b&gt;');
  });

  it('compiles a text it has not seen at once, and renders it with the helpers', () => {
    const hbs = Handlebars.create();
    registerHelpers(hbs);
    const { engine } = compiledAtStart(hbs);
    const precompile = vi.spyOn(hbs, 'precompile');
    const t = engine.compile('<p>{{name}}</p>');
    expect(precompile).toHaveBeenCalledTimes(1);
    expect(t({ name: '<i>x</i>' })).toBe('<p>&lt;i&gt;x&lt;/i&gt;</p>');
  });
});
