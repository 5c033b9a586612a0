// What people paste, in-process: each paste either works as the person meant, or is refused in one
// line that says what to paste instead. The same pastes run through the bundle in
// test/e2e/pastes.test.ts.
import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../src/settings/inputs.ts';
import { rawInputs } from '../support/raw-inputs.ts';

const ID = '9dce0aa9-78dc-41ba-8cae-2e2f3c2ff8ec';
const OTHER = '0b4e8a1c-96b3-4d8f-a1f2-bb5f0a8e2c11';
const ENDPOINT = 'https://contoso.cognitiveservices.azure.com';
const KEY = { 'subscription-key': 'a-key-0000' };
const settingsOf = (given: Record<string, string>) => parseSettings(rawInputs({ ...KEY, ...given }));

describe('lines pasted from a Windows editor or a form (CRLF, or CR alone)', () => {
  it.each([
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('drop their # comments in error-policy (%s)', (_, newline) => {
    const { policy, remarks } = settingsOf({
      'job-id': ID,
      endpoint: ENDPOINT,
      'error-policy': `# mine${newline}404: IGNORE ${newline}AlreadyFinished: fail # why${newline}*: warn${newline}`,
    });

    expect(Object.fromEntries(policy)).toMatchObject({
      '404': 'ignore',
      alreadyfinished: 'fail',
      '*': 'warn',
    });
    expect(remarks).toEqual([]);
  });

  it('drop their # comments in a list of job ids', () => {
    const { mode } = settingsOf({
      'job-id': `# the batches\r\n${ID} # first\r\n${OTHER}\r\n`,
      endpoint: ENDPOINT,
    });

    expect(mode).toMatchObject({ ids: [ID, OTHER] });
  });
});

describe('a job pasted as more than its value', () => {
  it('takes the URL of an Operation-Location header line, as curl -i prints it', () => {
    const { mode } = settingsOf({
      'job-id': `operation-location: ${ENDPOINT}/translator/document/batches/${ID}?api-version=2024-05-01`,
    });

    expect(mode).toMatchObject({ kind: 'cancel-named', ids: [ID], serviceBase: ENDPOINT });
  });

  it('takes a job id in quotes', () => {
    expect(settingsOf({ 'job-id': `"${ID}"`, endpoint: ENDPOINT }).mode).toMatchObject({ ids: [ID] });
  });

  it.each([
    ['semicolons', `${ID};${OTHER}`],
    ['spaces', `${ID} ${OTHER}`],
  ])('asks for commas or new lines between ids separated by %s', (_, given) => {
    expect(() => settingsOf({ 'job-id': given, endpoint: ENDPOINT })).toThrow(
      'holds several entries: give them one per line, or separated by commas.',
    );
  });

  it.each([
    ['a zero-width space', `${ID.slice(0, 9)}\u200b${ID.slice(9)}`, '\\u200b'],
    ['a Cyrillic letter that looks like a Latin one', ID.replace('a', '\u0430'), '\\u0430'],
  ])('shows %s in an id, instead of quoting it as if it were right', (_, given, shown) => {
    expect(() => settingsOf({ 'job-id': given, endpoint: ENDPOINT })).toThrow(shown);
    expect(() => settingsOf({ 'job-id': given, endpoint: ENDPOINT })).toThrow(
      "holds characters that only look like a job id's",
    );
  });

  it('refuses a URL of another scheme in one line, instead of an unexpected error', () => {
    expect(() => settingsOf({ 'job-id': `ftp://contoso/translator/document/batches/${ID}` })).toThrow(
      'is not an https:// URL',
    );
  });
});

describe('an endpoint pasted as more than the resource root', () => {
  it("takes off a batch's whole path when it names the batch given, and says so", () => {
    const { mode, remarks } = settingsOf({
      'job-id': ID,
      endpoint: `${ENDPOINT}/translator/document/batches/${ID}`,
    });

    expect(mode).toMatchObject({ serviceBase: ENDPOINT, ids: [ID] });
    expect(remarks.map((remark) => remark.message)).toEqual([
      `endpoint ends in /translator/document/batches/${ID}, the API's own path: taken as the resource's root, ${ENDPOINT}.`,
    ]);
  });

  it("refuses a batch's path that names another batch", () => {
    expect(() =>
      settingsOf({ 'job-id': ID, endpoint: `${ENDPOINT}/translator/document/batches/${OTHER}` }),
    ).toThrow(`endpoint ends in the path of batch ${OTHER}, which is not a batch this step was given`);
  });

  it("refuses the Azure portal's address, naming the endpoint it most likely meant", () => {
    const portal =
      'https://portal.azure.com/#@contoso.onmicrosoft.com/resource/subscriptions/5f2c/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/Contoso-Translator/overview';

    expect(() => settingsOf({ 'job-id': ID, endpoint: portal })).toThrow(
      "endpoint is the Azure portal's address, not the resource's: copy the Endpoint from the resource's Keys and Endpoint page, https://<resource>.cognitiveservices.azure.com (for this resource, likely https://contoso-translator.cognitiveservices.azure.com).",
    );
  });

  it.each(['"', "'"])('takes an endpoint in quotes (%s)', (mark) => {
    expect(settingsOf({ 'job-id': ID, endpoint: `${mark}${ENDPOINT}${mark}` }).mode).toMatchObject({
      serviceBase: ENDPOINT,
    });
  });
});

describe("an Operation-Location's api-version", () => {
  const location = (version: string) =>
    `${ENDPOINT}/translator/document/batches/${ID}?api-version=${version}`;

  it('is used while the api-version input is at its default, and the log says so', () => {
    const { apiVersion, remarks } = settingsOf({ 'operation-location': location('2025-12-01-preview') });

    expect(apiVersion).toBe('2025-12-01-preview');
    expect(remarks.map((remark) => remark.message)).toEqual([
      'Using api-version 2025-12-01-preview, the one the Operation-Location names (the api-version input is at its default, 2024-05-01).',
    ]);
  });

  it('gives way to an api-version input that was set, said once', () => {
    const { apiVersion, remarks } = settingsOf({
      'operation-location': location('2025-12-01-preview'),
      'api-version': '2024-11-01-preview',
    });

    expect(apiVersion).toBe('2024-11-01-preview');
    expect(remarks.map((remark) => remark.message)).toEqual([
      'Using api-version 2024-11-01-preview (the api-version input), though the Operation-Locations name 2025-12-01-preview.',
    ]);
  });

  it('says nothing when it is the same', () => {
    expect(settingsOf({ 'operation-location': location('2024-05-01') }).remarks).toEqual([]);
  });
});
