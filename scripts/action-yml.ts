// action.yml, read: the one declaration of the action's inputs and outputs.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface ActionYml {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string; post?: string; 'post-if'?: string };
}

const ACTION_YML_PATH = new URL('../action.yml', import.meta.url);

export function readActionYml(): ActionYml {
  return parse(readFileSync(ACTION_YML_PATH, 'utf8')) as ActionYml;
}
