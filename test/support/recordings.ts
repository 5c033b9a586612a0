// The live service's recorded answers, as copied into test/fixtures/recordings (its README names
// each file's source).
import { readFileSync } from 'node:fs';

interface RecordedEntry {
  RequestMethod: string;
  RequestUri: string;
  StatusCode: number;
  ResponseHeaders: Record<string, string>;
  ResponseBody: Record<string, unknown>;
}

/** The entries of a recording, by its path under test/fixtures/recordings. */
export function recording(path: string): RecordedEntry[] {
  const url = new URL(`../fixtures/recordings/${path}`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { Entries: RecordedEntry[] }).Entries;
}
