// What the README shows works when pasted: every error-policy value is accepted without a warning,
// and every `with:` key is an input of action.yml.
import { describe, expect, it } from 'vitest';
import { readActionYml } from '../../scripts/action-yml.ts';
import { parseErrorPolicy } from '../../src/policy.ts';
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
