// @actions/http-client/lib/auth as @actions/core imports it, loaded when first used (see ../index.cjs).
module.exports = {
  get BearerCredentialHandler() {
    return require('../../../../../http-client/lib/auth.js').BearerCredentialHandler;
  },
};
