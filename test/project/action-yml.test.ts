// action.yml declares every input and output once; the code, the README, the example workflows
// and the runtime follow it.
import { readdirSync, readFileSync } from 'node:fs';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/index';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readActionYml } from '../../scripts/action-yml.ts';
import { readReadme, renderReadme } from '../../scripts/readme-tables.ts';
import { OUTCOMES, STATUSES } from '../../src/common/batch.ts';
import { DOCUMENTED_ERROR_CODES, ErrorCode } from '../../src/common/error-codes.ts';
import { Input, OUTPUT_NAMES } from '../../src/common/names.ts';
import { DEFAULT_API_VERSION } from '../../src/settings/schema.ts';

/** What GitHub's own parser says is wrong with a file: the errors it would reject the file for. */
function githubParserErrors(path: string, kind: 'action' | 'workflow'): string[] {
  const file = { name: path, content: readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8') };
  const parsed = (kind === 'action' ? parseAction : parseWorkflow)(file, new NoOperationTraceWriter());
  return parsed.context.errors.getErrors().map((error) => error.message);
}

const action = readActionYml();

describe('action.yml', () => {
  it('declares exactly the inputs the code reads', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(Input).sort());
  });

  it('declares exactly the outputs the code writes', () => {
    expect(Object.keys(action.outputs).sort()).toEqual([...OUTPUT_NAMES].sort());
  });

  it('gives every input and output a description, and every input a default', () => {
    for (const input of Object.values(action.inputs)) {
      expect(input.description.length).toBeGreaterThan(10);
      expect(input.default).toBeTypeOf('string');
    }
    for (const output of Object.values(action.outputs)) expect(output.description.length).toBeGreaterThan(10);
  });

  it("gives api-version the default the code takes as left alone (an Operation-Location's own version is used then)", () => {
    expect(action.inputs['api-version']?.default).toBe(DEFAULT_API_VERSION);
  });

  it("is accepted by GitHub's own action schema", () => {
    expect(githubParserErrors('action.yml', 'action')).toEqual([]);
  });

  it.each([
    ['outcome', [...OUTCOMES, 'Mixed']],
    ['status', [...STATUSES, 'Mixed']],
    ['error-code', [...DOCUMENTED_ERROR_CODES, ...Object.values(ErrorCode)]],
  ])('describes every value the %s output can take', (name, values) => {
    const description = action.outputs[name]?.description ?? '';
    for (const value of values) expect(description).toContain(value);
  });

  it('runs the bundle on node24', () => {
    expect(action.runs).toMatchObject({ using: 'node24', main: 'dist/index.js' });
  });

  it('has every input in .env.example, for a local run', () => {
    const env = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const given = [...env.matchAll(/^INPUT_([A-Z-]+)=/gm)].map((match) => match[1]?.toLowerCase());
    expect(given).toEqual(Object.keys(action.inputs));
  });

  it("matches the README's tables of inputs and outputs (npm run docs rewrites them)", () => {
    const readme = readReadme();
    expect(readme).toBe(renderReadme(readme, action));
  });
});

describe('the workflows', () => {
  const workflows = [
    ...readdirSync(new URL('../../examples', import.meta.url))
      .filter((file) => file.endsWith('.yml'))
      .map((file) => `examples/${file}`),
    ...readdirSync(new URL('../../.github/workflows', import.meta.url)).map(
      (file) => `.github/workflows/${file}`,
    ),
  ];

  it.each(workflows)("%s is accepted by GitHub's own workflow parser", (path) => {
    expect(githubParserErrors(path, 'workflow')).toEqual([]);
  });

  it('include every example and every workflow of this repository', () => {
    expect(workflows.length).toBeGreaterThanOrEqual(8);
  });
});

describe('the example workflows', () => {
  const read = (file: string) => readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8');
  const examples = readdirSync(new URL('../../examples', import.meta.url)).filter((file) =>
    read(file).includes('/cancel-document-translation@'),
  );

  it("uses only declared inputs in the README's and CONTRIBUTING's YAML snippets", () => {
    const docs = ['README.md', 'CONTRIBUTING.md'].map((file) =>
      readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'),
    );
    const snippets = docs.flatMap((text) =>
      [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] ?? ''),
    );
    const used = snippets.flatMap((snippet) => {
      const steps = parse(snippet) as unknown;
      const list = (Array.isArray(steps) ? steps : ((steps as { steps?: unknown[] })?.steps ?? [])) as Array<{
        uses?: string;
        with?: Record<string, unknown>;
      }>;
      return list
        .filter((step) => step.uses?.includes('cancel-document-translation'))
        .flatMap((step) => Object.keys(step.with ?? {}));
    });
    expect(used.length).toBeGreaterThan(10);
    for (const input of used) expect(Object.keys(action.inputs)).toContain(input);
  });

  it.each(readdirSync(new URL('../../examples', import.meta.url)).filter((file) => file.endsWith('.yml')))(
    '%s bounds every job with timeout-minutes',
    (file) => {
      const workflow = parse(read(file)) as { jobs: Record<string, { 'timeout-minutes'?: number }> };
      for (const job of Object.values(workflow.jobs)) expect(job['timeout-minutes']).toBeGreaterThan(0);
    },
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

describe('examples/translation-request.json', () => {
  it('is a start request: each input a source container and target containers with their languages', () => {
    const body = JSON.parse(
      readFileSync(new URL('../../examples/translation-request.json', import.meta.url), 'utf8'),
    ) as {
      inputs: Array<{
        source: { sourceUrl: string };
        targets: Array<{ targetUrl: string; language: string }>;
      }>;
    };

    expect(body.inputs.length).toBeGreaterThan(0);
    for (const input of body.inputs) {
      expect(new URL(input.source.sourceUrl).protocol).toBe('https:');
      expect(input.targets.length).toBeGreaterThan(0);
      for (const target of input.targets) {
        expect(new URL(target.targetUrl).protocol).toBe('https:');
        expect(target.language).toMatch(/^[a-z]{2,3}(-[A-Za-z]+)?$/);
      }
    }
  });
});
