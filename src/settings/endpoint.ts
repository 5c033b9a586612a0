// Where the credential may go: the endpoint and an Operation-Location's service, the Microsoft Entra
// authority, each checked against the Azure clouds, loopback and allowed-hosts before any request.

import { Input } from '../common/names.ts';
import { InputError, quote, refuseUserinfo, unquoted } from '../common/user-errors.ts';

/** An Azure cloud, as keyless sign-in needs it: where to sign in, and for what. */
interface Cloud {
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

// A DNS label, checked label by label: one pattern over a whole name backtracks on a long one.
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// Domains under which anyone may register a name: a wildcard over one would send the credential to
// hosts nobody vouches for. The top-level domains, and the second-level public suffixes in wide use
// (the Public Suffix List's most common; a longer one is not refused).
const PUBLIC_SECOND_LEVEL = new Set(
  [
    'co.uk org.uk ac.uk gov.uk me.uk ltd.uk plc.uk net.uk',
    'com.au net.au org.au edu.au gov.au',
    'co.nz org.nz net.nz co.jp ne.jp or.jp ac.jp go.jp co.kr or.kr co.in net.in org.in',
    'com.br net.br org.br com.cn net.cn org.cn com.tw com.hk com.sg com.my com.mx com.ar com.tr',
    'co.za co.il com.ua com.pl co.id',
  ].flatMap((line) => line.split(' ')),
);

function isHostName(host: string): boolean {
  return host.length <= 253 && host.split('.').every((label) => LABEL.test(label));
}

/** The allowed-hosts input's entries: host names, or `*.suffix` for every host under a domain; lower-cased. */
export function parseAllowedHosts(entries: readonly string[]): string[] {
  return entries.map((entry) => {
    const host = entry.toLowerCase();
    const suffix = host.startsWith('*.') ? host.slice(2) : undefined;
    if (!isHostName(suffix ?? host)) {
      throw new InputError(
        `${Input.AllowedHosts} entry ${quote(entry)} is not a host name or *.suffix, such as translator.internal.example.com or *.example.com.`,
      );
    }
    if (suffix !== undefined && (!suffix.includes('.') || PUBLIC_SECOND_LEVEL.has(suffix))) {
      throw new InputError(
        `${Input.AllowedHosts} entry ${quote(entry)} is a wildcard over a public suffix, under which anyone may register a name: name your own domain, such as *.example.com.`,
      );
    }
    return host;
  });
}

function isAllowedHost(hostname: string, allowedHosts: readonly string[]): boolean {
  const host = hostname.toLowerCase();
  return allowedHosts.some((allowed) =>
    allowed.startsWith('*.') ? host.endsWith(allowed.slice(1)) : host === allowed,
  );
}

/**
 * A credential goes only to the hosts it is meant for (`known`), loopback, and the hosts the
 * workflow lists in allowed-hosts: an input that anyone may set cannot send it elsewhere.
 */
function checkCredentialHost(
  url: URL,
  inputName: string,
  known: { describe: string; includes: (hostname: string) => boolean },
  allowedHosts: readonly string[],
): void {
  const { hostname } = url;
  if (known.includes(hostname) || isLoopbackHost(hostname) || isAllowedHost(hostname, allowedHosts)) return;
  throw new InputError(
    `${inputName} points at ${hostname}, which is not ${known.describe}: the credential is sent only there and to loopback. If ${hostname} is yours (a private DNS name, or a gateway in front of the service), add it to ${Input.AllowedHosts}.`,
  );
}

const AZURE_AI_SERVICES = {
  describe: `an Azure AI services host (${CLOUDS.map((cloud) => `*.${cloud.domain}`).join(', ')})`,
  includes: isCognitiveServicesHost,
};

const AUTHORITY_HOSTNAMES = CLOUDS.map((cloud) => new URL(cloud.authorityHost).hostname);
const ENTRA_AUTHORITIES = {
  describe: `a Microsoft Entra authority (${AUTHORITY_HOSTNAMES.join(', ')})`,
  includes: (hostname: string) => AUTHORITY_HOSTNAMES.includes(hostname.toLowerCase()),
};

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

const ENDPOINT_FORM = 'https://<resource>.cognitiveservices.azure.com';

// People paste the endpoint with the API's own path on it, as the docs' request URLs show it, or
// with a batch's whole path (an Operation-Location without its query).
const API_PATH =
  /\/translator(?:\/document(?:\/batches(?:\/(?<batch>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))?)?)?\/*$/i;
// The Azure portal's addresses, which people paste from the browser's address bar.
const PORTAL_HOST = /^(?:[a-z]+\.)?portal\.azure\.(?:com|us|cn)$/i;
const PORTAL_ACCOUNT = /\/providers\/Microsoft\.CognitiveServices\/accounts\/(?<name>[a-z0-9][a-z0-9-]*)/i;

// Text Translation's global, geographic and regional endpoints (public, Government and China
// clouds), which the Text Translation quick-starts use; Document Translation is not served there.
const TEXT_TRANSLATION_HOST =
  /(^|\.)(cognitive\.microsofttranslator\.(com|us)|api\.cognitive\.microsoft\.(com|us)|api\.translator\.azure\.cn|api\.cognitive\.azure\.cn)$/i;

/** Refuses the Text Translation endpoints: no allowed-hosts entry could make them serve Document Translation. */
function refuseTextTranslationHost(url: URL, inputName: string): void {
  if (!TEXT_TRANSLATION_HOST.test(url.hostname)) return;
  throw new InputError(
    `${inputName} points at ${url.hostname}, a Text Translation endpoint: Document Translation is served only from your Translator resource's custom-domain endpoint, ${ENDPOINT_FORM}; copy it from the resource's Overview page in the Azure portal (Keys and Endpoint).`,
  );
}

/** Refuses the Azure portal's address, naming the endpoint it most likely meant. */
function refusePortalAddress(text: string): void {
  const url = URL.parse(text);
  if (!url || !PORTAL_HOST.test(url.hostname)) return;
  const name = PORTAL_ACCOUNT.exec(decodeURIComponent(url.hash))?.groups?.name;
  const likely = name
    ? ` (for this resource, likely https://${name.toLowerCase()}.cognitiveservices.azure.com)`
    : '';
  throw new InputError(
    `endpoint is the Azure portal's address, not the resource's: copy the Endpoint from the resource's Keys and Endpoint page, ${ENDPOINT_FORM}${likely}.`,
  );
}

function parseEndpointUrl(text: string): URL {
  refusePortalAddress(text);
  refuseUserinfo(text, 'endpoint');
  const url = URL.parse(text);
  if (!url) throw new InputError(`endpoint ${quote(text)} is not a URL: expected ${ENDPOINT_FORM}`);
  if (url.search || url.hash) {
    throw new InputError(`endpoint ${quote(text)} must not have a query or fragment.`);
  }
  return url;
}

function parseEndpoint(text: string): string {
  const url = parseEndpointUrl(text);
  refuseTextTranslationHost(url, 'endpoint');
  url.pathname = url.pathname.replace(API_PATH, '');
  // A resource's custom domain serves the API at its root; only a gateway (allowed-hosts) may add a path.
  if (isCognitiveServicesHost(url.hostname) && !/^\/*$/.test(url.pathname)) {
    throw new InputError(
      `endpoint ${quote(text)} has a path the service does not serve: use the resource's root, ${ENDPOINT_FORM}.`,
    );
  }
  return checkServiceUrl(url, 'endpoint');
}

/** The endpoint input as a URL, without quotes around it; undefined when it is not one. */
function endpointUrl(endpointInput: string): URL | undefined {
  return URL.parse(unquoted(endpointInput.trim())) ?? undefined;
}

/** The log line for an endpoint given with the API's own path, once `serviceBase` was made of it. */
export function endpointPathNote(endpointInput: string, serviceBase: string | undefined): string | undefined {
  const path = endpointUrl(endpointInput)?.pathname.match(API_PATH)?.[0];
  if (!path || !serviceBase) return undefined;
  return `endpoint ends in ${path}, the API's own path: taken as the resource's root, ${serviceBase}.`;
}

/** The batch whose whole path the endpoint was pasted with, lower-cased; undefined when none. */
export function endpointBatch(endpointInput: string): string | undefined {
  return endpointUrl(endpointInput)?.pathname.match(API_PATH)?.groups?.batch?.toLowerCase();
}

/** The Microsoft Entra authority, such as https://login.microsoftonline.com, without a trailing slash. */
export function parseAuthorityHost(text: string, allowedHosts: readonly string[]): string {
  refuseUserinfo(text, 'authority-host');
  const url = URL.parse(unquoted(text.trim()));
  if (!url || url.search || url.hash) {
    throw new InputError(
      `authority-host ${quote(text)} is not a URL such as https://login.microsoftonline.com.`,
    );
  }
  const authority = checkServiceUrl(url, 'authority-host');
  checkCredentialHost(url, 'authority-host', ENTRA_AUTHORITIES, allowedHosts);
  return authority;
}

/** An Operation-Location's service, and the input it came from. */
export interface LocatedService {
  serviceUrl: URL;
  inputName: string;
}

/**
 * Decides where requests go: the endpoint input when given, else the Operation-Location's own
 * service. The credential only ever goes to that host, so an Operation-Location must agree with
 * the endpoint, and the host must be an Azure AI services host, loopback, or in allowed-hosts.
 */
export function resolveServiceBase(
  endpointInput: string,
  located: LocatedService | undefined,
  allowedHosts: readonly string[],
): string {
  const endpoint = unquoted(endpointInput.trim());
  if (endpoint) {
    const base = parseEndpoint(endpoint);
    const given = new URL(base);
    if (located && located.serviceUrl.host !== given.host) {
      throw new InputError(
        `${located.inputName} points at ${located.serviceUrl.host} but endpoint is ${given.host}: they must be the same resource.`,
      );
    }
    checkCredentialHost(given, Input.Endpoint, AZURE_AI_SERVICES, allowedHosts);
    return base;
  }
  if (!located) {
    throw new InputError(
      'endpoint is required unless jobs are given as Operation-Location URLs: set it to https://<resource>.cognitiveservices.azure.com.',
    );
  }
  const { serviceUrl, inputName } = located;
  refuseTextTranslationHost(serviceUrl, inputName);
  const base = checkServiceUrl(serviceUrl, inputName);
  checkCredentialHost(serviceUrl, inputName, AZURE_AI_SERVICES, allowedHosts);
  return base;
}
