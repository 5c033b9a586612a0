// dist/ is what runs on the runner: it must be the bundle of the committed src/, in the form that
// starts fastest (see CONTRIBUTING, Performance). Here by the record npm run bundle leaves in dist/;
// npm run check-dist, which CI runs after the tests, rebuilds and compares byte for byte.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { changedSinceBuilt } from '../../scripts/dist-record.ts';
import { eagerModules, moduleFactories } from '../../scripts/eager-modules.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const chunks = readdirSync('dist')
  .filter((file) => file.endsWith('.js'))
  .map((file) => ({ file, code: readFileSync(join('dist', file), 'utf8') }));

describe('dist/', () => {
  it('is the bundle of src/: nothing it was built from or holds has changed since (npm run bundle rebuilds it)', () => {
    expect(
      changedSinceBuilt(ROOT),
      'changed since dist/ was built: run npm run bundle and commit dist/',
    ).toEqual([]);
  });

  it('records every script the bundle runs, so that a change to any of them asks for a rebuild', () => {
    const record = readFileSync(join('dist', 'built-from.sha256'), 'utf8');
    const scripts = new Set<string>();
    const visit = (script: string) => {
      if (scripts.has(script)) return;
      scripts.add(script);
      for (const [, imported] of readFileSync(script, 'utf8').matchAll(/from '\.\/([\w-]+\.ts)'/g)) {
        visit(`scripts/${imported}`);
      }
    };
    visit('scripts/bundle.ts');

    expect(scripts.size).toBeGreaterThan(1);
    expect([...scripts].filter((script) => !record.includes(`  ${script}\n`))).toEqual([]);
  });

  it('is ASCII only: V8 decodes such a file without the slower UTF-8 path', () => {
    expect(chunks.filter(({ code }) => /[\u0080-\uffff]/.test(code)).map(({ file }) => file)).toEqual([]);
  });

  it('has each module in parentheses, so that V8 compiles it with its file, not again when it runs', () => {
    const lazy = chunks.flatMap(({ file, code }) =>
      moduleFactories(code, file)
        .filter(({ value }) => code[value.start - 1] !== '(' || code[value.end] !== ')')
        .map(({ key }) => `${file}: module ${'value' in key ? key.value : '?'}`),
    );

    expect(chunks.length).toBeGreaterThan(1);
    expect(lazy).toEqual([]);
  });

  it('formats and compares nothing with Intl: its first use in a process loads ICU locale data (6–15 ms)', () => {
    const intl = /\bIntl\.|\.toLocale(String|DateString|TimeString)\(|\.localeCompare\(/;
    expect(chunks.filter(({ code }) => intl.test(code)).map(({ file }) => file)).toEqual([]);
  });
});

describe('the eager modules step of the bundle', () => {
  it('puts each factory of the module table in parentheses, and changes nothing else', () => {
    const chunk =
      'export const id=7;export const modules={12:(e,t,r)=>{const n=()=>1;e.exports={a:n}},' +
      '34:function(e){e.exports={b:[1,2]}}};';

    expect(eagerModules(chunk, 'chunk.js')).toBe(
      'export const id=7;export const modules={12:((e,t,r)=>{const n=()=>1;e.exports={a:n}}),' +
        '34:(function(e){e.exports={b:[1,2]}})};',
    );
  });

  it("finds index.js's table, a var among the runtime's", () => {
    const entry = 'var t,r,u={96:(e,t,r)=>{r.d(t,{a:()=>1})}},c={179:0};';

    expect(eagerModules(entry, 'index.js')).toBe('var t,r,u={96:((e,t,r)=>{r.d(t,{a:()=>1})})},c={179:0};');
  });

  it('fails the bundle on a file in a form it does not know: no table, or more than one', () => {
    expect(() => eagerModules('export const modules=[()=>{}];', 'a.js')).toThrow(
      'a.js: expected one webpack module table at its top level, found 0',
    );
    expect(() => eagerModules('var a={1:()=>{}},b={2:()=>{}};', 'b.js')).toThrow('found 2');
  });
});
