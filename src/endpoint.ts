import { InputError, quote } from './user-errors.ts';

/** An Azure cloud, as keyless sign-in needs it: where to sign in, and for what. */
export interface Cloud {
  name: string;
  /** The custom domains of its Azure AI services resources. */
  domain: string;
  /** The Microsoft Entra scope of an access token for Cognitive Services there. */
  scope: string;
  /** The Microsoft Entra authority there. */
  authorityHost: string;
}

// Document Translation is served from a resource's custom domain, in the public and sovereign clouds.
const PUBLIC_CLOUD: Cloud = {
  name: 'Azure public cloud',
  domain: 'cognitiveservices.azure.com',
  scope: 'https://cognitiveservices.azure.com/.default',
  authorityHost: 'https://login.microsoftonline.com',
};
const CLOUDS: readonly Cloud[] = [
  PUBLIC_CLOUD,
  {
    name: 'Azure Government cloud',
    domain: 'cognitiveservices.azure.us',
    scope: 'https://cognitiveservices.azure.us/.default',
    authorityHost: 'https://login.microsoftonline.us',
  },
  {
    name: 'Azure China cloud',
    domain: 'cognitiveservices.azure.cn',
    scope: 'https://cognitiveservices.azure.cn/.default',
    authorityHost: 'https://login.chinacloudapi.cn',
  },
];

function isInCloud(hostname: string, cloud: Cloud): boolean {
  return hostname.toLowerCase().endsWith(`.${cloud.domain}`);
}

/** The cloud of a service root; the public cloud for any other host (loopback, a gateway). */
export function cloudOf(serviceBase: string): Cloud {
  const { hostname } = new URL(serviceBase);
  return CLOUDS.find((cloud) => isInCloud(hostname, cloud)) ?? PUBLIC_CLOUD;
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function isCognitiveServicesHost(hostname: string): boolean {
  return CLOUDS.some((cloud) => isInCloud(hostname, cloud));
}

/** Checks what every URL the credential goes to must satisfy, and returns it without a trailing slash. */
function checkServiceUrl(url: URL, described: string): string {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(`${described} must be an https:// URL, not ${url.protocol}`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new InputError(`${described} must use https:// (plain http is allowed only for localhost).`);
  }
  if (url.username || url.password) {
    throw new InputError(`${described} must not contain a user name or password.`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function parseEndpoint(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(
      `endpoint ${quote(text)} is not a URL: expected https://<resource>.cognitiveservices.azure.com`,
    );
  }
  if (url.search || url.hash) {
    throw new InputError(`endpoint ${quote(text)} must not have a query or fragment.`);
  }
  // People paste the endpoint with the API's own path on it.
  url.pathname = url.pathname.replace(/\/translator\/?$/i, '');
  return checkServiceUrl(url, 'endpoint');
}

/** The Microsoft Entra authority, such as https://login.microsoftonline.com, without a trailing slash. */
export function parseAuthorityHost(text: string): string {
  const url = URL.parse(text.trim());
  if (!url || url.search || url.hash) {
    throw new InputError(
      `authority-host ${quote(text)} is not a URL such as https://login.microsoftonline.com.`,
    );
  }
  return checkServiceUrl(url, 'authority-host');
}

/** An Operation-Location's service, and the input it came from. */
export interface LocatedService {
  serviceUrl: URL;
  inputName: string;
}

/**
 * Decides where requests go: the endpoint input when given, else the Operation-Location's own
 * service. The credential only ever goes to that host, so an Operation-Location must agree with
 * the endpoint, and without an endpoint it must point at an Azure Cognitive Services domain.
 */
export function resolveServiceBase(endpointInput: string, located: LocatedService | undefined): string {
  const endpoint = endpointInput.trim();
  if (endpoint) {
    const base = parseEndpoint(endpoint);
    const given = new URL(base);
    if (located && located.serviceUrl.host !== given.host) {
      throw new InputError(
        `${located.inputName} points at ${located.serviceUrl.host} but endpoint is ${given.host}: they must be the same resource.`,
      );
    }
    return base;
  }
  if (!located) {
    throw new InputError(
      'endpoint is required unless jobs are given as Operation-Location URLs: set it to https://<resource>.cognitiveservices.azure.com.',
    );
  }
  const { serviceUrl, inputName } = located;
  if (!isCognitiveServicesHost(serviceUrl.hostname) && !isLoopbackHost(serviceUrl.hostname)) {
    throw new InputError(
      `${inputName} points at ${serviceUrl.hostname}, which is not an Azure Cognitive Services host: set endpoint to your resource's endpoint if this is intended.`,
    );
  }
  return checkServiceUrl(serviceUrl, inputName);
}
