// What @actions/http-client imports from undici, and nothing more: while `npm run bundle` runs, this
// folder stands in for undici inside @actions/http-client (scripts/bundle.ts puts it there), so that
// loading @actions/core no longer evaluates all of undici's index on every start. The proxy agent
// loads only when http-client makes one (a proxy in front of the OIDC token request). The path leads
// from node_modules/@actions/http-client/node_modules/undici/ to the project's one undici.
module.exports = {
  get ProxyAgent() {
    return require('../../../../undici/lib/dispatcher/proxy-agent.js');
  },
};
