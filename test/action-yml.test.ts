// action.yml declares every input and output once; the code, the README and the runtime follow it.
import { describe, expect, it } from 'vitest';
import { readReadme, renderReadme } from '../scripts/readme-tables.ts';
import { Input, Output } from '../src/names.ts';
import { readActionYml } from './support/action-yml.ts';

const action = readActionYml();

describe('action.yml', () => {
  it('declares exactly the inputs the code reads', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(Input).sort());
  });

  it('declares exactly the outputs the code writes', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(Output).sort());
  });

  it('gives every input and output a description, and every input a default', () => {
    for (const input of Object.values(action.inputs)) {
      expect(input.description.length).toBeGreaterThan(10);
      expect(input.default).toBeTypeOf('string');
    }
    for (const output of Object.values(action.outputs)) expect(output.description.length).toBeGreaterThan(10);
  });

  it('runs the bundle on node24', () => {
    expect(action.runs).toMatchObject({ using: 'node24', main: 'dist/index.js' });
  });

  it("matches the README's tables of inputs and outputs (npm run docs rewrites them)", () => {
    const readme = readReadme();
    expect(readme).toBe(renderReadme(readme, action));
  });
});
