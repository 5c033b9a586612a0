// Why a request got no answer, in words a person can act on: the host out of reach, the runner's
// proxy refusing or out of reach (named by its variable), a certificate the runner does not trust.

/** A proxy the runner names (settings/proxy.ts): its URL, and how messages name it. */
export interface ProxyServer {
  url: URL;
  shown: string;
}

/** Why an attempt got no answer, in words. */
export interface Failure {
  text: string;
  /** The proxy, as messages name it, when the failure was the proxy's: it refused, or was out of reach. */
  proxy?: string;
  /** Whether another attempt may fare better: not after a proxy's 407 or an untrusted certificate. */
  retryable: boolean;
  /** The request never left: the attempt ended before undici wrote it on a connection. */
  unsent?: boolean;
}

// Failures to reach the first hop: through a proxy, the only connection the runner opens is the
// proxy's (the proxy looks the host up and connects to it).
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const UNTRUSTED_CERTIFICATE =
  /^(CERT_|UNABLE_TO_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|ERR_TLS_CERT_ALTNAME_INVALID)/;
/**
 * Whether the failure's words end in its own fix, which no other attempt or run would mend (an
 * untrusted certificate): nothing more is to be said after them. A proxy's refusal names the proxy
 * to check instead.
 */
export function saysItsOwnFix(failure: Failure): boolean {
  return !failure.retryable && !failure.proxy;
}

// undici's words when a proxy answers a tunnel's CONNECT with anything but 200.
const TUNNEL_REFUSED = /^Proxy response \((\d{3})\)/;

/** Why a request to `url` got no answer, as a person can act on it. */
export function describeFailure(error: unknown, url: URL, proxy: ProxyServer | undefined): Failure {
  const failure = error as { code?: string; message?: string; cause?: { code?: string } };
  const codes = [failure.code, failure.cause?.code].filter(Boolean);
  const said = codes.join('/') || failure.message || String(error);
  const refused = TUNNEL_REFUSED.exec(failure.message ?? '');
  if (proxy && refused) {
    const status = Number(refused[1]);
    const why =
      status === 407
        ? ': it wants a user name and password, and those in the variable are wrong or missing'
        : '';
    return {
      text: `the proxy ${proxy.shown} answered HTTP ${status} to the tunnel to ${url.host}${why}`,
      proxy: proxy.shown,
      retryable: status >= 500,
    };
  }
  if (proxy && (failure.code === 'UND_ERR_PRX_CONN' || codes.some((code) => UNREACHABLE.has(code ?? '')))) {
    const what =
      failure.code === 'UND_ERR_PRX_CONN' ? `did not open a tunnel to ${url.host}` : 'could not be reached';
    return { text: `the proxy ${proxy.shown} ${what} (${said})`, proxy: proxy.shown, retryable: true };
  }
  const untrusted = codes.find((code) => UNTRUSTED_CERTIFICATE.test(code ?? ''));
  if (untrusted) {
    const through = proxy ? `, as the proxy ${proxy.shown} presents it,` : '';
    return {
      text: `the TLS certificate of ${url.host}${through} is not trusted (${untrusted}): where a proxy or gateway presents certificates of its own CA, give that CA's certificate in NODE_EXTRA_CA_CERTS`,
      retryable: false,
    };
  }
  return { text: proxy ? `${said} through the proxy ${proxy.shown}` : said, retryable: true };
}
