// Types for the undici modules the action imports one by one (see http.ts): undici types its index
// only.
declare module 'undici/lib/api/api-request.js' {
  import type { Dispatcher } from 'undici';

  function request(this: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
  export = request;
}

declare module 'undici/lib/core/connect.js' {
  import type { buildConnector } from 'undici';

  const build: typeof buildConnector;
  export = build;
}

declare module 'undici/lib/core/errors.js' {
  import type { errors } from 'undici';

  export const ConnectTimeoutError: typeof errors.ConnectTimeoutError;
}

declare module 'undici/lib/dispatcher/agent.js' {
  import { Agent } from 'undici';

  export = Agent;
}

declare module 'undici/lib/dispatcher/client-h1.js' {
  /**
   * makeParser is a module edit's (scripts/stand-ins.ts): when set, undici makes its HTTP/1 parser
   * through it, at its first HTTP/1 connection; `make` makes it.
   */
  const connectH1: { makeParser?: (make: () => WebAssembly.Instance) => WebAssembly.Instance };
  export = connectH1;
}

declare module 'undici/lib/dispatcher/proxy-agent.js' {
  import { ProxyAgent } from 'undici';

  export = ProxyAgent;
}

declare module 'undici/lib/dispatcher/dispatcher.js' {
  import { Dispatcher } from 'undici';

  export = Dispatcher;
}

declare module 'undici/lib/api/api-connect.js' {
  import type { Dispatcher } from 'undici';

  const connect: Dispatcher['connect'];
  export = connect;
}
