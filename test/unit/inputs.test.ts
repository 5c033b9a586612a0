// The settings parser, in-process: what each combination of inputs means, before any request.
import { describe, expect, it } from 'vitest';
import { parseSettings, type RawInputs } from '../../src/inputs.ts';
import { readActionYml } from '../support/action-yml.ts';

/** The inputs as the runner passes them: every default from action.yml, then those given. */
function rawInputs(given: Record<string, string>): RawInputs {
  const defaults = Object.fromEntries(
    Object.entries(readActionYml().inputs).map(([name, input]) => [name, input.default ?? '']),
  );
  return { ...defaults, ...given } as RawInputs;
}

const KEYLESS = {
  'job-id': '0b4e8a1c-96b3-4d8f-a1f2-bb5f0a8e2c11',
  'client-id': '11111111-2222-4333-8444-555555555555',
  'tenant-id': '66666666-7777-4888-9999-000000000000',
};

describe('keyless sign-in', () => {
  it.each([
    [
      'https://my-translator.cognitiveservices.azure.com',
      'Azure public cloud',
      'https://cognitiveservices.azure.com/.default',
      'https://login.microsoftonline.com',
    ],
    [
      'https://my-translator.cognitiveservices.azure.us',
      'Azure Government cloud',
      'https://cognitiveservices.azure.us/.default',
      'https://login.microsoftonline.us',
    ],
    [
      'https://my-translator.cognitiveservices.azure.cn',
      'Azure China cloud',
      'https://cognitiveservices.azure.cn/.default',
      'https://login.chinacloudapi.cn',
    ],
  ])('at %s signs in to the %s, for its scope, at its authority', (endpoint, cloud, scope, authorityHost) => {
    const { credential } = parseSettings(rawInputs({ ...KEYLESS, endpoint }));

    expect(credential).toMatchObject({
      kind: 'federated',
      cloud,
      scope,
      authorityHost,
      authorityGiven: false,
    });
  });

  it('uses authority-host when it is given, keeping the scope of the endpoint’s cloud', () => {
    const { credential } = parseSettings(
      rawInputs({
        ...KEYLESS,
        endpoint: 'https://my-translator.cognitiveservices.azure.us',
        'authority-host': 'https://login.example.us/',
      }),
    );

    expect(credential).toMatchObject({
      scope: 'https://cognitiveservices.azure.us/.default',
      authorityHost: 'https://login.example.us',
      authorityGiven: true,
    });
  });
});
