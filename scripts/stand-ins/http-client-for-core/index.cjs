// What @actions/core imports from @actions/http-client, loaded when first used: while `npm run
// bundle` runs, this folder stands in for @actions/http-client inside @actions/core
// (scripts/bundle.ts puts it there). @actions/core needs http-client only to request the workflow's
// OIDC token, yet imports it at start, and with it node:https and tunnel. The path leads from
// node_modules/@actions/core/node_modules/@actions/http-client/ to the real package.
module.exports = {
  get HttpClient() {
    return require('../../../../http-client/lib/index.js').HttpClient;
  },
};
