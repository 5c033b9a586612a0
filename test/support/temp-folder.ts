// Vitest's global setup: every temporary folder of a test run (each run's runner files, event files,
// workspaces, the bundle's compile cache) goes into one folder, removed when the run ends, so that a
// run leaves the machine's temporary folder as it found it (the end-to-end tests make hundreds).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const folder = mkdtempSync(join(tmpdir(), 'cancel-document-translation-tests-'));
  // Read by os.tmpdir() in the test workers started after this, and in the processes they start.
  process.env.TMPDIR = folder;
  return () => rmSync(folder, { recursive: true, force: true });
}
