// The settings parser, in-process: what each combination of inputs means, before any request.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/common/user-errors.ts';
import { parseSettings } from '../../src/settings/inputs.ts';
import { rawInputs } from '../support/raw-inputs.ts';

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
    const { mode } = parseSettings(rawInputs({ ...KEYLESS, endpoint }));

    expect(mode.credential).toMatchObject({
      kind: 'federated',
      cloud,
      scope,
      authorityHost,
      authorityGiven: false,
    });
  });

  it('uses authority-host when it is given, keeping the scope of the endpoint’s cloud', () => {
    const { mode } = parseSettings(
      rawInputs({
        ...KEYLESS,
        endpoint: 'https://my-translator.cognitiveservices.azure.us',
        'authority-host': 'https://login.example.us/',
        'allowed-hosts': 'login.example.us',
      }),
    );

    expect(mode.credential).toMatchObject({
      scope: 'https://cognitiveservices.azure.us/.default',
      authorityHost: 'https://login.example.us',
      authorityGiven: true,
    });
  });
});

describe('where the credential may go', () => {
  const KEYED = { 'job-id': '0b4e8a1c-96b3-4d8f-a1f2-bb5f0a8e2c11', 'subscription-key': 'k' };

  it.each([
    'https://my-translator.cognitiveservices.azure.com',
    'https://my-translator.cognitiveservices.azure.us',
    'https://my-translator.cognitiveservices.azure.cn',
    'http://127.0.0.1:8080',
    'http://localhost:8080',
  ])('is %s without allowed-hosts', (endpoint) => {
    expect(parseSettings(rawInputs({ ...KEYED, endpoint })).mode.serviceBase).toBe(endpoint);
  });

  it.each([
    ['https://translator.internal.example.com', 'translator.internal.example.com'],
    ['https://translator.internal.example.com', '*.example.com'],
    ['https://gw.example.net', 'other.example.org, GW.example.net'],
  ])('is %s when allowed-hosts lists %s', (endpoint, allowedHosts) => {
    const settings = parseSettings(rawInputs({ ...KEYED, endpoint, 'allowed-hosts': allowedHosts }));

    expect(settings.mode.serviceBase).toBe(endpoint);
  });

  it.each([
    ['https://collector.example.com', ''],
    ['https://example.com', '*.example.com'],
    ['https://my-translator.cognitiveservices.azure.com.evil.example', 'translator.example.com'],
  ])('is never %s (allowed-hosts: %j), naming the host and the input that allows it', (endpoint, allowed) => {
    const parse = () => parseSettings(rawInputs({ ...KEYED, endpoint, 'allowed-hosts': allowed }));

    expect(parse).toThrow(InputError);
    expect(parse).toThrow(
      `endpoint points at ${new URL(endpoint).hostname}, which is not an Azure AI services host`,
    );
    expect(parse).toThrow('add it to allowed-hosts');
  });

  it.each(['*.com', '*.co.uk', '*.net', '*.com.au'])(
    'is never every host under a public suffix (allowed-hosts: %s), under which anyone may register a name',
    (allowed) => {
      expect(() =>
        parseSettings(rawInputs({ ...KEYED, endpoint: 'https://gw.example.com', 'allowed-hosts': allowed })),
      ).toThrow(`allowed-hosts entry "${allowed}" is a wildcard over a public suffix`);
    },
  );

  it('is never an authority-host outside Microsoft Entra unless allowed-hosts lists it', () => {
    const parse = () =>
      parseSettings(
        rawInputs({
          ...KEYLESS,
          endpoint: 'https://my-translator.cognitiveservices.azure.com',
          'authority-host': 'https://login.example.com',
        }),
      );

    expect(parse).toThrow(
      'authority-host points at login.example.com, which is not a Microsoft Entra authority',
    );
  });

  it.each(['https://gw.example.com', '*', 'gw example.com', '*.'])(
    'refuses an allowed-hosts entry %j that is not a host name or *.suffix',
    (entry) => {
      const parse = () =>
        parseSettings(rawInputs({ ...KEYED, endpoint: 'https://gw.example.com', 'allowed-hosts': entry }));

      expect(parse).toThrow(`allowed-hosts entry ${JSON.stringify(entry)} is not a host name or *.suffix`);
    },
  );
});

describe('a URL with a user name or password', () => {
  const SECRET = 'pa55word-in-url';

  it.each([
    ['endpoint', { endpoint: `https://user:${SECRET}@my-translator.cognitiveservices.azure.com/?x=1` }],
    ['endpoint', { endpoint: `https://user:${SECRET}@my-translator.cognitiveservices.azure.com:99999` }],
    ['job-id', { 'job-id': `https://user:${SECRET}@my.cognitiveservices.azure.com/translator/other/x` }],
    [
      'operation-location',
      { 'operation-location': `https://user:${SECRET}@my.cognitiveservices.azure.com/translator/x` },
    ],
    [
      'authority-host',
      {
        ...KEYLESS,
        'subscription-key': '',
        'authority-host': `https://user:${SECRET}@login.microsoftonline.com`,
      },
    ],
  ])('in %s is refused, naming only the host', (inputName, inputs) => {
    let message = '';
    try {
      parseSettings(
        rawInputs({
          'job-id': '0b4e8a1c-96b3-4d8f-a1f2-bb5f0a8e2c11',
          endpoint: 'https://my.cognitiveservices.azure.com',
          'subscription-key': 'k',
          ...inputs,
        } as Record<string, string>),
      );
    } catch (error) {
      message = (error as Error).message;
    }

    expect(message).toMatch(new RegExp(`^${inputName} has a user name or password in its URL \\(host "`));
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain('user:');
  });
});

describe('bad input fails with one line that says what to fix', () => {
  const ENDPOINT = 'http://127.0.0.1:9';
  const JOB = '9dce0aa9-78dc-41ba-8cae-2e2f3c2ff8ec';
  const cases: Array<[string, () => Record<string, string>, string]> = [
    [
      'an Operation-Location of an unknown shape',
      () => ({
        'operation-location': `${ENDPOINT}/translator/other/${JOB}`,
        'subscription-key': 'test-key-0000',
      }),
      'operation-location',
    ],
    [
      'Operation-Locations on two different resources',
      () => ({
        'job-id': `https://one.cognitiveservices.azure.com/translator/document/batches/${JOB}`,
        'operation-location':
          'https://two.cognitiveservices.azure.com/translator/document/batches/0b4e8a1c-96b3-4d8f-a1f2-bb5f0a8e2c11',
        'subscription-key': 'test-key-0000',
      }),
      'The batches are on different resources (one.cognitiveservices.azure.com and two.cognitiveservices.azure.com)',
    ],
    [
      'one good and one malformed id in a list',
      () => ({ 'job-id': `${JOB}\nnot-a-job`, endpoint: ENDPOINT, 'subscription-key': 'test-key-0000' }),
      'job-id "not-a-job" is neither a job id',
    ],
    [
      'job ids together with stale-after',
      () => ({
        'job-id': JOB,
        'stale-after': '2h',
        endpoint: ENDPOINT,
        'subscription-key': 'test-key-0000',
      }),
      'Give either job ids (job-id, operation-location) or stale-after, not both.',
    ],
    [
      'a stale-after that is not a duration',
      () => ({ 'stale-after': '2 hours', endpoint: ENDPOINT, 'subscription-key': 'test-key-0000' }),
      'stale-after "2 hours" is not a duration',
    ],
    [
      'stale-after without an endpoint',
      () => ({ 'stale-after': '2h', 'subscription-key': 'test-key-0000' }),
      'endpoint is required',
    ],
    [
      'a max-jobs of 0',
      () => ({ 'job-id': JOB, 'max-jobs': '0', endpoint: ENDPOINT, 'subscription-key': 'test-key-0000' }),
      'max-jobs must be from 1 to 100000.',
    ],
    [
      'a dry-run that is not a boolean',
      () => ({
        'job-id': JOB,
        'dry-run': 'maybe',
        endpoint: ENDPOINT,
        'subscription-key': 'test-key-0000',
      }),
      'dry-run must be true or false.',
    ],
    [
      'a max-retries that is not a number',
      () => ({
        'job-id': JOB,
        'max-retries': 'many',
        endpoint: ENDPOINT,
        'subscription-key': 'test-key-0000',
      }),
      'max-retries must be a whole number from 0 to 99.',
    ],
    [
      'a timeout of 0',
      () => ({ 'job-id': JOB, timeout: '0', endpoint: ENDPOINT, 'subscription-key': 'test-key-0000' }),
      'timeout must be more than 0',
    ],
    [
      'a job id without an endpoint',
      () => ({ 'job-id': JOB, 'subscription-key': 'test-key-0000' }),
      'endpoint is required',
    ],
    [
      'an endpoint that is not http(s)',
      () => ({
        'job-id': JOB,
        endpoint: 'ftp://my-translator.cognitiveservices.azure.com',
        'subscription-key': 'test-key-0000',
      }),
      'must be an https:// URL',
    ],
    [
      'plain http to a host that is not loopback',
      () => ({
        'job-id': JOB,
        endpoint: 'http://my-translator.cognitiveservices.azure.com',
        'subscription-key': 'test-key-0000',
      }),
      'must use https://',
    ],
    ['no credential', () => ({ 'job-id': JOB, endpoint: ENDPOINT }), 'No credential: set subscription-key'],
    [
      'an unknown policy action',
      () => ({
        'job-id': JOB,
        endpoint: ENDPOINT,
        'subscription-key': 'test-key-0000',
        'error-policy': '404: explode',
      }),
      'unknown action "explode"',
    ],
    [
      'a policy line that is not KEY: action',
      () => ({
        'job-id': JOB,
        endpoint: ENDPOINT,
        'subscription-key': 'test-key-0000',
        'error-policy': 'fail everything',
      }),
      'is not of the form KEY: fail|warn|ignore',
    ],
    [
      'a malformed api-version',
      () => ({
        'job-id': JOB,
        endpoint: ENDPOINT,
        'subscription-key': 'test-key-0000',
        'api-version': 'v1.1',
      }),
      'api-version must be YYYY-MM-DD',
    ],
    [
      'an Operation-Location on a host that is not Azure, without an endpoint',
      () => ({
        'operation-location': `https://collector.example.com/translator/document/batches/${JOB}`,
        'subscription-key': 'test-key-0000',
      }),
      'points at collector.example.com, which is not an Azure AI services host',
    ],
    [
      'an Operation-Location on another host than the endpoint',
      () => ({
        'operation-location': `https://other.cognitiveservices.azure.com/translator/document/batches/${JOB}`,
        endpoint: 'https://mine.cognitiveservices.azure.com',
        'subscription-key': 'test-key-0000',
      }),
      'they must be the same resource',
    ],
  ];

  it.each(cases)('%s', (_name, inputs, mentions) => {
    expect(() => parseSettings(rawInputs(inputs()))).toThrow(InputError);
    expect(() => parseSettings(rawInputs(inputs()))).toThrow(mentions);
  });
});

describe('the mode, decided once from the inputs', () => {
  const JOB = '0b4e8a1c-96b3-4d8f-a1f2-bb5f0a8e2c11';
  const ENDPOINT = 'https://my-translator.cognitiveservices.azure.com';
  const KEY = { endpoint: ENDPOINT, 'subscription-key': 'k' };
  const credential = { kind: 'key', subscriptionKey: 'k' };

  it.each([
    [
      'job ids',
      { 'job-id': JOB, ...KEY },
      {
        kind: 'cancel-named',
        ids: [JOB],
        serviceBase: ENDPOINT,
        credential,
        dryRun: false,
        wait: false,
        maxJobs: 100,
      },
    ],
    [
      'stale-after, with dry-run and max-jobs',
      { 'stale-after': '2h', 'dry-run': 'true', 'max-jobs': '7', ...KEY },
      { kind: 'cancel-stale', staleAfterMs: 7_200_000, staleAfter: '2h', dryRun: true, maxJobs: 7 },
    ],
    [
      'guard',
      { 'job-id': JOB, guard: 'true', ...KEY },
      { kind: 'guard', ids: [JOB], dryRun: false, credential },
    ],
    [
      'track with no credential',
      { 'job-id': JOB, track: 'true', endpoint: ENDPOINT },
      { kind: 'track', ids: [JOB], serviceBase: ENDPOINT, credential: undefined },
    ],
    [
      'from-pull-request with no endpoint',
      { 'from-pull-request': 'true', 'subscription-key': 'k' },
      { kind: 'from-pull-request', serviceBase: undefined, credential, maxJobs: 100_000 },
    ],
  ])('%s', (_name, given, expected) => {
    expect(parseSettings(rawInputs(given)).mode).toMatchObject(expected);
  });

  it('needs a credential for every mode but track, and from-pull-request until its ledger has batches to stop', () => {
    const modes: Array<Record<string, string>> = [{ 'job-id': JOB }, { 'stale-after': '2h' }];
    for (const given of modes) {
      expect(() => parseSettings(rawInputs({ ...given, endpoint: ENDPOINT }))).toThrow(/^No credential: /);
    }
    const close = parseSettings(rawInputs({ 'from-pull-request': 'true', endpoint: ENDPOINT }));
    expect(close.mode).toMatchObject({ kind: 'from-pull-request', credential: undefined });
  });
});
