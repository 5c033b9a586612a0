// What the README shows works when pasted: every error-policy value is accepted without a warning,
// every `with:` key is an input of action.yml, and every secret and variable the examples use is one
// the README's prose tells you to create.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readActionYml } from '../../scripts/action-yml.ts';
import { parseErrorPolicy } from '../../src/settings/policy.ts';
import { readmeYamlBlocks, valuesOf } from '../support/readme-yaml.ts';

const blocks = readmeYamlBlocks();

describe("the README's YAML", () => {
  it('has blocks with error-policy values and steps with inputs to check', () => {
    expect(blocks.flatMap((block) => valuesOf(block, 'error-policy')).length).toBeGreaterThan(0);
    expect(blocks.flatMap((block) => valuesOf(block, 'with')).length).toBeGreaterThan(3);
  });

  it('gives error-policy values the action accepts, with no warning', () => {
    for (const policy of blocks.flatMap((block) => valuesOf(block, 'error-policy'))) {
      const warnings: string[] = [];
      expect(() => parseErrorPolicy(String(policy), (message) => warnings.push(message))).not.toThrow();
      expect(warnings).toEqual([]);
    }
  });

  it('names only inputs that action.yml declares in its with: blocks', () => {
    const inputs = Object.keys(readActionYml().inputs);
    const keys = blocks
      .flatMap((block) => valuesOf(block, 'with'))
      .flatMap((step) => Object.keys(step as object));
    expect(keys.filter((key) => !inputs.includes(key))).toEqual([]);
  });
});

describe("the README's set-up", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const prose = readme.replace(/```[\s\S]*?```/g, '');
  const firstScreen = prose.slice(0, prose.indexOf('## Contents'));
  const examples = new URL('../../examples/', import.meta.url);
  const used = readdirSync(examples)
    .filter((file) => file.endsWith('.yml'))
    .flatMap((file) => [
      ...readFileSync(new URL(file, examples), 'utf8').matchAll(/\b(?:secrets|vars)\.(\w+)/g),
    ])
    .map((match) => match[1] ?? '');

  it('names, before the contents, the secret and the variable a key needs', () => {
    expect(firstScreen).toMatch(/secret `TRANSLATOR_KEY`/);
    expect(firstScreen).toMatch(/variable `TRANSLATOR_ENDPOINT`/);
    expect(firstScreen).toContain('https://<resource>.cognitiveservices.azure.com');
  });

  it('tells you to create every secret and variable the examples use', () => {
    expect(new Set(used)).toEqual(
      new Set(['TRANSLATOR_KEY', 'TRANSLATOR_ENDPOINT', 'AZURE_CLIENT_ID', 'AZURE_TENANT_ID']),
    );
    for (const name of used) expect(prose).toContain(`\`${name}\``);
  });
});
