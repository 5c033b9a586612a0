// An emulator of the Document Translation batch API on loopback, behaving as the live service did in
// the recordings under test/fixtures/recordings: a cancel answers 200 with status Cancelling and a
// summary of all zeros (the status GET has the batch's counts), and the batch turns Cancelled later;
// a cancel of a batch that is no longer NotStarted or Running answers 200 with the batch unchanged
// (recorded for Succeeded; the other statuses are assumed to behave the same); right after a cancel
// the status GET may be served stale from a cache (an Age header counting up, the same X-RequestId
// and ETag); no answer carries Retry-After; every status and list answer carries an ETag; the list
// skips before it takes `top`; the list's page link is `@nextLink`; a bad key gets the API gateway's
// 401 with "code": "401"; a malformed id gets a 404 with an empty body. The documented behaviour (400
// or 409 for such a cancel, which then carries the counts; `nextLink`) is an option. Faults (429 with
// Retry-After, 5xx, HTML, hangs, latency) are switched on per request.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, ServerResponse } from 'node:http';
import { createSecureServer } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BATCHES_PATH = /^\/translator\/document\/batches\/?$/;
const BATCH_PATH = /^\/translator\/document\/batches\/(?<id>[^/]+)$/;

interface BatchSeed {
  id?: string;
  status?: string;
  /** When the batch was created; defaults to now. */
  createdDateTimeUtc?: string;
  documents?: number;
  succeeded?: number;
  failed?: number;
  charactersCharged?: number;
  /** Images charged; sent to api-version 2025-12-01-preview and later. */
  imagesCharged?: number;
}

interface Fault {
  /** Only requests for this batch; any request when left out. */
  batchId?: string;
  /** Only requests with this method; any when left out. */
  method?: 'GET' | 'DELETE' | 'POST';
  /** How many requests it applies to. */
  times?: number;
  status?: number;
  /** Raw body; without it an error status gets the documented JSON error for that status. */
  body?: string;
  contentType?: string;
  /** Extra headers, such as retry-after or location. */
  headers?: Record<string, string>;
  /** Never answer. */
  hang?: boolean;
  /** Wait this long before answering (the answer is the normal one unless status is set). */
  delayMs?: number;
  /** Send the headers and half the body, then cut the connection. */
  truncate?: boolean;
  /** Let the request take effect first, then answer with the fault: a success whose answer was lost. */
  processFirst?: boolean;
}

export interface EmulatorOptions {
  subscriptionKey?: string;
  /** Microsoft Entra access tokens accepted as `Authorization: Bearer`. */
  accessTokens?: string[];
  /** How long a batch stays Cancelling before it is Cancelled. */
  cancelDelayMs?: number;
  /** How long after a cancel the status GET is served stale from the cache. */
  staleCacheMs?: number;
  /**
   * What a cancel of a batch that is no longer NotStarted or Running gets: 200 with the batch
   * unchanged (the live service, recorded), or the docs' 400 (2024-05-01) or 409 (2026-03-01 page).
   */
  finishedCancelStatus?: 200 | 400 | 409;
  /** The name of the list's page link: `@nextLink` (the live service, recorded) or `nextLink` (the spec). */
  pageLinkName?: '@nextLink' | 'nextLink';
  /**
   * How a batch started with POST goes on by itself: Running this long after it was created, and
   * Succeeded (every document translated and charged) this long after; or, for a test that must not
   * depend on how fast the machine is, after this many of its status reads were answered. Batches
   * added otherwise stay as they are until cancelled.
   */
  startedBatches?:
    | { runningAfterMs: number; succeededAfterMs: number }
    | { runningAfterReads: number; succeededAfterReads: number };
  /** Added before every answer. */
  latencyMs?: number;
  /** More API requests than this within a second get 429 RequestRateTooHigh with Retry-After: 1. */
  maxRequestsPerSecond?: number;
  /**
   * A list filtered on more ids than this gets 400 InvalidRequest. The cap is the specs' (ids
   * maxLength 25 up to v1.1), not a recording's: no recording lists more than three ids; npm run
   * conformance asks the live service for 26.
   */
  maxListIds?: number;
}

interface RecordedRequest {
  /** When it arrived (Date.now()). */
  at: number;
  method: string;
  path: string;
  /** 1.1, or 2.0 where the client and the emulator chose HTTP/2. */
  httpVersion: string;
  /** The HTTP status it was answered with, once answered. */
  status?: number;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
}

interface Batch {
  id: string;
  createdAt: Date;
  lastActionAt: Date;
  status: string;
  documents: number;
  succeeded: number;
  failed: number;
  charactersCharged: number;
  imagesCharged: number;
  cancelRequestedAt?: number;
  /** Set for a batch started with POST, which runs and succeeds by itself. */
  started?: boolean;
  /** How many of its status reads were answered with its status. */
  reads: number;
  /** What the cache in front of the status GET holds after a cancel. */
  stale?: { body: object; requestId?: string; firstServedAt?: number };
}

interface StatusBody {
  id: string;
  createdDateTimeUtc: string;
  lastActionDateTimeUtc: string;
  status: string;
  summary: Record<string, number>;
}

function withZeroCounts(body: StatusBody): StatusBody {
  return { ...body, summary: Object.fromEntries(Object.keys(body.summary).map((name) => [name, 0])) };
}

/** An entity tag as the service writes one: a SHA-256 of the body in upper-case hex, quoted. */
function etagOf(body: object): string {
  return `"${createHash('sha256').update(JSON.stringify(body)).digest('hex').toUpperCase()}"`;
}

const GATEWAY_401 = {
  error: {
    code: '401',
    message:
      'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
  },
};

const ERRORS: Record<number, [string, string, string]> = {
  400: ['InvalidRequest', 'The request is invalid.', 'InvalidRequest'],
  401: ['Unauthorized', 'User is not authorized', 'Unauthorized'],
  404: ['ResourceNotFound', 'id not found', 'ResourceNotFound'],
  429: ['RequestRateTooHigh', "User's request rate is too high", 'RateTooHigh'],
  500: ['InternalServerError', 'Internal Server Error', 'InternalServerError'],
  503: ['ServiceUnavailable', 'Service is temporary unavailable', 'ServiceTemporaryUnavailable'],
};

function errorBody(status: number, message?: string): object {
  const [code, defaultMessage, innerCode] = ERRORS[status] ?? ERRORS[500] ?? ['', '', ''];
  return {
    error: {
      code,
      message: message ?? defaultMessage,
      target: 'Operation',
      innerError: { code: innerCode, message: message ?? defaultMessage },
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class Emulator {
  readonly requests: RecordedRequest[] = [];
  /** How many TCP connections it has taken, over HTTPS whether or not their handshake succeeded. */
  connections = 0;
  /** When it took each of them (performance.now()). */
  readonly connectedAt: number[] = [];
  readonly #options: Required<EmulatorOptions>;
  readonly #batches = new Map<string, Batch>();
  readonly #faults: Fault[] = [];
  readonly #sockets = new Set<Socket>();
  readonly #recentRequestTimes: number[] = [];
  #server?: NetServer;
  #url = '';

  constructor(options: EmulatorOptions = {}) {
    this.#options = {
      subscriptionKey: 'emulator-key',
      accessTokens: [],
      cancelDelayMs: 1000,
      staleCacheMs: 0,
      finishedCancelStatus: 200,
      pageLinkName: '@nextLink',
      latencyMs: 0,
      startedBatches: { runningAfterMs: 1_000, succeededAfterMs: 60_000 },
      maxRequestsPerSecond: Number.POSITIVE_INFINITY,
      maxListIds: 25,
      ...options,
    };
  }

  get url(): string {
    return this.#url;
  }

  get subscriptionKey(): string {
    return this.#options.subscriptionKey;
  }

  /**
   * Listens on `host`; over HTTPS with `tls` (a key and a certificate for that host), and with its
   * `http2` choosing HTTP/2 for a client that offers it (ALPN), as Azure's front ends may.
   */
  async start(
    port = 0,
    host = '127.0.0.1',
    tls?: { key: string; cert: string; http2?: boolean },
  ): Promise<string> {
    const handler = (request: IncomingMessage, response: ServerResponse) => {
      this.#handle(request, response).catch((error: unknown) => {
        response.destroy(error instanceof Error ? error : undefined);
      });
    };
    const server = tls?.http2
      ? createSecureServer({ ...tls, allowHTTP1: true }, handler as never)
      : tls
        ? createHttpsServer(tls, handler)
        : createServer(handler);
    server.on('connection', () => {
      this.connections++;
      this.connectedAt.push(performance.now());
    });
    server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    this.#server = server;
    const address = server.address() as AddressInfo;
    this.#url = `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
    return this.#url;
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  addBatch(seed: BatchSeed = {}): string {
    const id = (seed.id ?? randomUUID()).toLowerCase();
    const createdAt = seed.createdDateTimeUtc ? new Date(seed.createdDateTimeUtc) : new Date();
    this.#batches.set(id, {
      id,
      createdAt,
      lastActionAt: createdAt,
      status: seed.status ?? 'NotStarted',
      documents: seed.documents ?? 1,
      succeeded: seed.succeeded ?? 0,
      failed: seed.failed ?? 0,
      charactersCharged: seed.charactersCharged ?? 0,
      imagesCharged: seed.imagesCharged ?? 0,
      reads: 0,
    });
    return id;
  }

  /** The batch's true, current status body (never the cached one). */
  batchStatus(id: string): object | undefined {
    const batch = this.#batches.get(id.toLowerCase());
    return batch ? this.#statusBody(batch) : undefined;
  }

  addFault(fault: Fault): void {
    this.#faults.push({ times: 1, ...fault });
  }

  #advance(batch: Batch): void {
    if (batch.started) this.#run(batch);
    const { cancelRequestedAt } = batch;
    if (batch.status !== 'Cancelling' || cancelRequestedAt === undefined) return;
    const doneAt = cancelRequestedAt + this.#options.cancelDelayMs;
    if (Date.now() >= doneAt) {
      batch.status = 'Cancelled';
      batch.lastActionAt = new Date(doneAt);
    }
  }

  /** A started batch's own progress: NotStarted, then Running, then Succeeded, unless cancelled first. */
  #run(batch: Batch): void {
    const pace = this.#options.startedBatches;
    const created = batch.createdAt.getTime();
    // When the batch reached each stage; undefined while it has not.
    const [runningAt, succeededAt] =
      'runningAfterReads' in pace
        ? [pace.runningAfterReads, pace.succeededAfterReads].map((reads) =>
            batch.reads >= reads ? new Date() : undefined,
          )
        : [pace.runningAfterMs, pace.succeededAfterMs].map((ms) =>
            Date.now() - created >= ms ? new Date(created + ms) : undefined,
          );
    if (batch.status === 'NotStarted' && runningAt) {
      batch.status = 'Running';
      batch.lastActionAt = runningAt;
    }
    if (batch.status === 'Running' && succeededAt) {
      batch.status = 'Succeeded';
      batch.succeeded = batch.documents - batch.failed;
      batch.charactersCharged = batch.succeeded * 1_000;
      batch.lastActionAt = succeededAt;
    }
  }

  /** The status body as `apiVersion` shows it: newer versions add image counts to the summary. */
  #statusBody(batch: Batch, apiVersion = '2024-05-01'): StatusBody {
    this.#advance(batch);
    const remaining = batch.documents - batch.succeeded - batch.failed;
    const { status } = batch;
    // api-versions are dates, so they sort as text.
    const images = {
      ...(apiVersion >= '2024-11-01'
        ? { totalImageScansSucceeded: batch.imagesCharged, totalImageScansFailed: 0 }
        : {}),
      ...(apiVersion >= '2025-12-01' ? { totalImageCharged: batch.imagesCharged } : {}),
    };
    return {
      id: batch.id,
      createdDateTimeUtc: batch.createdAt.toISOString(),
      lastActionDateTimeUtc: batch.lastActionAt.toISOString(),
      status,
      summary: {
        total: batch.documents,
        failed: batch.failed,
        success: batch.succeeded,
        inProgress: status === 'Running' || status === 'Cancelling' ? remaining : 0,
        notYetStarted: status === 'NotStarted' ? remaining : 0,
        cancelled: status === 'Cancelled' ? remaining : 0,
        totalCharacterCharged: batch.charactersCharged,
        ...images,
      },
    };
  }

  #takeFault(method: string, path: string): Fault | undefined {
    const fault = this.#faults.find(
      (f) =>
        (f.times ?? 0) > 0 &&
        (!f.method || f.method === method) &&
        (!f.batchId || path.endsWith(`/${f.batchId.toLowerCase()}`)),
    );
    if (fault) fault.times = (fault.times ?? 1) - 1;
    return fault;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://emulator');
    if (url.pathname.startsWith('/_emulator/')) {
      await this.#control(url.pathname, request, response);
      return;
    }
    const recorded: RecordedRequest = {
      at: Date.now(),
      method: request.method ?? '',
      path: url.pathname,
      httpVersion: request.httpVersion,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
    };
    this.requests.push(recorded);
    response.on('finish', () => {
      recorded.status = response.statusCode;
    });
    const body = await readBody(request);
    if (this.#options.latencyMs > 0) await sleep(this.#options.latencyMs);

    const fault = this.#takeFault(request.method ?? '', url.pathname.toLowerCase());
    if (fault?.hang) return;
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.status) {
      if (fault.processFirst) this.#serve(request, url, body, new ServerResponse(request));
      this.#sendFault(response, fault);
      return;
    }
    if (this.#overRateLimit()) {
      send(response, 429, errorBody(429), { headers: { 'retry-after': '1' } });
      return;
    }
    this.#serve(request, url, body, response);
  }

  #overRateLimit(): boolean {
    const now = Date.now();
    const recent = this.#recentRequestTimes;
    while (recent.length > 0 && (recent[0] ?? 0) <= now - 1000) recent.shift();
    if (recent.length >= this.#options.maxRequestsPerSecond) return true;
    recent.push(now);
    return false;
  }

  #serve(request: IncomingMessage, url: URL, body: string, response: ServerResponse): void {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const authorized =
      request.headers['ocp-apim-subscription-key'] === this.#options.subscriptionKey ||
      (bearer !== undefined && this.#options.accessTokens.includes(bearer));
    if (!authorized) {
      send(response, 401, GATEWAY_401, { gateway: true });
      return;
    }
    if (!url.searchParams.get('api-version')) {
      send(response, 400, errorBody(400, 'The api-version query parameter is missing.'));
      return;
    }

    const batchMatch = BATCH_PATH.exec(url.pathname);
    if (batchMatch) {
      const id = batchMatch.groups?.id ?? '';
      if (!GUID.test(id)) {
        send(response, 404, undefined);
        return;
      }
      const batch = this.#batches.get(id.toLowerCase());
      if (!batch) {
        send(response, 404, errorBody(404));
        return;
      }
      const apiVersion = url.searchParams.get('api-version') ?? '';
      if (request.method === 'GET') this.#getStatus(batch, apiVersion, response);
      else if (request.method === 'DELETE') this.#cancel(batch, apiVersion, response);
      else send(response, 405, errorBody(400, 'Method not allowed.'));
      return;
    }
    if (BATCHES_PATH.test(url.pathname)) {
      if (request.method === 'POST') this.#startBatch(url, body, response);
      else if (request.method === 'GET') this.#list(url, response);
      else send(response, 405, errorBody(400, 'Method not allowed.'));
      return;
    }
    send(response, 404, { error: { code: '404', message: 'Resource not found' } }, { gateway: true });
  }

  #sendFault(response: ServerResponse, fault: Fault): void {
    const status = fault.status ?? 500;
    const body = fault.body ?? JSON.stringify(errorBody(status));
    const headers: Record<string, string> = {
      'content-type': fault.contentType ?? 'application/json; charset=utf-8',
      'apim-request-id': randomUUID(),
      ...fault.headers,
    };
    if (fault.truncate) {
      response.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
      response.write(body.slice(0, Math.floor(body.length / 2)));
      setTimeout(() => response.socket?.destroy(), 20);
      return;
    }
    response.writeHead(status, headers);
    response.end(body);
  }

  #getStatus(batch: Batch, apiVersion: string, response: ServerResponse): void {
    const { stale, cancelRequestedAt } = batch;
    const cacheHeaders = { 'cache-control': 'public, max-age=1' };
    if (
      stale &&
      cancelRequestedAt !== undefined &&
      Date.now() - cancelRequestedAt < this.#options.staleCacheMs
    ) {
      if (stale.requestId === undefined || stale.firstServedAt === undefined) {
        stale.requestId = randomUUID();
        stale.firstServedAt = Date.now();
        send(response, 200, stale.body, {
          requestId: stale.requestId,
          headers: { ...cacheHeaders, etag: etagOf(stale.body) },
        });
        return;
      }
      const age = String(Math.floor((Date.now() - stale.firstServedAt) / 1000));
      send(response, 200, stale.body, {
        xRequestId: stale.requestId,
        headers: { ...cacheHeaders, etag: etagOf(stale.body), age },
      });
      return;
    }
    const body = this.#statusBody(batch, apiVersion);
    batch.reads++;
    send(response, 200, body, { headers: { ...cacheHeaders, etag: etagOf(body) } });
  }

  #cancel(batch: Batch, apiVersion: string, response: ServerResponse): void {
    this.#advance(batch);
    if (batch.status !== 'NotStarted' && batch.status !== 'Running') {
      const refusal = this.#options.finishedCancelStatus;
      if (refusal === 200) {
        send(response, 200, this.#statusBody(batch, apiVersion));
        return;
      }
      // The docs' refusal has no documented code or message; this one is a stand-in.
      send(response, refusal, errorBody(400, `Cannot cancel a translation in status ${batch.status}.`));
      return;
    }
    batch.stale = { body: this.#statusBody(batch, apiVersion) };
    batch.status = 'Cancelling';
    batch.cancelRequestedAt = Date.now();
    batch.lastActionAt = new Date();
    const answer = this.#statusBody(batch, apiVersion);
    // Every recorded answer to a cancel that starts one carries a summary of all zeros, whatever the
    // batch holds; the docs' mode keeps the counts, as the spec's example shows.
    send(response, 200, this.#options.finishedCancelStatus === 200 ? withZeroCounts(answer) : answer);
  }

  #startBatch(url: URL, body: string, response: ServerResponse): void {
    let documents = 1;
    try {
      const parsed = JSON.parse(body) as { inputs?: unknown[] };
      documents = Math.max(1, parsed.inputs?.length ?? 1);
    } catch {
      send(response, 400, errorBody(400, 'The request body is not valid JSON.'));
      return;
    }
    const id = this.addBatch({ documents });
    const started = this.#batches.get(id);
    if (started) started.started = true;
    const apiVersion = url.searchParams.get('api-version') ?? '';
    send(
      response,
      202,
      { id, status: 'NotStarted' },
      {
        headers: {
          'operation-location': `${this.#url}/translator/document/batches/${id}?api-version=${apiVersion}`,
        },
      },
    );
  }

  #list(url: URL, response: ServerResponse): void {
    const params = url.searchParams;
    const apiVersion = params.get('api-version') ?? '';
    const ids = params
      .get('ids')
      ?.split(',')
      .map((id) => id.toLowerCase());
    if (ids && ids.length > this.#options.maxListIds) {
      send(
        response,
        400,
        errorBody(
          400,
          `The number of ids (${ids.length}) exceeds the maximum of ${this.#options.maxListIds}.`,
        ),
      );
      return;
    }
    const statuses = params.get('statuses')?.split(',');
    const start = params.get('createdDateTimeUtcStart');
    const end = params.get('createdDateTimeUtcEnd');
    const descending = (params.get('orderby') ?? '').toLowerCase().includes('desc');
    const top = Number(params.get('top') ?? Number.POSITIVE_INFINITY);
    const skip = Number(params.get('skip') ?? 0);
    const pageSize = Math.min(100, Number(params.get('maxpagesize') ?? 50));
    for (const batch of this.#batches.values()) this.#advance(batch);
    const matching = [...this.#batches.values()]
      .filter((batch) => !ids || ids.includes(batch.id))
      .filter((batch) => !statuses || statuses.includes(batch.status))
      .filter((batch) => !start || batch.createdAt >= new Date(start))
      .filter((batch) => !end || batch.createdAt <= new Date(end))
      .sort((a, b) => (a.createdAt.getTime() - b.createdAt.getTime()) * (descending ? -1 : 1))
      // The service skips first and takes `top` of what is left; its next links carry as `top` what
      // remains after their skip.
      .slice(skip)
      .slice(0, top);
    const page = matching.slice(0, pageSize);
    const body: { value: object[]; nextLink?: string; '@nextLink'?: string } = {
      value: page.map((batch) => this.#statusBody(batch, apiVersion)),
    };
    if (pageSize < matching.length) {
      const next = new URL(`${this.#url}${url.pathname}${url.search}`);
      next.searchParams.set('skip', String(skip + pageSize));
      next.searchParams.set('top', String(matching.length - pageSize));
      body[this.#options.pageLinkName] = next.toString();
    }
    send(response, 200, body, { headers: { 'cache-control': 'public, max-age=1', etag: etagOf(body) } });
  }

  async #control(path: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    if (path === '/_emulator/batches' && request.method === 'POST') {
      const seeds = JSON.parse(body || '[{}]') as BatchSeed[];
      send(response, 200, { ids: seeds.map((seed) => this.addBatch(seed)) });
    } else if (path === '/_emulator/faults' && request.method === 'POST') {
      this.addFault(JSON.parse(body) as Fault);
      send(response, 200, {});
    } else if (path === '/_emulator/requests' && request.method === 'GET') {
      send(response, 200, this.requests);
    } else {
      send(response, 404, { error: 'unknown emulator route' });
    }
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

interface SendOptions {
  headers?: Record<string, string>;
  /** The API gateway answers with apim-request-id only. */
  gateway?: boolean;
  requestId?: string;
  /** A cached answer keeps the X-RequestId of the answer it copies. */
  xRequestId?: string;
}

function send(
  response: ServerResponse,
  status: number,
  body: object | undefined,
  options: SendOptions = {},
): void {
  const requestId = options.requestId ?? randomUUID();
  const text = body === undefined ? '' : JSON.stringify(body);
  const headers: Record<string, string> = { 'apim-request-id': requestId, ...options.headers };
  if (body !== undefined)
    headers['content-type'] = options.gateway ? 'application/json' : 'application/json; charset=utf-8';
  if (!options.gateway) {
    headers['x-requestid'] = options.xRequestId ?? requestId;
    headers['x-ms-region'] = 'West US';
  }
  headers['content-length'] = String(Buffer.byteLength(text));
  response.writeHead(status, headers);
  response.end(text);
}
