// The YAML blocks of the README, as a user copies them: parsed as YAML, every error-policy value and
// every step's `with:` found wherever it sits in a block.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const README = new URL('../../README.md', import.meta.url);

/** Every ```yaml block of the README, parsed. */
export function readmeYamlBlocks(): unknown[] {
  const text = readFileSync(README, 'utf8');
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => parse(match[1] ?? ''));
}

/** Every value of `key` in a parsed block, at any depth. */
export function valuesOf(node: unknown, key: string): unknown[] {
  if (Array.isArray(node)) return node.flatMap((item) => valuesOf(item, key));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([name, value]) => [
    ...(name === key ? [value] : []),
    ...valuesOf(value, key),
  ]);
}
