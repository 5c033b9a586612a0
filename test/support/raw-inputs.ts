// The inputs as the runner passes them: every default from action.yml, then those given.
import { readActionYml } from '../../scripts/action-yml.ts';
import type { RawInputs } from '../../src/common/names.ts';

export function rawInputs(given: Record<string, string>): RawInputs {
  const defaults = Object.fromEntries(
    Object.entries(readActionYml().inputs).map(([name, input]) => [name, input.default ?? '']),
  );
  return { ...defaults, ...given } as RawInputs;
}
