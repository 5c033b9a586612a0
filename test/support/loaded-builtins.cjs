// Preloaded into a run of the bundle (NODE_OPTIONS=--require): at exit, writes the names of the
// Node modules the process loaded to LOADED_BUILTINS_FILE, one a line, for a test to read.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const loaded = process.moduleLoadList.filter((entry) => entry.startsWith('NativeModule '));
  writeFileSync(process.env.LOADED_BUILTINS_FILE, loaded.map((entry) => entry.slice(13)).join('\n'));
});
