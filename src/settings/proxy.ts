// The runner's proxy: HTTPS_PROXY, HTTP_PROXY and NO_PROXY (either case, the lower-case one first),
// read once with the inputs, so that a variable that is not a proxy's URL stops the step in one line
// before anything is sent. Every request the action sends itself (the service, Entra, GitHub's OIDC
// token) goes where proxyFor() says; one without a proxy variable of its own goes through HTTP_PROXY,
// as undici's EnvHttpProxyAgent does.

import { PROXY_VARIABLES } from '../common/names.ts';
import { InputError, quote } from '../common/user-errors.ts';

/** A proxy the runner names. */
export interface ProxyServer {
  /** Its URL, credentials included (they go in Proxy-Authorization; never printed). */
  url: URL;
  /** The proxy as messages name it: the variable, and the URL without its credentials. */
  shown: string;
}

/** A NO_PROXY entry: a host with its subdomains, only its subdomains (`*.example.com`), or every host (`*`). */
interface ProxyExemption {
  host: string;
  subdomainsOnly: boolean;
  /** 0: any port. */
  port: number;
}

/** HTTPS_PROXY, HTTP_PROXY and NO_PROXY, read. */
export interface Proxies {
  https?: ProxyServer;
  http?: ProxyServer;
  exempt: ProxyExemption[];
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

function variable(env: NodeJS.ProcessEnv, name: string): { name: string; value: string } | undefined {
  for (const spelled of [name.toLowerCase(), name]) {
    const value = env[spelled]?.trim();
    if (value) return { name: spelled, value };
  }
  return undefined;
}

function parseProxy(name: string, value: string): ProxyServer {
  // `proxy.example.com:3128`, as curl takes it, is an http:// proxy.
  const url = URL.parse(value.includes('://') ? value : `http://${value}`);
  if (!url?.hostname) {
    throw new InputError(
      `${name} is not a proxy's URL (${quote(value)}): set it to one, such as http://proxy.example.com:3128, or unset it.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(
      `${name} names a ${url.protocol.slice(0, -1)} proxy (${quote(value)}): this action goes through http:// and https:// proxies only.`,
    );
  }
  return { url, shown: `${name} (${url.protocol}//${url.host})` };
}

function parseExemption(entry: string): ProxyExemption {
  // host, host:port, [IPv6]:port, or a bare IPv6 address (whose colons are not a port's).
  const match =
    /^\[(.+)\](?::(\d+))?$/.exec(entry) ??
    (entry.split(':').length === 2 ? /^(.+):(\d+)$/.exec(entry) : null);
  const host = (match?.[1] ?? entry).toLowerCase();
  return {
    host: host.replace(/^\*?\./, '').replace(/\.$/, ''),
    subdomainsOnly: host.startsWith('*.'),
    port: Number(match?.[2] ?? 0),
  };
}

/** The proxies the environment names; an InputError naming the variable when one is not a proxy's URL. */
export function parseProxies(env: NodeJS.ProcessEnv): Proxies {
  const [https, http] = PROXY_VARIABLES.map((name) => {
    const found = variable(env, name);
    return found && parseProxy(found.name, found.value);
  });
  const exemptions =
    variable(env, 'NO_PROXY')
      ?.value.split(/[\s,]+/)
      .filter(Boolean) ?? [];
  return { https: https ?? http, http, exempt: exemptions.map(parseExemption) };
}

/** The proxy a request to `url` goes through; undefined when it goes straight to the host. */
export function proxyFor(proxies: Proxies, url: URL): ProxyServer | undefined {
  const proxy = url.protocol === 'https:' ? proxies.https : proxies.http;
  if (!proxy) return undefined;
  const host = url.hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
  const port = Number(url.port) || DEFAULT_PORTS[url.protocol] || 0;
  const exempt = proxies.exempt.some(
    (entry) =>
      (entry.port === 0 || entry.port === port) &&
      (entry.host === '*' ||
        (host === entry.host && !entry.subdomainsOnly) ||
        host.endsWith(`.${entry.host}`)),
  );
  return exempt ? undefined : proxy;
}
