// Preloaded into a run of the bundle (NODE_OPTIONS=--require; test/support/loaded-modules.ts reads
// it): at exit, writes the names of the Node modules the process loaded to LOADED_BUILTINS_FILE, one a
// line, with a line `FLAGS <flags>` where it set V8's flags and a line WASM_MODULE where it made a
// WebAssembly module (undici's parser, service/http-parser.ts).
const { writeFileSync } = require('node:fs');
const v8 = require('node:v8');

const events = [];
const mark = (line) => events.push({ at: process.moduleLoadList.length, line });

const setFlagsFromString = v8.setFlagsFromString;
v8.setFlagsFromString = (flags) => {
  mark(`FLAGS ${flags}`);
  setFlagsFromString(flags);
};
globalThis.WebAssembly.Module = new Proxy(globalThis.WebAssembly.Module, {
  construct(target, args) {
    mark('WASM_MODULE');
    return Reflect.construct(target, args);
  },
});

process.on('exit', () => {
  const loaded = process.moduleLoadList;
  const marked = (at) => events.filter((event) => event.at === at).map((event) => event.line);
  const lines = loaded.flatMap((entry, at) => [
    ...marked(at),
    ...(entry.startsWith('NativeModule ') ? [entry.slice(13)] : []),
  ]);
  lines.push(...marked(loaded.length));
  writeFileSync(process.env.LOADED_BUILTINS_FILE, lines.join('\n'));
});
