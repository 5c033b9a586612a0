// `npm run conformance`: checks the action's model of the service against a real Translator resource.
// Runs the same scenarios against the resource and against the emulator in its recorded mode, prints
// what each did side by side, writes the resource's answers as a sanitized recording (the SDK
// test-proxy shape of test/fixtures/recordings), and exits 1 on any difference. See CONTRIBUTING.md.
//
//   TRANSLATOR_ENDPOINT, TRANSLATOR_KEY (or TRANSLATOR_ACCESS_TOKEN), TRANSLATOR_REGION (optional),
//   TRANSLATOR_SOURCE_URL, TRANSLATOR_TARGET_URL: container URLs (with SAS) for a tiny source document
//   and an empty target; TRANSLATOR_TARGET_LANGUAGE (default fr), TRANSLATOR_API_VERSION;
//   --out DIR (default test/fixtures/recordings/live).
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { isFinalStatus } from '../src/common/batch.ts';
import { Input } from '../src/common/names.ts';
import { type Connections, openConnections } from '../src/service/http.ts';
import { parseJson } from '../src/service/json.ts';
import { batchApiUrl } from '../src/service/translator-client.ts';
import { parseBatchPage, parseServiceError, parseTranslationStatus } from '../src/service/wire.ts';
import { parseProxies, proxyFor } from '../src/settings/proxy.ts';
import { readActionYml } from './action-yml.ts';
import { Emulator } from './emulator/emulator.ts';

const FAKE_HOST = 'fakeendpoint.cognitiveservices.azure.com';
const KEPT_HEADERS = [
  'age',
  'apim-request-id',
  'cache-control',
  'content-type',
  'etag',
  'operation-location',
  'retry-after',
  'x-ms-region',
  'x-requestid',
];
// A small batch turns Cancelled in seconds and Succeeded in a minute or two; these bound the waits.
const CANCEL_WAIT_MS = 120_000;
const FINISH_WAIT_MS = 600_000;

interface Target {
  endpoint: string;
  auth: Record<string, string>;
  apiVersion: string;
  sourceUrl: string;
  targetUrl: string;
  language: string;
  /** How long to wait between status reads. */
  pollMs: number;
}

interface Entry {
  RequestUri: string;
  RequestMethod: string;
  RequestHeaders: Record<string, string>;
  RequestBody: unknown;
  StatusCode: number;
  ResponseHeaders: Record<string, string>;
  ResponseBody: unknown;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: unknown;
}

const PROXIES = parseProxies(process.env);

/** Sends the scenarios' requests with the action's own HTTP code, keeping every exchange. */
class Session {
  readonly entries: Entry[] = [];
  // Through the proxy the environment names, as the action goes.
  readonly #connections: Promise<Connections> = openConnections((url) => proxyFor(PROXIES, url));
  readonly target: Target;

  constructor(target: Target) {
    this.target = target;
  }

  url(path: string, query: Record<string, string> = {}): URL {
    const { endpoint, apiVersion } = this.target;
    return batchApiUrl({ serviceBase: endpoint, apiVersion }, path, query);
  }

  async send(
    method: 'GET' | 'POST' | 'DELETE',
    url: URL,
    body?: object,
    auth = this.target.auth,
  ): Promise<Answer> {
    const headers = {
      accept: 'application/json',
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...auth,
    };
    const text = body === undefined ? undefined : JSON.stringify(body);
    const connections = await this.#connections;
    const sent = await connections.send(
      url,
      { method, headers, ...(text === undefined ? {} : { body: text }) },
      { timeoutMs: 60_000, stop: new AbortController().signal },
    );
    if ('failure' in sent) throw new Error(`${method} ${url.host}: ${sent.failure.text}`);
    const { status, body: answerText, headers: answerHeaders } = sent.answer;
    const json = parseJson(answerText) ?? answerText;
    this.entries.push({
      RequestUri: url.href,
      RequestMethod: method,
      RequestHeaders: { accept: headers.accept, ...(body ? { 'content-type': 'application/json' } : {}) },
      RequestBody: body ?? null,
      StatusCode: status,
      ResponseHeaders: Object.fromEntries(
        Object.entries(answerHeaders).filter(([name]) => KEPT_HEADERS.includes(name)),
      ),
      ResponseBody: answerText === '' ? null : json,
    });
    return { status, headers: answerHeaders, text: answerText, json };
  }

  async close(): Promise<void> {
    (await this.#connections).close();
  }
}

/** What one scenario showed, in a few words that can be compared. */
type Behaviours = Map<string, string>;

async function start(session: Session): Promise<{ id: string; answer: Answer }> {
  const { sourceUrl, targetUrl, language } = session.target;
  const answer = await session.send('POST', session.url(''), {
    inputs: [{ source: { sourceUrl }, targets: [{ targetUrl, language }] }],
  });
  const id = answer.headers['operation-location']?.split('?')[0]?.split('/').pop() ?? '';
  return { id, answer };
}

async function statusOf(session: Session, id: string): Promise<string> {
  const answer = await session.send('GET', session.url(`/${id}`));
  return parseTranslationStatus(answer.text)?.status ?? `HTTP ${answer.status}`;
}

/** Reads the status until `done` holds or `limitMs` passes; the last status read. */
async function pollUntil(
  session: Session,
  id: string,
  done: (status: string) => boolean,
  limitMs: number,
): Promise<string> {
  const stopAt = Date.now() + limitMs;
  let status = await statusOf(session, id);
  while (!done(status) && Date.now() < stopAt) {
    await delay(session.target.pollMs);
    status = await statusOf(session, id);
  }
  return status;
}

/** A cancel's answer in words: its HTTP status and the status in its body, or its error code. */
function describeCancel(answer: Answer, before?: string): string {
  const status = parseTranslationStatus(answer.text)?.status;
  if (status) return `${answer.status} ${before && status === before ? 'unchanged' : status}`;
  return `${answer.status} ${parseServiceError(answer.status, answer.text, answer.headers['content-type'] ?? '').code}`;
}

async function runScenarios(session: Session): Promise<Behaviours> {
  const seen: Behaviours = new Map();

  // 1 and 2: start a batch and cancel it at once; cancel again while Cancelling and once Cancelled.
  const first = await start(session);
  seen.set('POST …/batches answers', `${first.answer.status}${first.id ? ' with Operation-Location' : ''}`);
  const cancel = await session.send('DELETE', session.url(`/${first.id}`));
  seen.set('DELETE on a NotStarted or Running batch', describeCancel(cancel));
  seen.set('Retry-After on that answer', cancel.headers['retry-after'] === undefined ? 'no' : 'yes');
  const again = await session.send('DELETE', session.url(`/${first.id}`));
  const againStatus = parseTranslationStatus(again.text)?.status;
  seen.set(
    'DELETE again while Cancelling',
    againStatus === 'Cancelled' ? 'not caught: already Cancelled' : describeCancel(again),
  );
  const ended = await pollUntil(session, first.id, isFinalStatus, CANCEL_WAIT_MS);
  seen.set('the status a cancelled batch ends in', ended);
  const cancelled = await session.send('DELETE', session.url(`/${first.id}`));
  seen.set('DELETE on a Cancelled batch', describeCancel(cancelled, ended));

  // 3: a batch that finished, then a cancel of it.
  const second = await start(session);
  const finished = await pollUntil(session, second.id, isFinalStatus, FINISH_WAIT_MS);
  const late = await session.send('DELETE', session.url(`/${second.id}`));
  seen.set(`DELETE on a finished batch`, describeCancel(late, finished));

  // 4: the list's page link.
  const listed = await session.send(
    'GET',
    session.url('', { statuses: 'Succeeded,Cancelled,Failed,ValidationFailed', maxpagesize: '1' }),
  );
  const body = (typeof listed.json === 'object' && listed.json) || {};
  const link = ['@nextLink', 'nextLink'].find((name) => name in body) ?? 'none';
  const next = parseBatchPage(listed.text)?.nextLink;
  const dollar = next && /[?&]\$/.test(next) ? ', with $' : '';
  seen.set("the list's page link", `${link}${dollar}`);

  // 5: a list filtered on 26 ids, one more than the specs up to v1.1 allow (the action asks for 25).
  const ids = [first.id, second.id, ...Array.from({ length: 24 }, () => randomUUID())].join(',');
  const many = await session.send('GET', session.url('', { ids }));
  seen.set(
    'a list of 26 ids',
    many.status === 200 ? '200' : `${many.status} ${parseServiceError(many.status, many.text, '').code}`,
  );

  // 6: an unknown batch, and a wrong key.
  seen.set(
    'DELETE on an unknown id',
    describeCancel(await session.send('DELETE', session.url(`/${randomUUID()}`))),
  );
  const wrong = await session.send('DELETE', session.url(`/${first.id}`), undefined, {
    'ocp-apim-subscription-key': '00000000000000000000000000000000',
  });
  seen.set(
    'a wrong key',
    `${wrong.status} ${(wrong.json as { error?: { code?: string } })?.error?.code ?? ''}`,
  );
  return seen;
}

/** The recording with keys, tokens, SAS tokens and the resource's host taken out. */
function sanitize(entries: readonly Entry[], target: Target): string {
  const host = new URL(target.endpoint).host;
  const text = JSON.stringify(
    {
      _note: `Recorded by npm run conformance on ${new Date().toISOString()}, api-version ${target.apiVersion}; sanitized.`,
      Entries: entries,
    },
    null,
    2,
  );
  return text
    .replaceAll(host, FAKE_HOST)
    .replace(/(https?:\/\/[^"?\s]+\.blob\.core\.[a-z.]+\/[^"?\s]*)\?[^"\s]*/g, '$1?REDACTED')
    .replace(/https:\/\/[a-z0-9-]+\.blob\.core\./g, 'https://fakestorage.blob.core.')
    .replace(/([?&](?:sig|se|sv|sp|st|spr|srt|ss|skoid|sktid)=)[^&"\s]*/g, '$1REDACTED');
}

/** The secrets of the run, none of which may be in a file that is written. */
function secretsOf(target: Target): string[] {
  const sas = [target.sourceUrl, target.targetUrl].flatMap((url) => url.split('?')[1]?.split('&') ?? []);
  const credentials = Object.values(target.auth).map((value) => value.replace(/^Bearer /, ''));
  return [...credentials, ...sas.filter((part) => part.length > 8), new URL(target.endpoint).host].filter(
    Boolean,
  );
}

function targetFromEnvironment(): Target {
  const env = process.env;
  const missing = ['TRANSLATOR_ENDPOINT', 'TRANSLATOR_SOURCE_URL', 'TRANSLATOR_TARGET_URL'].filter(
    (name) => !env[name],
  );
  if (!env.TRANSLATOR_KEY && !env.TRANSLATOR_ACCESS_TOKEN)
    missing.push('TRANSLATOR_KEY or TRANSLATOR_ACCESS_TOKEN');
  if (missing.length > 0) {
    console.error(`npm run conformance needs ${missing.join(', ')}: see CONTRIBUTING.md.`);
    process.exit(2);
  }
  const auth: Record<string, string> = env.TRANSLATOR_KEY
    ? {
        'ocp-apim-subscription-key': env.TRANSLATOR_KEY,
        ...(env.TRANSLATOR_REGION ? { 'ocp-apim-subscription-region': env.TRANSLATOR_REGION } : {}),
      }
    : { authorization: `Bearer ${env.TRANSLATOR_ACCESS_TOKEN}` };
  return {
    endpoint: (env.TRANSLATOR_ENDPOINT ?? '').replace(/\/+$/, ''),
    auth,
    apiVersion: env.TRANSLATOR_API_VERSION || (readActionYml().inputs[Input.ApiVersion]?.default ?? ''),
    sourceUrl: env.TRANSLATOR_SOURCE_URL ?? '',
    targetUrl: env.TRANSLATOR_TARGET_URL ?? '',
    language: env.TRANSLATOR_TARGET_LANGUAGE || 'fr',
    pollMs: Number(env.TRANSLATOR_POLL_MS ?? 5_000),
  };
}

/** The emulator in its recorded mode, as the other side of the comparison. */
async function emulatorBehaviours(target: Target): Promise<Behaviours> {
  const emulator = new Emulator({
    cancelDelayMs: 1_000,
    startedBatches: { runningAfterMs: 300, succeededAfterMs: 1_500 },
  });
  await emulator.start();
  const session = new Session({
    ...target,
    endpoint: emulator.url,
    auth: { 'ocp-apim-subscription-key': emulator.subscriptionKey },
    pollMs: 250,
  });
  try {
    return await runScenarios(session);
  } finally {
    await session.close();
    await emulator.stop();
  }
}

const { values } = parseArgs({
  options: { out: { type: 'string', default: 'test/fixtures/recordings/live' } },
});
const target = targetFromEnvironment();
const live = new Session(target);
const [observed, expected] = await Promise.all([
  runScenarios(live).finally(() => live.close()),
  emulatorBehaviours(target),
]);

const recording = sanitize(live.entries, target);
const leaked = secretsOf(target).filter((secret) => recording.includes(secret));
if (leaked.length > 0) {
  console.error(
    `Refusing to write the recording: ${leaked.length} secret(s) still appear in it after sanitizing (in a body the service sent back?). Nothing was written.`,
  );
  process.exit(3);
}
const out = values.out ?? '';
mkdirSync(out, { recursive: true });
const file = join(out, `conformance-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${recording}\n`);

let mismatches = 0;
console.log('| behaviour | the emulator (recorded mode) | the service | |');
console.log('| --- | --- | --- | --- |');
for (const [behaviour, emulated] of expected) {
  const seen = observed.get(behaviour) ?? '—';
  const comparable = !seen.startsWith('not caught') && !emulated.startsWith('not caught');
  const match = !comparable ? 'not compared' : seen === emulated ? 'match' : 'MISMATCH';
  if (match === 'MISMATCH') mismatches++;
  console.log(`| ${behaviour} | ${emulated} | ${seen} | ${match} |`);
}
console.log(`\nRecording: ${file}`);
if (mismatches > 0) {
  console.error(
    `${mismatches} behaviour(s) differ from the emulator: update the emulator and the action's model, and contribute the recording.`,
  );
  process.exit(1);
}
