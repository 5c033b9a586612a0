// What @actions/core imports from @actions/exec, loaded when first used: while `npm run bundle`
// runs, this folder stands in for @actions/exec inside @actions/core (scripts/bundle.ts puts it
// there). @actions/core runs programs only to describe the platform (core.platform.getDetails, which
// the action never calls), yet imports @actions/exec at start, and with it node:child_process. The
// path leads from node_modules/@actions/core/node_modules/@actions/exec/ to the real package.
module.exports = {
  get getExecOutput() {
    return require('../../../../exec/lib/exec.js').getExecOutput;
  },
};
