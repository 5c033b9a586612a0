import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/common/user-errors.ts';
import { parseBatchReference } from '../../src/settings/batch-reference.ts';

const ID = 'd23ee5c2-1e7b-48b4-8299-c9d998ac83f9';

describe('a batch reference', () => {
  it('is a bare job id, in any letter case, lower-cased', () => {
    expect(parseBatchReference(` ${ID.toUpperCase()} `, 'job-id')).toEqual({ id: ID, inputName: 'job-id' });
  });

  it.each([
    [
      'the live service',
      `https://res.cognitiveservices.azure.com/translator/document/batches/${ID}?api-version=2024-05-01`,
    ],
    [
      'the documentation page',
      `https://res.cognitiveservices.azure.com/translator/document/${ID}?api-version=2024-05-01`,
    ],
    [
      'the legacy v1.1 API',
      `https://res.cognitiveservices.azure.com/translator/text/batch/v1.1/batches/${ID}`,
    ],
    [
      'the legacy v1.0 API',
      `https://res.cognitiveservices.azure.com/translator/text/batch/v1.0/batches/${ID}`,
    ],
  ])('is an Operation-Location as %s writes it', (_source, url) => {
    const reference = parseBatchReference(url, 'operation-location');
    expect(reference.id).toBe(ID);
    expect(reference.serviceUrl?.href).toBe('https://res.cognitiveservices.azure.com/');
  });

  it('keeps a path prefix in front of /translator, as a gateway in front of the service may add', () => {
    const reference = parseBatchReference(
      `https://gateway.example.com/azure/translator/document/batches/${ID}?api-version=2024-05-01`,
      'job-id',
    );
    expect(reference.serviceUrl?.href).toBe('https://gateway.example.com/azure');
  });

  it.each([
    ['a number', '12345'],
    ['a GUID with a missing digit', ID.slice(1)],
    ['a URL with no job id', 'https://res.cognitiveservices.azure.com/translator/document/batches'],
    [
      'a URL whose last segment is not a GUID',
      'https://res.cognitiveservices.azure.com/translator/document/batches/abc',
    ],
    ['a URL of another API', `https://res.cognitiveservices.azure.com/language/${ID}`],
    ['an unparseable URL', 'https://exa mple.com/x'],
  ])('is refused when it is %s', (_what, text) => {
    expect(() => parseBatchReference(text, 'job-id')).toThrow(InputError);
  });

  it('names the input in its error', () => {
    expect(() => parseBatchReference('nope', 'operation-location')).toThrow(/^operation-location "nope"/);
  });
});
