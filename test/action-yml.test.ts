// action.yml declares every input and output once; the code, the README, the example workflows
// and the runtime follow it.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
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

describe('the example workflows', () => {
  const read = (file: string) => readFileSync(new URL(`../examples/${file}`, import.meta.url), 'utf8');
  const examples = readdirSync(new URL('../examples/', import.meta.url)).filter((file) =>
    read(file).includes('/cancel-document-translation@'),
  );

  it.each(examples)('%s uses only inputs that action.yml declares', (file) => {
    const workflow = parse(read(file)) as {
      jobs: Record<string, { steps: Array<{ uses?: string; with?: Record<string, unknown> }> }>;
    };
    const ours = Object.values(workflow.jobs)
      .flatMap((job) => job.steps)
      .filter((step) => step.uses?.includes('cancel-document-translation'));
    expect(ours.length).toBeGreaterThan(0);
    for (const step of ours) {
      for (const input of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(input);
    }
  });
});
