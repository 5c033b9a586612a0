// What a new user meets first, the action run in process: the README's policy pasted as it is, a mistyped policy key,
// an endpoint pasted with the API's path or the Text Translation endpoint, and the outputs of a step
// that stops on its inputs.
import { describe, expect, it } from 'vitest';
import { deletesOf, useEmulator } from '../support/emulator-fixture.ts';
import { readmeYamlBlocks, valuesOf } from '../support/readme-yaml.ts';
import { runInProcess } from '../support/run-in-process.ts';

const emulator = useEmulator({ cancelDelayMs: 60_000 });
const JOB = '9dce0aa9-78dc-41ba-8cae-2e2f3c2ff8ec';

function finishedBatch(): string {
  return emulator.addBatch({ status: 'Succeeded', documents: 1, succeeded: 1, charactersCharged: 1200 });
}

describe('error-policy', () => {
  it('works as the README shows it, comments and all: a finished batch is ignored as its comment says', async () => {
    const policy = readmeYamlBlocks()
      .flatMap((block) => valuesOf(block, 'error-policy'))
      .find((value) => String(value).includes('#'));
    expect(String(policy)).toContain('# a finished batch is fine');

    const run = await runInProcess({
      'job-id': finishedBatch(),
      endpoint: emulator.url,
      'subscription-key': emulator.subscriptionKey,
      'error-policy': String(policy),
    });

    expect(run.exitCode).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.warnings).toEqual([]);
    expect(run.outputs.outcome).toBe('already-finished');
  });

  it('warns once of a key it does not know, naming the nearest one, and still applies it', async () => {
    const run = await runInProcess({
      'job-id': finishedBatch(),
      endpoint: emulator.url,
      'subscription-key': emulator.subscriptionKey,
      'error-policy': 'AlreadyFinshed: ignore\nContosoQuotaExceeded: warn',
    });

    expect(run.exitCode).toBe(0);
    expect(run.warnings).toHaveLength(3);
    expect(run.warnings[0]).toBe(
      'error-policy key "AlreadyFinshed" is not a situation, error code or HTTP status this action knows (did you mean AlreadyFinished?); it is kept, in case the service sends it as a new error code.',
    );
    expect(run.warnings[1]).toContain('"ContosoQuotaExceeded" is not a situation');
    expect(run.warnings[1]).not.toContain('did you mean');
    // The key meant AlreadyFinished, which keeps its default: the warning it meant to silence still comes.
    expect(run.warnings[2]).toContain('error-policy key: AlreadyFinished');
  });
});

describe('endpoint', () => {
  it.each([
    '/translator',
    '/translator/',
    '/translator/document',
    '/translator/document/',
    '/translator/document/batches',
    '/translator/document/batches/',
  ])('pasted with %s is taken as the resource root, said once in the log', async (path) => {
    const id = emulator.addBatch({ status: 'Running' });

    const run = await runInProcess({
      'job-id': id,
      endpoint: `${emulator.url}${path}`,
      'subscription-key': emulator.subscriptionKey,
    });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.outcome).toBe('cancel-requested');
    const deletes = deletesOf(emulator, id);
    expect(deletes.map((request) => request.path)).toEqual([`/translator/document/batches/${id}`]);
    const notes = run.log.split('\n').filter((line) => line.includes("the API's own path"));
    expect(notes).toEqual([
      `endpoint ends in ${path}, the API's own path: taken as the resource's root, ${emulator.url}.`,
    ]);
  });

  it("with any other path on a resource's domain is refused, showing the form to use", async () => {
    const run = await runInProcess({
      'job-id': JOB,
      endpoint: 'https://my-translator.cognitiveservices.azure.com/translate',
      'subscription-key': 'test-key-0000',
    });

    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      `endpoint "https://my-translator.cognitiveservices.azure.com/translate" has a path the service does not serve: use the resource's root, https://<resource>.cognitiveservices.azure.com.`,
    ]);
  });

  it.each([
    'https://api.cognitive.microsofttranslator.com',
    'https://westeurope.api.cognitive.microsoft.com',
  ])(
    '%s, a Text Translation endpoint, is refused with where to find the custom-domain one',
    async (endpoint) => {
      const run = await runInProcess({ 'job-id': JOB, endpoint, 'subscription-key': 'test-key-0000' });

      expect(run.exitCode).toBe(1);
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toContain(
        `a Text Translation endpoint: Document Translation is served only from your Translator resource's custom-domain endpoint, https://<resource>.cognitiveservices.azure.com; copy it from the resource's Overview page in the Azure portal`,
      );
      expect(run.errors[0]).not.toContain('allowed-hosts');
    },
  );
});

describe('a step that stops on its inputs', () => {
  it('still writes every output: outcome error, error-code InvalidInput, error-message the line it failed with', async () => {
    const run = await runInProcess({ 'job-id': '12345', endpoint: emulator.url, 'subscription-key': 'k' });

    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.outputs).toMatchObject({
      outcome: 'error',
      'error-code': 'InvalidInput',
      'error-message': run.errors[0],
      'job-id': '',
      total: '',
    });
  });
});
