// Preloaded into a run of the bundle (NODE_OPTIONS=--require): at exit, writes the names of the
// Node modules the process loaded to LOADED_BUILTINS_FILE, one a line, for a test to read, and a line
// `FLAGS <flags>` where it set V8's flags (service/http-parser.ts): while a flag differs from its default,
// V8 takes no code cache made for the defaults, so a Node module loaded then is compiled from source.
const { writeFileSync } = require('node:fs');
const v8 = require('node:v8');

const setFlagsFromString = v8.setFlagsFromString;
const flagsSet = [];
v8.setFlagsFromString = (flags) => {
  flagsSet.push({ at: process.moduleLoadList.length, line: `FLAGS ${flags}` });
  setFlagsFromString(flags);
};

process.on('exit', () => {
  const lines = process.moduleLoadList.flatMap((entry, at) => [
    ...flagsSet.filter((set) => set.at === at).map((set) => set.line),
    ...(entry.startsWith('NativeModule ') ? [entry.slice(13)] : []),
  ]);
  lines.push(...flagsSet.filter((set) => set.at === process.moduleLoadList.length).map((set) => set.line));
  writeFileSync(process.env.LOADED_BUILTINS_FILE, lines.join('\n'));
});
