// HTTP with the Document Translation service: the only module that sends requests to it.
import { Agent, request } from 'undici';

export interface ServiceConnection {
  /** The service root, e.g. https://my-translator.cognitiveservices.azure.com, without a trailing slash. */
  serviceBase: string;
  apiVersion: string;
  subscriptionKey: string;
  region?: string;
  userAgent: string;
}

/** One HTTP answer, read whole. */
export interface HttpAnswer {
  status: number;
  body: string;
  contentType: string;
  /** The apim-request-id header: what Azure support asks for. */
  requestId?: string;
  location?: string;
}

/** The request got no HTTP answer: refused, reset, DNS failure. */
export class NoAnswerError extends Error {
  override name = 'NoAnswerError';
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function describeNetworkFailure(error: unknown, url: URL): string {
  const code = (error as { code?: string; cause?: { code?: string } }).code;
  const causeCode = (error as { cause?: { code?: string } }).cause?.code;
  const reason = [code, causeCode].filter(Boolean).join('/') || (error as Error).message || String(error);
  return `no answer from ${url.host} (${reason}): check the endpoint and the runner's network.`;
}

export class TranslatorClient {
  readonly #connection: ServiceConnection;
  // One connection pool for the whole step; redirects are never followed (undici's default), so the
  // key cannot be carried to another host.
  readonly #dispatcher = new Agent({ connect: { timeout: 10_000 } });

  constructor(connection: ServiceConnection) {
    this.#connection = connection;
  }

  batchUrl(id: string): URL {
    const url = new URL(
      `${this.#connection.serviceBase}/translator/document/batches/${encodeURIComponent(id)}`,
    );
    url.searchParams.set('api-version', this.#connection.apiVersion);
    return url;
  }

  cancel(id: string): Promise<HttpAnswer> {
    return this.#send('DELETE', this.batchUrl(id));
  }

  getStatus(id: string): Promise<HttpAnswer> {
    return this.#send('GET', this.batchUrl(id));
  }

  close(): Promise<void> {
    return this.#dispatcher.close();
  }

  async #send(method: 'GET' | 'DELETE', url: URL): Promise<HttpAnswer> {
    const { subscriptionKey, region, userAgent } = this.#connection;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': userAgent,
      'ocp-apim-subscription-key': subscriptionKey,
    };
    if (region) headers['ocp-apim-subscription-region'] = region;
    try {
      const response = await request(url, { method, headers, dispatcher: this.#dispatcher });
      return {
        status: response.statusCode,
        body: await response.body.text(),
        contentType: header(response.headers['content-type']) ?? '',
        requestId: header(response.headers['apim-request-id']) ?? header(response.headers['x-requestid']),
        location: header(response.headers.location),
      };
    } catch (error) {
      throw new NoAnswerError(describeNetworkFailure(error, url));
    }
  }
}
