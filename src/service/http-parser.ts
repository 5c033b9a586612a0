// undici's HTTP/1 parser, made under the WebAssembly tiering budget below, wherever undici makes it:
// at the step's first HTTP/1 connection, to the service, Microsoft Entra or GitHub (whose requests go
// through the same undici). Set when this module loads, with the `work` chunk, before any request.
import { setFlagsFromString } from 'node:v8';
import connectH1 from 'undici/lib/dispatcher/client-h1.js';

// undici parses answers with llhttp compiled to WebAssembly. V8 starts it on its baseline compiler
// and, once a function has run for a budget of work (the default is spent by about two answers),
// compiles it again optimized on a background thread; a process that exits meanwhile waits for that
// compile, about 55 ms at the end of a run of a cancel and a status read. Ten times the budget keeps a
// run of a few requests on the baseline code; a bulk run spends it in a few dozen answers and is
// optimized as before. The parser takes the budget when it is made: the flag is raised for that
// alone, and set back to V8's default at once. While a flag differs from its default, V8 takes no
// code cache made for the default flags, Node's for its own modules among them: every Node module
// loaded meanwhile is compiled from its source (perf_hooks 4.8 ms instead of 1.4; node:tls, for
// keyless sign-in or a proxy, 13–21 ms instead of 8; the pull request comment's @actions/github,
// 35–57 ms instead of 13–21; measured on Node 24).
const WASM_TIERING_BUDGET = 130_000_000;
// V8's own in Node 24 (test/support/loaded-modules.ts checks it against the Node that runs the
// tests). Were a runner's Node to have another, the flag would stay changed after the parser is
// made, as it did before it was set back, and its modules would load as slowly as that made them.
const DEFAULT_WASM_TIERING_BUDGET = 13_000_000;

connectH1.makeParser = (make) => {
  setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
  try {
    return make();
  } finally {
    setFlagsFromString(`--wasm-tiering-budget=${DEFAULT_WASM_TIERING_BUDGET}`);
  }
};
